using System;
using System.Collections.Generic;

namespace ConvGen;

/// <summary>
/// What every generated network offers, for code that handles networks generically (tests, tools).
/// A network instance owns its workspaces: one caller at a time per instance (instances may share one
/// <see cref="ModelWeights"/>); a batch may still run on several cores inside one call.
/// </summary>
public interface INetwork
{
    /// <summary>Elements of one input sample.</summary>
    int InputSize { get; }

    /// <summary>Elements of one output sample.</summary>
    int OutputSize { get; }

    /// <summary>The layer table.</summary>
    IReadOnlyList<LayerInfo> LayerTable { get; }

    /// <summary>
    /// Runs inference on <paramref name="batch"/> samples. <paramref name="input"/> holds exactly
    /// batch × <see cref="InputSize"/> floats and <paramref name="output"/> batch × <see cref="OutputSize"/>,
    /// in the network's declared layout. Allocates nothing.
    /// </summary>
    void Forward(ReadOnlySpan<float> input, Span<float> output, int batch);

    /// <summary>
    /// The most cores one <see cref="Forward"/> call splits a batch across (default: every processor; 1 keeps every
    /// batch on the caller's thread). Results are bitwise the same whatever the setting.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Set below 1.</exception>
    int MaxDegreeOfParallelism { get; set; }
}
