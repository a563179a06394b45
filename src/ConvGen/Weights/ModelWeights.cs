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

    /// <summary>How many missing or unexpected tensors or shape mismatches a <see cref="Validate"/> message lists before "… and N more".</summary>
    private const int ListedPerKind = 10;

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
    /// When the problems share a likely cause, the message says so before listing them (<see cref="WeightsMismatchException.Hint"/>):
    /// a prefix on every unexpected name (DataParallel's <c>"module."</c>; strip it with <see cref="WithPrefixRemoved"/>),
    /// or no name in common with the network at all.
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
            string? hint = MismatchHint(missing, unexpected, matched: expected.Count - missing.Count - filled.Count);
            var message = new StringBuilder("The weights do not match the network: ")
                .Append(string.Join(", ", new[]
                {
                    Plural(missing.Count, "missing tensor", "missing tensors"),
                    Plural(unexpected.Count, "unexpected tensor", "unexpected tensors"),
                    Plural(mismatched.Count, "shape mismatch", "shape mismatches"),
                }.Where(part => part.Length > 0)))
                .Append('.');
            if (hint is not null)
            {
                message.Append("\n  hint: ").Append(hint);
            }

            AppendCapped(message, missing, "missing tensors", name => $"missing: '{name}' {ShapeText.Format(expected[name].Shape)}");
            AppendCapped(message, unexpected, "unexpected tensors", name => $"unexpected: '{name}' {ShapeText.Format(_byName[name].Shape)}");
            AppendCapped(message, mismatched, "shape mismatches", line => line);
            throw new WeightsMismatchException(message.ToString(), missing, unexpected, mismatched, hint);
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

    /// <summary>
    /// What most likely went wrong, when the problems have one cause: every unexpected name carries a prefix that,
    /// stripped, gives names the network misses (DataParallel's "module."), or the weights share no name with the network.
    /// </summary>
    private static string? MismatchHint(List<string> missing, List<string> unexpected, int matched)
    {
        string? prefix = StrippablePrefix(missing, unexpected);
        if (prefix is not null)
        {
            string subject = unexpected.Count == 1 ? "the only unexpected tensor starts" : $"all {unexpected.Count} unexpected tensors start";
            string origin = prefix switch
            {
                "module." => " (PyTorch's DataParallel adds it)",
                "_orig_mod." => " (torch.compile adds it)",
                _ => "",
            };
            return $"{subject} with '{prefix}'; strip that prefix{origin}, e.g. weights = weights.{nameof(WithPrefixRemoved)}(\"{prefix}\").";
        }

        if (matched == 0 && missing.Count > 0)
        {
            return unexpected.Count == 0
                ? "the weights hold no tensors; is it the right file?"
                : "this file shares no tensor names with the network; is it the right file?";
        }

        return null;
    }

    /// <summary>
    /// The shortest dot-ended prefix ("module.", "model.module.") that every unexpected name starts with and whose removal
    /// turns at least one of them into a missing name; null when there is none.
    /// </summary>
    private static string? StrippablePrefix(List<string> missing, List<string> unexpected)
    {
        if (missing.Count == 0 || unexpected.Count == 0)
        {
            return null;
        }

        var missingSet = new HashSet<string>(missing, StringComparer.Ordinal);
        string first = unexpected[0];
        for (int dot = first.IndexOf('.', StringComparison.Ordinal); dot >= 0 && dot < first.Length - 1; dot = first.IndexOf('.', dot + 1))
        {
            string prefix = first.Substring(0, dot + 1);
            if (!unexpected.TrueForAll(name => name.Length > prefix.Length && name.StartsWith(prefix, StringComparison.Ordinal)))
            {
                return null; // a longer prefix of the first name is shared by even fewer names
            }

            if (unexpected.Exists(name => missingSet.Contains(name.Substring(prefix.Length))))
            {
                return prefix;
            }
        }

        return null;
    }

    /// <summary>One line per item, the first <see cref="ListedPerKind"/> when there are many, then how many more there are.</summary>
    private static void AppendCapped(StringBuilder message, List<string> items, string kind, Func<string, string> line)
    {
        int shown = items.Count <= ListedPerKind + 2 ? items.Count : ListedPerKind;
        for (int i = 0; i < shown; i++)
        {
            message.Append("\n  ").Append(line(items[i]));
        }

        if (shown < items.Count)
        {
            message.Append("\n  … and ").Append(items.Count - shown).Append(" more ").Append(kind);
        }
    }

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
