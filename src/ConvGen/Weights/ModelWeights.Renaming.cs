using System;
using System.Collections.Generic;

namespace ConvGen;

public sealed partial class ModelWeights
{
    /// <summary>
    /// The same tensors, in the same order, with <paramref name="prefix"/> removed from every name that starts with it;
    /// other names are kept. This undoes the <c>"module."</c> PyTorch's <c>DataParallel</c> and <c>DistributedDataParallel</c>
    /// put before every name, as <c>torch.nn.modules.utils.consume_prefix_in_state_dict_if_present</c> does:
    /// <c>ModelWeights.LoadSafetensors(path).WithPrefixRemoved("module.")</c>.
    /// </summary>
    /// <param name="prefix">The prefix, usually ending with a dot, such as <c>"module."</c> or <c>"model."</c>.</param>
    /// <returns>New weights; see <see cref="Rename"/> for what they share with these.</returns>
    /// <exception cref="ArgumentException">
    /// <paramref name="prefix"/> is empty, a name is <paramref name="prefix"/> itself (nothing would be left), or two
    /// tensors would end up with the same name.
    /// </exception>
    public ModelWeights WithPrefixRemoved(string prefix)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        return RenameAll(
            name => name.StartsWith(prefix, StringComparison.Ordinal) ? name.Substring(prefix.Length) : name,
            $"removing the prefix '{prefix}'",
            nameof(prefix));
    }

    /// <summary>
    /// The same tensors, in the same order, renamed by <paramref name="map"/>: for instance
    /// <c>weights.Rename(name => "backbone." + name)</c>, or <c>name.Replace("features.", "", StringComparison.Ordinal)</c>.
    /// The new weights share the value arrays with these (<see cref="Tensor.Data"/> of float tensors, <see cref="Tensor.Int64Data"/>
    /// of int64 ones), so an edit to one is seen in the other; int64 tensors stay int64, and <see cref="Metadata"/> is copied.
    /// </summary>
    /// <param name="map">The new name for each old one; it must return a non-empty name, and distinct names for distinct tensors.</param>
    /// <returns>New weights; these are left unchanged.</returns>
    /// <exception cref="ArgumentException"><paramref name="map"/> returns an empty name, or the same name for two tensors.</exception>
    public ModelWeights Rename(Func<string, string> map)
    {
        ArgumentNullException.ThrowIfNull(map);
        return RenameAll(map, "renaming", nameof(map));
    }

    private ModelWeights RenameAll(Func<string, string> map, string what, string paramName)
    {
        var renamed = new ModelWeights();
        var from = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Tensor tensor in _tensors)
        {
            string name = map(tensor.Name);
            if (string.IsNullOrEmpty(name))
            {
                throw new ArgumentException($"After {what}, tensor '{tensor.Name}' would have an empty name.", paramName);
            }

            if (!from.TryAdd(name, tensor.Name))
            {
                throw new ArgumentException($"After {what}, tensors '{from[name]}' and '{tensor.Name}' would both be named '{name}'.", paramName);
            }

            renamed.Add(name == tensor.Name ? tensor
                : tensor.Int64Data is { } longs ? new Tensor(name, tensor.Shape, longs)
                : new Tensor(name, tensor.Shape, tensor.Data));
        }

        foreach (KeyValuePair<string, string> entry in Metadata)
        {
            renamed.Metadata.Add(entry.Key, entry.Value);
        }

        return renamed;
    }
}
