using System;
using System.ComponentModel;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ConvGen.Kernels;

/// <summary>
/// Element-wise loops of the generated training kernels on <see cref="Vector{T}"/> lanes: ReLU and its gradient,
/// products with a dropout mask, BatchNorm's affine maps, and sums in double. Every method takes the length of its
/// first span and requires the others to be at least as long.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class ElementOps
{
    private static int Width => Vector<float>.Count;

    /// <summary>y = max(x, 0), NaN kept (PyTorch's ReLU).</summary>
    /// <exception cref="ArgumentException">A span is shorter than <paramref name="x"/>.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Relu(ReadOnlySpan<float> x, Span<float> y)
    {
        Require(x.Length, y.Length, nameof(y));
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float ys = ref MemoryMarshal.GetReference(y);
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= x.Length - Width; i += Width)
            {
                Simd.Store(Simd.ReLU(Simd.Load(ref xs, i)), ref ys, i);
            }
        }

        for (; i < x.Length; i++)
        {
            float v = Unsafe.Add(ref xs, i);
            Unsafe.Add(ref ys, i) = v < 0f ? 0f : v;
        }
    }

    /// <summary>dx += (x ≤ 0 ? 0 : dy): ReLU's gradient (a NaN input passes the gradient, as PyTorch's threshold_backward).</summary>
    /// <exception cref="ArgumentException">A span is shorter than <paramref name="x"/>.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ReluBackward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx)
    {
        Require(x.Length, dy.Length, nameof(dy));
        Require(x.Length, dx.Length, nameof(dx));
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float gs = ref MemoryMarshal.GetReference(dy);
        ref float ds = ref MemoryMarshal.GetReference(dx);
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= x.Length - Width; i += Width)
            {
                var blocked = Vector.LessThanOrEqual(Simd.Load(ref xs, i), Vector<float>.Zero);
                Simd.Store(Simd.Load(ref ds, i) + Vector.ConditionalSelect(blocked, Vector<float>.Zero, Simd.Load(ref gs, i)), ref ds, i);
            }
        }

        for (; i < x.Length; i++)
        {
            Unsafe.Add(ref ds, i) += Unsafe.Add(ref xs, i) <= 0f ? 0f : Unsafe.Add(ref gs, i);
        }
    }

    /// <summary>y = x · m (a dropout mask of 0 and 1/(1 − p)).</summary>
    /// <exception cref="ArgumentException">A span is shorter than <paramref name="x"/>.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Multiply(ReadOnlySpan<float> x, ReadOnlySpan<float> m, Span<float> y)
    {
        Require(x.Length, m.Length, nameof(m));
        Require(x.Length, y.Length, nameof(y));
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float ms = ref MemoryMarshal.GetReference(m);
        ref float ys = ref MemoryMarshal.GetReference(y);
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= x.Length - Width; i += Width)
            {
                Simd.Store(Simd.Load(ref xs, i) * Simd.Load(ref ms, i), ref ys, i);
            }
        }

        for (; i < x.Length; i++)
        {
            Unsafe.Add(ref ys, i) = Unsafe.Add(ref xs, i) * Unsafe.Add(ref ms, i);
        }
    }

    /// <summary>dx += dy · m.</summary>
    /// <exception cref="ArgumentException">A span is shorter than <paramref name="dy"/>.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MultiplyAdd(ReadOnlySpan<float> dy, ReadOnlySpan<float> m, Span<float> dx)
    {
        Require(dy.Length, m.Length, nameof(m));
        Require(dy.Length, dx.Length, nameof(dx));
        ref float gs = ref MemoryMarshal.GetReference(dy);
        ref float ms = ref MemoryMarshal.GetReference(m);
        ref float ds = ref MemoryMarshal.GetReference(dx);
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= dy.Length - Width; i += Width)
            {
                Simd.Store(Simd.MultiplyAdd(Simd.Load(ref gs, i), Simd.Load(ref ms, i), Simd.Load(ref ds, i)), ref ds, i);
            }
        }

        for (; i < dy.Length; i++)
        {
            Unsafe.Add(ref ds, i) += Unsafe.Add(ref gs, i) * Unsafe.Add(ref ms, i);
        }
    }

    /// <summary>
    /// y = a·(x − center) + b: BatchNorm's normalization, centred first. The centre is applied as two floats, its
    /// float part and the rest: x − hi is exact when x is near the centre (within a factor 2), so data far from 0
    /// (x = 1000 ± 0.001) keeps its small deviations, which a float centre or a folded x·a + (b − a·centre) rounds away.
    /// </summary>
    /// <exception cref="ArgumentException">A span is shorter than <paramref name="x"/>.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Affine(ReadOnlySpan<float> x, double center, float a, float b, Span<float> y)
    {
        Require(x.Length, y.Length, nameof(y));
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float ys = ref MemoryMarshal.GetReference(y);
        var (hi, lo) = Split(center);
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            Vector<float> va = new(a), vb = new(b), vhi = new(hi), vlo = new(lo);
            for (; i <= x.Length - Width; i += Width)
            {
                Simd.Store(Simd.MultiplyAdd(Simd.Load(ref xs, i) - vhi - vlo, va, vb), ref ys, i);
            }
        }

        for (; i < x.Length; i++)
        {
            Unsafe.Add(ref ys, i) = ((Unsafe.Add(ref xs, i) - hi - lo) * a) + b;
        }
    }

    /// <summary>
    /// dx += a·dy + b·(x − center) + c (BatchNorm's input gradient in training mode; centring first keeps precision,
    /// with the centre applied as two floats as in <see cref="Affine"/>).
    /// </summary>
    /// <exception cref="ArgumentException">A span is shorter than <paramref name="dy"/>.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AffineAdd(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, double center, float a, float b, float c, Span<float> dx)
    {
        Require(dy.Length, x.Length, nameof(x));
        Require(dy.Length, dx.Length, nameof(dx));
        var (hi, lo) = Split(center);
        ref float gs = ref MemoryMarshal.GetReference(dy);
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float ds = ref MemoryMarshal.GetReference(dx);
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            Vector<float> va = new(a), vb = new(b), vc = new(c), vhi = new(hi), vlo = new(lo);
            for (; i <= dy.Length - Width; i += Width)
            {
                var update = Simd.MultiplyAdd(Simd.Load(ref gs, i), va, Simd.MultiplyAdd(Simd.Load(ref xs, i) - vhi - vlo, vb, vc));
                Simd.Store(Simd.Load(ref ds, i) + update, ref ds, i);
            }
        }

        for (; i < dy.Length; i++)
        {
            Unsafe.Add(ref ds, i) += (a * Unsafe.Add(ref gs, i)) + (b * (Unsafe.Add(ref xs, i) - hi - lo)) + c;
        }
    }

    /// <summary>Σ x and Σ (x − center)·w (w = x when <paramref name="w"/> is x itself), both accumulated in double.</summary>
    /// <returns>The two sums.</returns>
    /// <exception cref="ArgumentException"><paramref name="w"/> is shorter than <paramref name="x"/>.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static (double Sum, double Products) Sums(ReadOnlySpan<float> x, ReadOnlySpan<float> w, double center)
    {
        Require(x.Length, w.Length, nameof(w));
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float ws = ref MemoryMarshal.GetReference(w);
        double sum = 0, products = 0;
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            Vector<double> s0 = default, s1 = default, p0 = default, p1 = default;
            var vc = new Vector<double>(center);
            for (; i <= x.Length - Width; i += Width)
            {
                Vector.Widen(Simd.Load(ref xs, i), out Vector<double> x0, out Vector<double> x1);
                Vector.Widen(Simd.Load(ref ws, i), out Vector<double> w0, out Vector<double> w1);
                s0 += x0;
                s1 += x1;
                p0 += (w0 - vc) * x0;
                p1 += (w1 - vc) * x1;
            }

            sum = Vector.Sum(s0 + s1);
            products = Vector.Sum(p0 + p1);
        }

        for (; i < x.Length; i++)
        {
            double v = Unsafe.Add(ref xs, i);
            sum += v;
            products += (Unsafe.Add(ref ws, i) - center) * v;
        }

        return (sum, products);
    }

    /// <summary>
    /// Σ (x − center)², accumulated in double: the second pass of a two-pass variance, which stays accurate however
    /// far the data sits from 0 (the shortcut Σ (x − μ)·x adds μ·Σ (x − μ), the rounding of μ times the offset).
    /// </summary>
    /// <returns>The sum of squared deviations.</returns>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double SquaredDeviations(ReadOnlySpan<float> x, double center)
    {
        ref float xs = ref MemoryMarshal.GetReference(x);
        double squares = 0;
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            Vector<double> q0 = default, q1 = default;
            var vc = new Vector<double>(center);
            for (; i <= x.Length - Width; i += Width)
            {
                Vector.Widen(Simd.Load(ref xs, i), out Vector<double> x0, out Vector<double> x1);
                var d0 = x0 - vc;
                var d1 = x1 - vc;
                q0 += d0 * d0;
                q1 += d1 * d1;
            }

            squares = Vector.Sum(q0 + q1);
        }

        for (; i < x.Length; i++)
        {
            double d = Unsafe.Add(ref xs, i) - center;
            squares += d * d;
        }

        return squares;
    }

    /// <summary>A double as a float and the float remainder, hi + lo ≈ v to about 48 bits.</summary>
    private static (float Hi, float Lo) Split(double v)
    {
        float hi = (float)v;
        return (hi, (float)(v - hi));
    }

    private static void Require(int needed, int length, string name)
    {
        if (length < needed)
        {
            throw new ArgumentException($"{name} holds {length} floats; it must hold at least {needed}.", name);
        }
    }
}
