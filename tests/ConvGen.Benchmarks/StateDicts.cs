using System;
using System.Collections.Generic;
using System.Linq;

namespace ConvGen.Benchmarks;

/// <summary>Bridges ConvGen's <see cref="ModelWeights"/> and the ONNX builder's state dicts.</summary>
public static class StateDicts
{
    /// <summary>
    /// The weights as a PyTorch-style state dict (name to row-major floats). The arrays are shared, not copied,
    /// so ONNX Runtime's initializers and ConvGen's kernels start from the very same numbers.
    /// </summary>
    public static Dictionary<string, float[]> From(ModelWeights weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        return weights.ToDictionary(t => t.Name, t => t.Data, StringComparer.Ordinal);
    }
}
