using System;
using System.Collections.Generic;

namespace ConvGen;

/// <summary>
/// What every generated network offers, for code that handles networks generically (tests, tools).
/// A network instance owns its workspace: use one instance per thread.
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
}
