using System.Numerics;
using System.Runtime.CompilerServices;
#if !NET9_0_OR_GREATER
using System.Runtime.Intrinsics;
#endif
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace ConvGen.Training;

/// <summary>
/// The fused multiply-add PyTorch's CPU kernels use. Its <c>add(other, alpha)</c> computes fma(other, alpha, self) and
/// <c>addcmul(t1, t2, value)</c> computes fma(value·t1, t2, self) (measured on PyTorch 1.13's AVX2 kernels, both in
/// their vector bodies and their compiled scalar tails), so the optimizers round once where PyTorch does and agree
/// with it bit for bit. Like <see cref="Kernels.Simd.MultiplyAdd"/>, it falls back to a multiply and an add where the
/// hardware has no FMA (PyTorch's kernels for such machines do not fuse either).
/// </summary>
internal static class FusedMath
{
    /// <summary>a·b + c, rounded once where the hardware can.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> MultiplyAdd(Vector<float> a, Vector<float> b, Vector<float> c)
    {
#if NET9_0_OR_GREATER
        if (Fma.IsSupported || AdvSimd.IsSupported)
        {
            return Vector.FusedMultiplyAdd(a, b, c);
        }
#else
        // .NET 8 has no Vector.FusedMultiplyAdd: reach the instruction through the fixed-width types.
        if (Fma.IsSupported && Vector<float>.Count == Vector256<float>.Count)
        {
            return Fma.MultiplyAdd(a.AsVector256(), b.AsVector256(), c.AsVector256()).AsVector();
        }

        if (Fma.IsSupported && Vector<float>.Count == Vector128<float>.Count)
        {
            return Fma.MultiplyAdd(a.AsVector128(), b.AsVector128(), c.AsVector128()).AsVector();
        }

        if (AdvSimd.IsSupported && Vector<float>.Count == Vector128<float>.Count)
        {
            return AdvSimd.FusedMultiplyAdd(c.AsVector128(), a.AsVector128(), b.AsVector128()).AsVector();
        }
#endif
        return (a * b) + c;
    }
}
