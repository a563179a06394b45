using System;
using System.ComponentModel;

namespace ConvGen.Kernels;

/// <summary>
/// Checks, once at construction, that a finalized weight array holds exactly what the generated kernels
/// read: they index it without bounds tests.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class WeightGuard
{
    /// <summary>Throws unless <paramref name="values"/> holds exactly <paramref name="length"/> floats.</summary>
    public static void Require(float[] values, int length, string name)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Length != length)
        {
            throw new ArgumentException($"The finalized weights '{name}' hold {values.Length} floats, but the generated kernels read exactly {length}; the weights do not match the network's ParameterSpecs.", nameof(values));
        }
    }
}
