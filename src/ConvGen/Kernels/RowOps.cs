using System;
using System.ComponentModel;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ConvGen.Kernels;

/// <summary>
/// The strided row primitives the generated training kernels are written in. A convolution tap, seen from one
/// (output channel, input channel) pair, pairs a block of <c>rows × cols</c> output positions with a block of input
/// positions; the generator computes each block's offsets and strides from the shapes (so no index ever leaves its
/// tensor) and writes one call per tap. Every call checks its extent against the spans once, then runs unchecked.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class RowOps
{
    /// <summary>
    /// y[yOffset + r·yRowStride + c·yStep] += a · x[xOffset + r·xRowStride + c·xStep] for r &lt; rows, c &lt; cols.
    /// Unit steps run on <see cref="Vector{T}"/> lanes.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A block reaches outside its span.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Axpy(
        float a,
        ReadOnlySpan<float> x, int xOffset, int xRowStride, int xStep,
        Span<float> y, int yOffset, int yRowStride, int yStep,
        int rows, int cols)
    {
        if (rows <= 0 || cols <= 0)
        {
            return;
        }

        CheckBlock(x.Length, xOffset, xRowStride, xStep, rows, cols, nameof(x));
        CheckBlock(y.Length, yOffset, yRowStride, yStep, rows, cols, nameof(y));
        ref float x0 = ref MemoryMarshal.GetReference(x);
        ref float y0 = ref MemoryMarshal.GetReference(y);
        for (int r = 0; r < rows; r++)
        {
            ref float xr = ref Unsafe.Add(ref x0, xOffset + (r * xRowStride));
            ref float yr = ref Unsafe.Add(ref y0, yOffset + (r * yRowStride));
            if (xStep == 1 && yStep == 1)
            {
                AxpyContiguous(a, ref xr, ref yr, cols);
            }
            else
            {
                for (int c = 0; c < cols; c++)
                {
                    Unsafe.Add(ref yr, c * yStep) += a * Unsafe.Add(ref xr, c * xStep);
                }
            }
        }
    }

    /// <summary>y[yOffset + r·yRowStride + c·yStep] = x[xOffset + r·xRowStride + c·xStep] for r &lt; rows, c &lt; cols.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A block reaches outside its span.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Copy(
        ReadOnlySpan<float> x, int xOffset, int xRowStride, int xStep,
        Span<float> y, int yOffset, int yRowStride, int yStep,
        int rows, int cols)
    {
        if (rows <= 0 || cols <= 0)
        {
            return;
        }

        CheckBlock(x.Length, xOffset, xRowStride, xStep, rows, cols, nameof(x));
        CheckBlock(y.Length, yOffset, yRowStride, yStep, rows, cols, nameof(y));
        ref float x0 = ref MemoryMarshal.GetReference(x);
        ref float y0 = ref MemoryMarshal.GetReference(y);
        for (int r = 0; r < rows; r++)
        {
            ref float xr = ref Unsafe.Add(ref x0, xOffset + (r * xRowStride));
            ref float yr = ref Unsafe.Add(ref y0, yOffset + (r * yRowStride));
            for (int c = 0; c < cols; c++)
            {
                Unsafe.Add(ref yr, c * yStep) = Unsafe.Add(ref xr, c * xStep);
            }
        }
    }

    /// <summary>Σ a[aOffset + r·aRowStride + c·aStep] · b[bOffset + r·bRowStride + c·bStep] over r &lt; rows, c &lt; cols.</summary>
    /// <returns>The sum.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A block reaches outside its span.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float Dot(
        ReadOnlySpan<float> a, int aOffset, int aRowStride, int aStep,
        ReadOnlySpan<float> b, int bOffset, int bRowStride, int bStep,
        int rows, int cols)
    {
        if (rows <= 0 || cols <= 0)
        {
            return 0f;
        }

        CheckBlock(a.Length, aOffset, aRowStride, aStep, rows, cols, nameof(a));
        CheckBlock(b.Length, bOffset, bRowStride, bStep, rows, cols, nameof(b));
        ref float a0 = ref MemoryMarshal.GetReference(a);
        ref float b0 = ref MemoryMarshal.GetReference(b);
        if (rows == 1 && aStep == 1 && bStep == 1)
        {
            return VectorOps.Dot(ref Unsafe.Add(ref a0, aOffset), ref Unsafe.Add(ref b0, bOffset), cols);
        }

        int width = Vector<float>.Count;
        if (aStep == 1 && bStep == 1 && Vector.IsHardwareAccelerated && cols >= width)
        {
            // Short rows (a convolution's output width) still fill lanes: one vector accumulator across all rows.
            var acc = Vector<float>.Zero;
            float tail = 0f;
            for (int r = 0; r < rows; r++)
            {
                ref float ar = ref Unsafe.Add(ref a0, aOffset + (r * aRowStride));
                ref float br = ref Unsafe.Add(ref b0, bOffset + (r * bRowStride));
                int c = 0;
                for (; c <= cols - width; c += width)
                {
                    acc = Simd.MultiplyAdd(Simd.Load(ref ar, c), Simd.Load(ref br, c), acc);
                }

                for (; c < cols; c++)
                {
                    tail += Unsafe.Add(ref ar, c) * Unsafe.Add(ref br, c);
                }
            }

            return Vector.Sum(acc) + tail;
        }

        float sum = 0f;
        for (int r = 0; r < rows; r++)
        {
            ref float ar = ref Unsafe.Add(ref a0, aOffset + (r * aRowStride));
            ref float br = ref Unsafe.Add(ref b0, bOffset + (r * bRowStride));
            for (int c = 0; c < cols; c++)
            {
                sum += Unsafe.Add(ref ar, c * aStep) * Unsafe.Add(ref br, c * bStep);
            }
        }

        return sum;
    }

    /// <summary>y[i] += a · x[i] for every i of <paramref name="x"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="y"/> is shorter than <paramref name="x"/>.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Axpy(float a, ReadOnlySpan<float> x, Span<float> y)
    {
        if (y.Length < x.Length)
        {
            throw new ArgumentException($"y holds {y.Length} floats, x {x.Length}: y must hold at least as many.", nameof(y));
        }

        AxpyContiguous(a, ref MemoryMarshal.GetReference(x), ref MemoryMarshal.GetReference(y), x.Length);
    }

    /// <summary>Σ x[i] in double, rounded once.</summary>
    /// <returns>The sum.</returns>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float Sum(ReadOnlySpan<float> x)
    {
        double sum = 0;
        foreach (float v in x)
        {
            sum += v;
        }

        return (float)sum;
    }

    /// <summary>y[i] += x[i].</summary>
    /// <exception cref="ArgumentException"><paramref name="y"/> is shorter than <paramref name="x"/>.</exception>
    public static void Add(ReadOnlySpan<float> x, Span<float> y) => Axpy(1f, x, y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AxpyContiguous(float a, ref float x, ref float y, int length)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && length >= Vector<float>.Count)
        {
            var va = new Vector<float>(a);
            for (; i <= length - Vector<float>.Count; i += Vector<float>.Count)
            {
                Simd.Store(Simd.MultiplyAdd(va, Simd.Load(ref x, i), Simd.Load(ref y, i)), ref y, i);
            }
        }

        for (; i < length; i++)
        {
            Unsafe.Add(ref y, i) += a * Unsafe.Add(ref x, i);
        }
    }

    /// <summary>
    /// Throws unless every index offset + r·rowStride + q·step (r &lt; rows, q &lt; cols) lies in [0, length): the one
    /// extent check of the row primitives and of <see cref="Gemm"/>, whose messages say "block" or "matrix".
    /// </summary>
    internal static void CheckBlock(int length, int offset, int rowStride, int step, int rows, int cols, string name, string what = "block")
    {
        long first = offset + Math.Min(0L, (long)(rows - 1) * rowStride) + Math.Min(0L, (long)(cols - 1) * step);
        long last = offset + Math.Max(0L, (long)(rows - 1) * rowStride) + Math.Max(0L, (long)(cols - 1) * step);
        if (first < 0 || last >= length)
        {
            throw new ArgumentOutOfRangeException(
                name,
                $"A {rows} × {cols} {what} at offset {offset} (row stride {rowStride}, step {step}) reaches index {(first < 0 ? first : last)}, outside a span of {length} floats.");
        }
    }
}
