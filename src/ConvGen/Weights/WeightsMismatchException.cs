using System;
using System.Collections.Generic;

namespace ConvGen;

/// <summary>
/// Weights do not fit the network they were loaded for. <see cref="ModelWeights.Validate"/> reports every problem at
/// once: the message gives the likely cause when there is one (<see cref="Hint"/>), then lists them, at most ten of a
/// kind ("… and N more"); <see cref="Missing"/>, <see cref="Unexpected"/> and <see cref="ShapeMismatches"/> hold them all.
/// </summary>
public sealed class WeightsMismatchException : Exception
{
    /// <summary>An exception with a default message.</summary>
    public WeightsMismatchException()
        : this("The weights do not match the network.")
    {
    }

    /// <summary>An exception with the given message.</summary>
    /// <param name="message">The problems found.</param>
    public WeightsMismatchException(string message)
        : base(message)
    {
        Missing = Array.Empty<string>();
        Unexpected = Array.Empty<string>();
        ShapeMismatches = Array.Empty<string>();
    }

    /// <summary>An exception with the given message and cause.</summary>
    /// <param name="message">The problems found.</param>
    /// <param name="innerException">The error that revealed them.</param>
    public WeightsMismatchException(string message, Exception innerException)
        : base(message, innerException)
    {
        Missing = Array.Empty<string>();
        Unexpected = Array.Empty<string>();
        ShapeMismatches = Array.Empty<string>();
    }

    internal WeightsMismatchException(
        string message, IReadOnlyList<string> missing, IReadOnlyList<string> unexpected, IReadOnlyList<string> shapeMismatches, string? hint)
        : base(message)
    {
        Missing = missing;
        Unexpected = unexpected;
        ShapeMismatches = shapeMismatches;
        Hint = hint;
    }

    /// <summary>Names of the tensors the network expects and the weights lack.</summary>
    public IReadOnlyList<string> Missing { get; }

    /// <summary>Names of the tensors the weights hold and the network does not expect.</summary>
    public IReadOnlyList<string> Unexpected { get; }

    /// <summary>One line per tensor whose shape differs, such as <c>'3.weight': expected shape [16, 6, 5, 5], found [16, 6, 3, 3]</c>.</summary>
    public IReadOnlyList<string> ShapeMismatches { get; }

    /// <summary>
    /// The likely cause, when the problems share one; null otherwise. Either every unexpected name carries a prefix that,
    /// stripped, gives expected names (such as the <c>"module."</c> PyTorch's DataParallel adds; see
    /// <see cref="ModelWeights.WithPrefixRemoved"/>), or the weights share no tensor name with the network.
    /// </summary>
    public string? Hint { get; }
}
