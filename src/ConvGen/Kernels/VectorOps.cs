using System.ComponentModel;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ConvGen.Kernels;

/// <summary>Vector primitives the generated kernels call where a loop has no shape worth unrolling.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class VectorOps
{
    /// <summary>Σ a[i]·b[i] over <paramref name="length"/> elements, with <see cref="Vector{T}"/> lanes and four accumulators.</summary>
    /// <returns>The dot product.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Dot(ref float a, ref float b, int length)
    {
        int i = 0;
        float sum = 0f;
        if (Vector.IsHardwareAccelerated && length >= Vector<float>.Count * 4)
        {
            var acc0 = Vector<float>.Zero;
            var acc1 = Vector<float>.Zero;
            var acc2 = Vector<float>.Zero;
            var acc3 = Vector<float>.Zero;
            int width = Vector<float>.Count;
            for (; i <= length - (4 * width); i += 4 * width)
            {
                acc0 += Simd.Load(ref a, i) * Simd.Load(ref b, i);
                acc1 += Simd.Load(ref a, i + width) * Simd.Load(ref b, i + width);
                acc2 += Simd.Load(ref a, i + (2 * width)) * Simd.Load(ref b, i + (2 * width));
                acc3 += Simd.Load(ref a, i + (3 * width)) * Simd.Load(ref b, i + (3 * width));
            }

            for (; i <= length - width; i += width)
            {
                acc0 += Simd.Load(ref a, i) * Simd.Load(ref b, i);
            }

            sum = Vector.Sum((acc0 + acc1) + (acc2 + acc3));
        }

        for (; i < length; i++)
        {
            sum += Unsafe.Add(ref a, i) * Unsafe.Add(ref b, i);
        }

        return sum;
    }

    /// <summary>
    /// Σ x[i] over <paramref name="length"/> elements: four <see cref="Vector{T}"/> accumulators, then one at a time,
    /// then the lanes added, then the scalar tail. The order differs from a left-to-right float sum (it is closer to a
    /// pairwise sum, so usually nearer the exact value); a length below one vector is summed left to right.
    /// </summary>
    /// <returns>The sum.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(ref float x, int length)
    {
        int i = 0;
        float sum = 0f;
        int width = Vector<float>.Count;
        if (Vector.IsHardwareAccelerated && length >= width)
        {
            var acc0 = Vector<float>.Zero;
            var acc1 = Vector<float>.Zero;
            var acc2 = Vector<float>.Zero;
            var acc3 = Vector<float>.Zero;
            for (; i <= length - (4 * width); i += 4 * width)
            {
                acc0 += Simd.Load(ref x, i);
                acc1 += Simd.Load(ref x, i + width);
                acc2 += Simd.Load(ref x, i + (2 * width));
                acc3 += Simd.Load(ref x, i + (3 * width));
            }

            for (; i <= length - width; i += width)
            {
                acc0 += Simd.Load(ref x, i);
            }

            sum = Vector.Sum((acc0 + acc1) + (acc2 + acc3));
        }

        for (; i < length; i++)
        {
            sum += Unsafe.Add(ref x, i);
        }

        return sum;
    }
}
