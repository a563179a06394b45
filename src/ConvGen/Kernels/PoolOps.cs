using System.ComponentModel;
using System.Runtime.CompilerServices;

namespace ConvGen.Kernels;

/// <summary>Scalar helpers for generated pooling kernels.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class PoolOps
{
    /// <summary>PyTorch's max-pool comparison: the larger value, and NaN once seen.</summary>
    /// <returns>The running maximum.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Max(float current, float value) => value > current || float.IsNaN(value) ? value : current;
}
