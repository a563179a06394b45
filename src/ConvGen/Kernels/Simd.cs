using System.ComponentModel;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ConvGen.Kernels;

/// <summary>Vector helpers for generated kernels; <see cref="Vector{T}"/> keeps them width-agnostic (SSE, AVX2, NEON).</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class Simd
{
    /// <summary>
    /// a·b + c: one fused instruction where the hardware has FMA (x86 FMA3, Arm AdvSimd), a multiply and an add
    /// where it does not (a software-emulated fused multiply-add is about 20 times slower). The last bit of a
    /// result can therefore differ between machines. The same helper serves the optimizers.
    /// </summary>
    /// <returns>The multiply-add.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> MultiplyAdd(Vector<float> a, Vector<float> b, Vector<float> c)
        => Training.FusedMath.MultiplyAdd(a, b, c);

    /// <summary>Loads a vector from <paramref name="source"/> + <paramref name="offset"/> elements.</summary>
    /// <returns>The vector.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Load(ref float source, int offset)
        => Unsafe.ReadUnaligned<Vector<float>>(ref Unsafe.As<float, byte>(ref Unsafe.Add(ref source, offset)));

    /// <summary>Stores <paramref name="value"/> at <paramref name="destination"/> + <paramref name="offset"/> elements.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector<float> value, ref float destination, int offset)
        => Unsafe.WriteUnaligned(ref Unsafe.As<float, byte>(ref Unsafe.Add(ref destination, offset)), value);

    /// <summary>max(v, 0) lane-wise; NaN stays NaN, as in PyTorch (a plain vector max would turn it into 0).</summary>
    /// <returns>The rectified vector.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> ReLU(Vector<float> v) => Vector.ConditionalSelect(Vector.LessThan(v, Vector<float>.Zero), Vector<float>.Zero, v);

    /// <summary>min(max(v, 0), 6) lane-wise; NaN stays NaN.</summary>
    /// <returns>The clipped vector.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> ReLU6(Vector<float> v)
    {
        var six = new Vector<float>(6f);
        return Vector.ConditionalSelect(Vector.GreaterThan(v, six), six, ReLU(v));
    }

    /// <summary>v where v ≥ 0, else slope·v, lane-wise.</summary>
    /// <returns>The activated vector.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> LeakyReLU(Vector<float> v, float slope)
        => Vector.ConditionalSelect(Vector.GreaterThanOrEqual(v, Vector<float>.Zero), v, v * slope);

    /// <summary>
    /// The even-indexed floats of <paramref name="low"/> followed by <paramref name="high"/> (the 2·Count floats read as
    /// one row): lane j is element 2j. One shuffle with SSE, a shuffle and a cross-lane permute with AVX2; other widths
    /// (AVX-512, Arm) take the low 32 bits of each 64-bit pair with a narrowing conversion (the runtime is little-endian
    /// on every platform it supports).
    /// </summary>
    /// <returns>The even elements, in order.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Evens(Vector<float> low, Vector<float> high)
    {
        if (Vector<float>.Count == 8 && Avx2.IsSupported)
        {
            return InOrder(Avx.Shuffle(low.AsVector256(), high.AsVector256(), 0b10_00_10_00));
        }

        if (Vector<float>.Count == 4 && Sse.IsSupported)
        {
            return Sse.Shuffle(low.AsVector128(), high.AsVector128(), 0b10_00_10_00).AsVector();
        }

        return Vector.AsVectorSingle(Vector.Narrow(Vector.AsVectorUInt64(low), Vector.AsVectorUInt64(high)));
    }

    /// <summary>The odd-indexed floats of <paramref name="low"/> followed by <paramref name="high"/>: lane j is element 2j + 1 (see <see cref="Evens"/>).</summary>
    /// <returns>The odd elements, in order.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Odds(Vector<float> low, Vector<float> high)
    {
        if (Vector<float>.Count == 8 && Avx2.IsSupported)
        {
            return InOrder(Avx.Shuffle(low.AsVector256(), high.AsVector256(), 0b11_01_11_01));
        }

        if (Vector<float>.Count == 4 && Sse.IsSupported)
        {
            return Sse.Shuffle(low.AsVector128(), high.AsVector128(), 0b11_01_11_01).AsVector();
        }

        return Vector.AsVectorSingle(Vector.Narrow(
            Vector.ShiftRightLogical(Vector.AsVectorUInt64(low), 32),
            Vector.ShiftRightLogical(Vector.AsVectorUInt64(high), 32)));
    }

    /// <summary>
    /// a0 b0 a1 b1 … : <paramref name="a"/> and <paramref name="b"/> interleaved lane by lane; <paramref name="low"/>
    /// receives the first Count floats, <paramref name="high"/> the rest. (The inverse of <see cref="Evens"/> and <see cref="Odds"/>.)
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Interleave(Vector<float> a, Vector<float> b, out Vector<float> low, out Vector<float> high)
    {
        if (Vector<float>.Count == 8 && Avx.IsSupported)
        {
            // Unpack works within 128-bit halves: a0 b0 a1 b1 | a4 b4 a5 b5 and a2 b2 a3 b3 | a6 b6 a7 b7, then swap halves.
            var u = Avx.UnpackLow(a.AsVector256(), b.AsVector256());
            var v = Avx.UnpackHigh(a.AsVector256(), b.AsVector256());
            low = Avx.Permute2x128(u, v, 0x20).AsVector();
            high = Avx.Permute2x128(u, v, 0x31).AsVector();
            return;
        }

        if (Vector<float>.Count == 4 && Sse.IsSupported)
        {
            low = Sse.UnpackLow(a.AsVector128(), b.AsVector128()).AsVector();
            high = Sse.UnpackHigh(a.AsVector128(), b.AsVector128()).AsVector();
            return;
        }

        // Any width: widen each float to a 64-bit pair and put b's bits in the high half.
        Vector.Widen(Vector.AsVectorUInt32(a), out Vector<ulong> a0, out Vector<ulong> a1);
        Vector.Widen(Vector.AsVectorUInt32(b), out Vector<ulong> b0, out Vector<ulong> b1);
        low = Vector.AsVectorSingle(a0 | Vector.ShiftLeft(b0, 32));
        high = Vector.AsVectorSingle(a1 | Vector.ShiftLeft(b1, 32));
    }

    /// <summary>
    /// Puts the result of an AVX shuffle of two vectors (x0 x2 y0 y2 | x4 x6 y4 y6) in element order
    /// (x0 x2 x4 x6 y0 y2 y4 y6). Lane-wise operations commute with it, so callers may combine several shuffles first.
    /// </summary>
    /// <returns>The vector in element order.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector<float> InOrder(Vector256<float> shuffled)
        => Avx2.Permute4x64(shuffled.AsDouble(), 0b11_01_10_00).AsSingle().AsVector();
}
