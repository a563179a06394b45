using System.ComponentModel;
using System.Numerics;
using System.Runtime.CompilerServices;

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
}
