using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Diagnostics.CodeAnalysis;
using System.Linq;
using System.Text;

namespace ConvGen;

/// <summary>
/// A network's weights: named tensors in order, with PyTorch's state_dict names ("0.weight", "1.running_mean").
/// Build them with <see cref="Create"/>, read them with <see cref="LoadSafetensors(string)"/>, check them against
/// the network with <see cref="Validate"/>, and hand them to the generated code, which reads
/// <c>weights["0.weight"].Data</c>. Not thread-safe while tensors are being added; reading is.
/// </summary>
[SuppressMessage("Naming", "CA1710:Identifiers should have correct suffix", Justification = "A model's weights, named as PyTorch users know them.")]
public sealed partial class ModelWeights : IReadOnlyCollection<Tensor>
{
    private readonly List<Tensor> _tensors = new();
    private readonly List<string> _names = new();
    private readonly Dictionary<string, Tensor> _byName = new(StringComparer.Ordinal);

    /// <summary>Empty weights, to fill with <see cref="Add"/>.</summary>
    public ModelWeights()
    {
        Names = new ReadOnlyCollection<string>(_names);
    }

    /// <summary>Weights holding <paramref name="tensors"/>, in that order.</summary>
    /// <param name="tensors">The tensors; their names must be unique.</param>
    /// <exception cref="ArgumentException">Two tensors share a name.</exception>
    public ModelWeights(IEnumerable<Tensor> tensors)
        : this()
    {
        ArgumentNullException.ThrowIfNull(tensors);
        foreach (Tensor tensor in tensors)
        {
            Add(tensor);
        }
    }

    /// <summary>The number of tensors.</summary>
    public int Count => _tensors.Count;

    /// <summary>The tensor names, in order.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>
    /// The safetensors <c>"__metadata__"</c> entries (string to string), kept when a file is read and written back;
    /// written sorted by key. <c>safetensors.torch.save_file</c> callers often store <c>{"format": "pt"}</c> here.
    /// </summary>
    public IDictionary<string, string> Metadata { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The tensor named <paramref name="name"/>.</summary>
    /// <param name="name">A state_dict name, such as <c>"0.weight"</c>.</param>
    /// <exception cref="KeyNotFoundException">No tensor has that name; the message lists the closest names.</exception>
    public Tensor this[string name]
    {
        get
        {
            ArgumentNullException.ThrowIfNull(name);
            if (_byName.TryGetValue(name, out Tensor? tensor))
            {
                return tensor;
            }

            throw new KeyNotFoundException(DescribeMissing(name));
        }
    }

    /// <summary>Looks a tensor up by name.</summary>
    /// <param name="name">A state_dict name.</param>
    /// <param name="tensor">The tensor, when found.</param>
    /// <returns>Whether a tensor has that name.</returns>
    public bool TryGet(string name, [NotNullWhen(true)] out Tensor? tensor)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _byName.TryGetValue(name, out tensor);
    }

    /// <summary>Whether a tensor is named <paramref name="name"/>.</summary>
    /// <param name="name">A state_dict name.</param>
    /// <returns>Whether a tensor has that name.</returns>
    public bool Contains(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _byName.ContainsKey(name);
    }

    /// <summary>Appends a tensor.</summary>
    /// <param name="tensor">The tensor; its name must be new.</param>
    /// <exception cref="ArgumentException">A tensor with that name is already here.</exception>
    public void Add(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (!_byName.TryAdd(tensor.Name, tensor))
        {
            throw new ArgumentException($"The weights already hold a tensor named '{tensor.Name}'.", nameof(tensor));
        }

        _tensors.Add(tensor);
        _names.Add(tensor.Name);
    }

    /// <summary>The tensors, in order.</summary>
    /// <returns>An enumerator over the tensors.</returns>
    public IEnumerator<Tensor> GetEnumerator() => _tensors.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>
    /// Checks the weights against what a network expects and throws one exception that lists every missing tensor,
    /// every unexpected one, and every shape mismatch. A missing batch-norm <c>num_batches_tracked</c>
    /// (<see cref="WeightInit.NumBatchesTracked"/>) is not an error: some exporters drop it, and inference never reads it,
    /// so when everything else matches it is added here, holding 0. Values are not checked; int64 tensors are accepted
    /// where floats are expected, as PyTorch's <c>load_state_dict</c> accepts them (<see cref="Tensor.Data"/> holds their values).
    /// </summary>
    /// <param name="specs">The tensors the network expects, as the generated code lists them.</param>
    /// <exception cref="WeightsMismatchException">Something is missing, unexpected or misshaped.</exception>
    public void Validate(IReadOnlyList<TensorSpec> specs)
    {
        ArgumentNullException.ThrowIfNull(specs);
        var expected = new Dictionary<string, TensorSpec>(StringComparer.Ordinal);
        var missing = new List<string>();
        var filled = new List<TensorSpec>();
        var mismatched = new List<string>();
        foreach (TensorSpec spec in specs)
        {
            if (!expected.TryAdd(spec.Name, spec))
            {
                throw new ArgumentException($"The network lists tensor '{spec.Name}' twice.", nameof(specs));
            }

            if (!_byName.TryGetValue(spec.Name, out Tensor? tensor))
            {
                if (spec.Init == WeightInit.NumBatchesTracked)
                {
                    filled.Add(spec);
                }
                else
                {
                    missing.Add(spec.Name);
                }
            }
            else if (!ShapeText.Equal(tensor.Shape, spec.Shape))
            {
                mismatched.Add($"'{spec.Name}': expected shape {ShapeText.Format(spec.Shape)}, found {ShapeText.Format(tensor.Shape)}");
            }
        }

        var unexpected = _names.Where(name => !expected.ContainsKey(name)).ToList();
        if (missing.Count + unexpected.Count + mismatched.Count > 0)
        {
            var message = new StringBuilder("The weights do not match the network: ")
                .Append(string.Join(", ", new[]
                {
                    Plural(missing.Count, "missing tensor", "missing tensors"),
                    Plural(unexpected.Count, "unexpected tensor", "unexpected tensors"),
                    Plural(mismatched.Count, "shape mismatch", "shape mismatches"),
                }.Where(part => part.Length > 0)))
                .Append('.');
            foreach (string name in missing)
            {
                message.Append("\n  missing: '").Append(name).Append("' ").Append(ShapeText.Format(expected[name].Shape));
            }

            foreach (string name in unexpected)
            {
                message.Append("\n  unexpected: '").Append(name).Append("' ").Append(ShapeText.Format(_byName[name].Shape));
            }

            foreach (string line in mismatched)
            {
                message.Append("\n  ").Append(line);
            }

            throw new WeightsMismatchException(message.ToString(), missing, unexpected, mismatched);
        }

        foreach (TensorSpec spec in filled)
        {
            Add(new Tensor(spec.Name, spec.Shape, new long[spec.ElementCount]));
        }
    }

    private static string Plural(int count, string one, string many) => count switch
    {
        0 => "",
        1 => $"1 {one}",
        _ => $"{count} {many}",
    };

    private string DescribeMissing(string name)
    {
        if (_tensors.Count == 0)
        {
            return $"No tensor named '{name}': the weights hold no tensors.";
        }

        IReadOnlyList<string> close = NameSuggestions.Closest(name, _names);
        return close.Count > 0
            ? $"No tensor named '{name}' among the {_tensors.Count} tensors of the weights. Close names: {string.Join(", ", close.Select(c => $"'{c}'"))}."
            : $"No tensor named '{name}' among the {_tensors.Count} tensors of the weights, and none has a close name; the first are {string.Join(", ", _names.Take(5).Select(c => $"'{c}'"))}.";
    }
}
