using System.ComponentModel;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ConvGen.Kernels;

/// <summary>Helpers for generated pooling kernels: PyTorch's NaN-propagating maximum, on scalars and on vector lanes.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class PoolOps
{
    /// <summary>PyTorch's max-pool comparison: the larger value, and NaN once seen.</summary>
    /// <returns>The running maximum.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Max(float current, float value) => value > current || float.IsNaN(value) ? value : current;

    /// <summary>
    /// <see cref="Max(float, float)"/> in every lane. On x86, MaxNative(value, current) is maxps, which is exactly
    /// value &gt; current ? value : current (a NaN current stays, equal zeros keep current); a NaN value would be dropped,
    /// so its lanes are set to all ones, a NaN, by the unordered-compare mask. (Arm's fmax propagates NaN itself but
    /// returns +0 for ±0.)
    /// </summary>
    /// <returns>The running maximum.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Max(Vector<float> current, Vector<float> value)
#if NET9_0_OR_GREATER
        => Vector.MaxNative(value, current) | Vector.IsNaN(value);
#else
        => Vector.ConditionalSelect(Vector.GreaterThan(value, current) | ~Vector.Equals(value, value), value, current);
#endif

    /// <summary>
    /// Lane j: <see cref="Max(Vector{float}, Vector{float})"/> of elements 2j and 2j + 1 of <paramref name="low"/>
    /// followed by <paramref name="high"/>: two neighbouring taps of a stride-2 window. With AVX2 the maximum is taken
    /// before the one cross-lane permute that restores element order.
    /// </summary>
    /// <returns>The pairwise maxima.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> MaxOfPairs(Vector<float> low, Vector<float> high)
    {
        if (Vector<float>.Count == 8 && Avx2.IsSupported)
        {
            var evens = Avx.Shuffle(low.AsVector256(), high.AsVector256(), 0b10_00_10_00).AsVector();
            var odds = Avx.Shuffle(low.AsVector256(), high.AsVector256(), 0b11_01_11_01).AsVector();
            return Simd.InOrder(Max(evens, odds).AsVector256());
        }

        return Max(Simd.Evens(low, high), Simd.Odds(low, high));
    }

    /// <summary>Lane j: element 2j + element 2j + 1 of <paramref name="low"/> followed by <paramref name="high"/> (see <see cref="MaxOfPairs"/>).</summary>
    /// <returns>The pairwise sums.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> SumOfPairs(Vector<float> low, Vector<float> high)
    {
        if (Vector<float>.Count == 8 && Avx2.IsSupported)
        {
            var evens = Avx.Shuffle(low.AsVector256(), high.AsVector256(), 0b10_00_10_00);
            var odds = Avx.Shuffle(low.AsVector256(), high.AsVector256(), 0b11_01_11_01);
            return Simd.InOrder(Avx.Add(evens, odds));
        }

        return Simd.Evens(low, high) + Simd.Odds(low, high);
    }
}
