using System.ComponentModel;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace ConvGen.Kernels;

/// <summary>
/// The transcendental activations (Sigmoid, Tanh, SiLU) on <see cref="Vector{T}"/> lanes, so that generated epilogues
/// and element-wise kernels apply them to whole vectors. Written out here rather than taken from the framework's
/// <c>Vector.Exp</c> (.NET 9 on only) so the library computes the same bits on net8.0 and net10.0.
/// </summary>
/// <remarks>
/// <para>
/// exp(x) = 2^n · exp(r), n = round(x·log2 e), r = x − n·ln 2 in two parts (Cody and Waite; n·ln2_hi is exact), and
/// exp(r) = 1 + r + r²·P(r) on |r| ≤ ln2/2 with Cephes' degree-5 P. The scale 2^n is applied as 2^⌊n/2⌋ · 2^(n − ⌊n/2⌋),
/// so a result that underflows rounds once into the subnormals and one that overflows becomes +∞.
/// </para>
/// <para>
/// Each activation uses exp only where it lies in (0, 1], so nothing overflows: σ(x) = e/(1 + e) for x &lt; 0 and
/// 1/(1 + e) otherwise, with e = exp(−|x|); SiLU is x·e/(1 + e) or x/(1 + e), with x·e scaled in the same two steps so
/// that subnormal results keep their precision; tanh|x| = −m/(2 + m) with m = expm1(−2|x|) = (2^n − 1) + 2^n·expm1(r),
/// which has no cancellation near 0. NaN in gives NaN out; ±∞ and ±0 give what PyTorch gives (SiLU(−∞) is NaN there too).
/// Measured against double-precision math over every float in [−110, 110] and its neighbourhood of 0 (see the tests):
/// at most 2 ulp for exp, 3 ulp for Sigmoid, SiLU and Tanh.
/// </para>
/// <para>
/// The scalar overloads run the vector code on one broadcast value and return lane 0, so a tensor's values do not
/// depend on whether a kernel reached them with a vector or with its scalar tail.
/// </para>
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class VectorMath
{
    private const float Log2E = 1.44269504088896341f;

    // ln 2 = Ln2High + Ln2Low; Ln2High has 9 significant bits, so n·Ln2High is exact for |n| < 2^15.
    private const float Ln2High = 0.693359375f;
    private const float Ln2Low = -2.12194440e-4f;

    // 1.5·2^23: adding it rounds a float of magnitude below 2^22 to an integer held in the low mantissa bits.
    private const float RoundingShift = 12582912f;

    // Below −104, exp(x) < 2^−150 rounds to 0, and so does x·exp(x) below −109; above 89, exp(x) is +∞. Clamping keeps
    // n within the two scale factors' range.
    private const float ExpLow = -120f;
    private const float ExpHigh = 89f;

    /// <summary>e^x in every lane (at most 2 ulp from the correctly rounded value; subnormal results rounded once).</summary>
    /// <returns>The exponentials.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Exp(Vector<float> x)
    {
        var high = new Vector<float>(ExpHigh);
        x = Vector.ConditionalSelect(Vector.GreaterThan(x, high), high, x);
        var y = ExpReduced(AtLeast(x, ExpLow), out var n);
        Scales(n, out var first, out var second);
        return y * first * second;
    }

    /// <summary>PyTorch's <c>Sigmoid</c>, 1/(1 + e^−x), in every lane.</summary>
    /// <returns>The activated vector.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Sigmoid(Vector<float> x)
    {
        var e = ExpOfMinusAbs(x);
        var one = Vector<float>.One;
        return Vector.ConditionalSelect(Vector.LessThan(x, Vector<float>.Zero), e, one) / (one + e);
    }

    /// <summary>PyTorch's <c>SiLU</c>, x·σ(x) = x/(1 + e^−x), in every lane.</summary>
    /// <returns>The activated vector.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> SiLU(Vector<float> x)
    {
        var y = ExpReduced(AtLeast(NegativeAbs(x), ExpLow), out var n);
        Scales(n, out var first, out var second);
        var e = y * first * second;

        // x·e for x < 0, scaled after the multiplication by x so that a subnormal product rounds only once; where
        // −|x| was clamped the scale would be wrong, and x·0 is what PyTorch gets (−0, or NaN for −∞).
        var xe = Vector.ConditionalSelect(Vector.LessThan(x, new Vector<float>(ExpLow)), x * Vector<float>.Zero, x * y * first * second);
        return Vector.ConditionalSelect(Vector.LessThan(x, Vector<float>.Zero), xe, x) / (Vector<float>.One + e);
    }

    /// <summary>PyTorch's <c>Tanh</c> in every lane.</summary>
    /// <returns>The activated vector.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Tanh(Vector<float> x)
    {
        // Beyond |x| = 10, 1 − tanh|x| < 2^−28: the result rounds to ±1, and z stays where 2^n is a normal float.
        var z = AtLeast(NegativeAbs(x) * new Vector<float>(2f), -20f);
        var p = ExpMinusOneReduced(z, out var n);
        Scales(n, out var first, out var second);
        var t = first * second;
        var m = Simd.MultiplyAdd(t, p, t - Vector<float>.One); // expm1(z) ∈ (−1, 0]
        var magnitude = Vector.Abs(m / (new Vector<float>(2f) + m));
        return Vector.AsVectorSingle(Vector.AsVectorUInt32(magnitude) | (Vector.AsVectorUInt32(x) & new Vector<uint>(0x8000_0000u)));
    }

    /// <summary><see cref="Sigmoid(Vector{float})"/> of one value: the same instructions, so the same bits as a vector lane.</summary>
    /// <returns>The activated value.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sigmoid(float x) => Sigmoid(new Vector<float>(x))[0];

    /// <summary><see cref="SiLU(Vector{float})"/> of one value: the same bits as a vector lane.</summary>
    /// <returns>The activated value.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float SiLU(float x) => SiLU(new Vector<float>(x))[0];

    /// <summary><see cref="Tanh(Vector{float})"/> of one value: the same bits as a vector lane.</summary>
    /// <returns>The activated value.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Tanh(float x) => Tanh(new Vector<float>(x))[0];

    /// <summary>exp(−|x|) ∈ [0, 1]: no overflow, so only the low clamp.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<float> ExpOfMinusAbs(Vector<float> x)
    {
        var y = ExpReduced(AtLeast(NegativeAbs(x), ExpLow), out var n);
        Scales(n, out var first, out var second);
        return y * first * second;
    }

    /// <summary>−|x|: the sign bit set.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<float> NegativeAbs(Vector<float> x)
        => Vector.AsVectorSingle(Vector.AsVectorUInt32(x) | new Vector<uint>(0x8000_0000u));

    /// <summary>max(x, limit) by a select, not Vector.Max, so that a NaN lane stays NaN on every target framework.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<float> AtLeast(Vector<float> x, float limit)
    {
        var bound = new Vector<float>(limit);
        return Vector.ConditionalSelect(Vector.LessThan(x, bound), bound, x);
    }

    /// <summary>exp(r) for x = n·ln 2 + r, |r| ≤ ln2/2; x must lie within [<see cref="ExpLow"/>, <see cref="ExpHigh"/>] or be NaN.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<float> ExpReduced(Vector<float> x, out Vector<int> n)
        => ExpMinusOneReduced(x, out n) + Vector<float>.One;

    /// <summary>expm1(r) = r + r²·P(r) for x = n·ln 2 + r (Cephes' expf polynomial).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<float> ExpMinusOneReduced(Vector<float> x, out Vector<int> n)
    {
        var shift = new Vector<float>(RoundingShift);
        var k = Simd.MultiplyAdd(x, new Vector<float>(Log2E), shift);
        n = Vector.AsVectorInt32(k) - Vector.AsVectorInt32(shift);
        var nf = k - shift;
        var r = Simd.MultiplyAdd(nf, new Vector<float>(-Ln2High), x);
        r = Simd.MultiplyAdd(nf, new Vector<float>(-Ln2Low), r);
        var p = new Vector<float>(1.9875691500e-4f);
        p = Simd.MultiplyAdd(p, r, new Vector<float>(1.3981999507e-3f));
        p = Simd.MultiplyAdd(p, r, new Vector<float>(8.3334519073e-3f));
        p = Simd.MultiplyAdd(p, r, new Vector<float>(4.1665795894e-2f));
        p = Simd.MultiplyAdd(p, r, new Vector<float>(1.6666665459e-1f));
        p = Simd.MultiplyAdd(p, r, new Vector<float>(5.0000001201e-1f));
        return Simd.MultiplyAdd(p, r * r, r);
    }

    /// <summary>2^n as the product of two normal floats 2^⌊n/2⌋ and 2^(n − ⌊n/2⌋), for −252 ≤ n ≤ 254.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Scales(Vector<int> n, out Vector<float> first, out Vector<float> second)
    {
        var half = Vector.ShiftRightArithmetic(n, 1);
        var bias = new Vector<int>(127);
        first = Vector.AsVectorSingle(Vector.ShiftLeft(half + bias, 23));
        second = Vector.AsVectorSingle(Vector.ShiftLeft(n - half + bias, 23));
    }
}
