using System;
using System.ComponentModel;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ConvGen.Kernels;

/// <summary>
/// The matrix product the generated training kernels run their convolutions on (after unrolling each sample's
/// input patches into a matrix): C = Â·B or C += Â·B, where B and C are row-major with unit column steps and Â may be
/// strided in both directions, so a transposed weight matrix needs no copy. Register-blocked: four rows of C × two
/// <see cref="Vector{T}"/>s of columns per step.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class Gemm
{
    /// <summary>
    /// C[i, j] (+)= Σ_p a[aOffset + i·aRowStride + p·aColStride] · b[bOffset + p·bRowStride + j] for i &lt; m, j &lt; n,
    /// p &lt; k; C[i, j] is c[cOffset + i·cRowStride + j].
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A matrix reaches outside its span, or a size is negative.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Multiply(
        ReadOnlySpan<float> a, int aOffset, int aRowStride, int aColStride,
        ReadOnlySpan<float> b, int bOffset, int bRowStride,
        Span<float> c, int cOffset, int cRowStride,
        int m, int k, int n, bool accumulate)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        if (m == 0 || n == 0)
        {
            return;
        }

        if (k == 0)
        {
            if (!accumulate)
            {
                for (int i = 0; i < m; i++)
                {
                    c.Slice(cOffset + (i * cRowStride), n).Clear();
                }
            }

            return;
        }

        RowOps.CheckBlock(a.Length, aOffset, aRowStride, aColStride, m, k, nameof(a), "matrix");
        RowOps.CheckBlock(b.Length, bOffset, bRowStride, 1, k, n, nameof(b), "matrix");
        RowOps.CheckBlock(c.Length, cOffset, cRowStride, 1, m, n, nameof(c), "matrix");
        ref float a0 = ref MemoryMarshal.GetReference(a);
        ref float b0 = ref Unsafe.Add(ref MemoryMarshal.GetReference(b), bOffset);
        ref float c0 = ref Unsafe.Add(ref MemoryMarshal.GetReference(c), cOffset);
        int i0 = 0;
        for (; i0 + 4 <= m; i0 += 4)
        {
            ref float ai = ref Unsafe.Add(ref a0, aOffset + (i0 * aRowStride));
            FourRows(ref ai, aRowStride, aColStride, ref b0, bRowStride, ref Unsafe.Add(ref c0, i0 * cRowStride), cRowStride, k, n, accumulate);
        }

        for (; i0 < m; i0++)
        {
            ref float ai = ref Unsafe.Add(ref a0, aOffset + (i0 * aRowStride));
            OneRow(ref ai, aColStride, ref b0, bRowStride, ref Unsafe.Add(ref c0, i0 * cRowStride), k, n, accumulate);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void FourRows(ref float a, int aRowStride, int aColStride, ref float b, int bRowStride, ref float c, int cRowStride, int k, int n, bool accumulate)
    {
        int width = Vector<float>.Count;
        int j = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; j + (2 * width) <= n; j += 2 * width)
            {
                Vector<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default, c30 = default, c31 = default;
                for (int p = 0; p < k; p++)
                {
                    ref float bp = ref Unsafe.Add(ref b, (p * bRowStride) + j);
                    Vector<float> b0 = Simd.Load(ref bp, 0), b1 = Simd.Load(ref bp, width);
                    ref float ap = ref Unsafe.Add(ref a, p * aColStride);
                    var x0 = new Vector<float>(ap);
                    var x1 = new Vector<float>(Unsafe.Add(ref ap, aRowStride));
                    var x2 = new Vector<float>(Unsafe.Add(ref ap, 2 * aRowStride));
                    var x3 = new Vector<float>(Unsafe.Add(ref ap, 3 * aRowStride));
                    c00 = Simd.MultiplyAdd(x0, b0, c00);
                    c01 = Simd.MultiplyAdd(x0, b1, c01);
                    c10 = Simd.MultiplyAdd(x1, b0, c10);
                    c11 = Simd.MultiplyAdd(x1, b1, c11);
                    c20 = Simd.MultiplyAdd(x2, b0, c20);
                    c21 = Simd.MultiplyAdd(x2, b1, c21);
                    c30 = Simd.MultiplyAdd(x3, b0, c30);
                    c31 = Simd.MultiplyAdd(x3, b1, c31);
                }

                Store(ref c, j, c00, c01, accumulate);
                Store(ref Unsafe.Add(ref c, cRowStride), j, c10, c11, accumulate);
                Store(ref Unsafe.Add(ref c, 2 * cRowStride), j, c20, c21, accumulate);
                Store(ref Unsafe.Add(ref c, 3 * cRowStride), j, c30, c31, accumulate);
            }
        }

        if (j < n)
        {
            for (int r = 0; r < 4; r++)
            {
                Columns(ref Unsafe.Add(ref a, r * aRowStride), aColStride, ref b, bRowStride, ref Unsafe.Add(ref c, r * cRowStride), k, j, n, accumulate);
            }
        }
    }

    private static void OneRow(ref float a, int aColStride, ref float b, int bRowStride, ref float c, int k, int n, bool accumulate)
        => Columns(ref a, aColStride, ref b, bRowStride, ref c, k, 0, n, accumulate);

    /// <summary>One row of C, columns <paramref name="from"/> to <paramref name="n"/>: one vector at a time, then scalars.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Columns(ref float a, int aColStride, ref float b, int bRowStride, ref float c, int k, int from, int n, bool accumulate)
    {
        int width = Vector<float>.Count;
        int j = from;
        if (Vector.IsHardwareAccelerated)
        {
            for (; j + width <= n; j += width)
            {
                Vector<float> acc = default;
                for (int p = 0; p < k; p++)
                {
                    acc = Simd.MultiplyAdd(new Vector<float>(Unsafe.Add(ref a, p * aColStride)), Simd.Load(ref b, (p * bRowStride) + j), acc);
                }

                Simd.Store(accumulate ? acc + Simd.Load(ref c, j) : acc, ref c, j);
            }
        }

        for (; j < n; j++)
        {
            float sum = 0f;
            for (int p = 0; p < k; p++)
            {
                sum += Unsafe.Add(ref a, p * aColStride) * Unsafe.Add(ref b, (p * bRowStride) + j);
            }

            Unsafe.Add(ref c, j) = accumulate ? Unsafe.Add(ref c, j) + sum : sum;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(ref float row, int j, Vector<float> v0, Vector<float> v1, bool accumulate)
    {
        int width = Vector<float>.Count;
        if (accumulate)
        {
            v0 += Simd.Load(ref row, j);
            v1 += Simd.Load(ref row, j + width);
        }

        Simd.Store(v0, ref row, j);
        Simd.Store(v1, ref row, j + width);
    }
}
