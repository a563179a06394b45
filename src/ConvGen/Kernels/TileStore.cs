using System.ComponentModel;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ConvGen.Kernels;

/// <summary>
/// Stores a register tile whose vectors hold output channels (one vector per output position) into the channels-first
/// layout, where each channel's positions are contiguous: a transpose. With 8-lane AVX vectors the tile is transposed
/// in registers (unpacks, shuffles and lane swaps) and each channel's positions leave in one store (8, 4 or 2 positions
/// at a time; a tile of other sizes is split into those and single positions); at other widths each lane is stored on
/// its own.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class TileStore
{
    /// <summary>
    /// Position j's channels are the lanes of <c>p{j}</c> (j &lt; 4); channel c's four values go to
    /// <paramref name="destination"/> + c·<paramref name="stride"/> … + 3, for the first <paramref name="count"/> channels.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Channels4(Vector<float> p0, Vector<float> p1, Vector<float> p2, Vector<float> p3, ref float destination, int stride, int count)
    {
        if (Vector<float>.Count == 8 && Avx.IsSupported)
        {
            Quads(p0, p1, p2, p3, out var s0, out var s1, out var s2, out var s3);
            StoreSome(s0.GetLower(), ref destination, 0, count);
            StoreSome(s1.GetLower(), ref destination, stride, count - 1);
            StoreSome(s2.GetLower(), ref destination, 2 * stride, count - 2);
            StoreSome(s3.GetLower(), ref destination, 3 * stride, count - 3);
            StoreSome(s0.GetUpper(), ref destination, 4 * stride, count - 4);
            StoreSome(s1.GetUpper(), ref destination, 5 * stride, count - 5);
            StoreSome(s2.GetUpper(), ref destination, 6 * stride, count - 6);
            StoreSome(s3.GetUpper(), ref destination, 7 * stride, count - 7);
            return;
        }

        Channels2(p0, p1, ref destination, stride, count);
        Channels2(p2, p3, ref Unsafe.Add(ref destination, 2), stride, count);
    }

    /// <summary>
    /// Position j's channels are the lanes of <c>p{j}</c> (j &lt; 8); channel c's eight values go to
    /// <paramref name="destination"/> + c·<paramref name="stride"/> … + 7, for the first <paramref name="count"/> channels.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Channels8(
        Vector<float> p0, Vector<float> p1, Vector<float> p2, Vector<float> p3, Vector<float> p4, Vector<float> p5, Vector<float> p6, Vector<float> p7,
        ref float destination, int stride, int count)
    {
        if (Vector<float>.Count == 8 && Avx.IsSupported)
        {
            Vector256<float> c0 = p0.AsVector256(), c1 = p1.AsVector256(), c2 = p2.AsVector256(), c3 = p3.AsVector256();
            Vector256<float> c4 = p4.AsVector256(), c5 = p5.AsVector256(), c6 = p6.AsVector256(), c7 = p7.AsVector256();
            Transpose8(ref c0, ref c1, ref c2, ref c3, ref c4, ref c5, ref c6, ref c7);
            StoreSome(c0, ref destination, 0, count);
            StoreSome(c1, ref destination, stride, count - 1);
            StoreSome(c2, ref destination, 2 * stride, count - 2);
            StoreSome(c3, ref destination, 3 * stride, count - 3);
            StoreSome(c4, ref destination, 4 * stride, count - 4);
            StoreSome(c5, ref destination, 5 * stride, count - 5);
            StoreSome(c6, ref destination, 6 * stride, count - 6);
            StoreSome(c7, ref destination, 7 * stride, count - 7);
            return;
        }

        Channels4(p0, p1, p2, p3, ref destination, stride, count);
        Channels4(p4, p5, p6, p7, ref Unsafe.Add(ref destination, 4), stride, count);
    }

    /// <summary>
    /// Position j's channels are the lanes of <c>p{j}</c> (j &lt; 2); channel c's two values go to
    /// <paramref name="destination"/> + c·<paramref name="stride"/> and the float after it, for the first <paramref name="count"/> channels.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Channels2(Vector<float> p0, Vector<float> p1, ref float destination, int stride, int count)
    {
        if (Vector<float>.Count == 8 && Avx.IsSupported)
        {
            // Each 64-bit element of the unpacked vectors is one channel's pair: t0 holds channels 0 1 | 4 5, t1 2 3 | 6 7.
            var t0 = Avx.UnpackLow(p0.AsVector256(), p1.AsVector256()).AsDouble();
            var t1 = Avx.UnpackHigh(p0.AsVector256(), p1.AsVector256()).AsDouble();
            StoreSome(t0.GetElement(0), ref destination, 0, count);
            StoreSome(t0.GetElement(1), ref destination, stride, count - 1);
            StoreSome(t1.GetElement(0), ref destination, 2 * stride, count - 2);
            StoreSome(t1.GetElement(1), ref destination, 3 * stride, count - 3);
            StoreSome(t0.GetElement(2), ref destination, 4 * stride, count - 4);
            StoreSome(t0.GetElement(3), ref destination, 5 * stride, count - 5);
            StoreSome(t1.GetElement(2), ref destination, 6 * stride, count - 6);
            StoreSome(t1.GetElement(3), ref destination, 7 * stride, count - 7);
            return;
        }

        Channels1(p0, ref destination, stride, count);
        Channels1(p1, ref Unsafe.Add(ref destination, 1), stride, count);
    }

    /// <summary>One position: lane c of <paramref name="p0"/> goes to <paramref name="destination"/> + c·<paramref name="stride"/>, for c &lt; <paramref name="count"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Channels1(Vector<float> p0, ref float destination, int stride, int count)
    {
        for (int c = 0; c < count; c++)
        {
            Unsafe.Add(ref destination, c * stride) = p0[c];
        }
    }

    /// <summary>
    /// The 8 × 8 transpose of AVX vectors, in place: afterwards lane j of <c>v{i}</c> is what lane i of <c>v{j}</c> was.
    /// Quads of rows 0-3 (s) and 4-7 (u) are transposed per 128-bit half, then the halves are joined: row i is s{i}'s
    /// low half with u{i}'s low half, row i + 4 their high halves.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Transpose8(
        ref Vector256<float> v0, ref Vector256<float> v1, ref Vector256<float> v2, ref Vector256<float> v3,
        ref Vector256<float> v4, ref Vector256<float> v5, ref Vector256<float> v6, ref Vector256<float> v7)
    {
        Quads(v0.AsVector(), v1.AsVector(), v2.AsVector(), v3.AsVector(), out var s0, out var s1, out var s2, out var s3);
        Quads(v4.AsVector(), v5.AsVector(), v6.AsVector(), v7.AsVector(), out var u0, out var u1, out var u2, out var u3);
        v0 = Avx.Permute2x128(s0, u0, 0x20);
        v1 = Avx.Permute2x128(s1, u1, 0x20);
        v2 = Avx.Permute2x128(s2, u2, 0x20);
        v3 = Avx.Permute2x128(s3, u3, 0x20);
        v4 = Avx.Permute2x128(s0, u0, 0x31);
        v5 = Avx.Permute2x128(s1, u1, 0x31);
        v6 = Avx.Permute2x128(s2, u2, 0x31);
        v7 = Avx.Permute2x128(s3, u3, 0x31);
    }

    // Four positions' channel vectors transposed within each 128-bit half (pairs of positions, then quads): s{c} holds
    // channel c's four values in its low half and channel c + 4's in its high half.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Quads(
        Vector<float> p0, Vector<float> p1, Vector<float> p2, Vector<float> p3,
        out Vector256<float> s0, out Vector256<float> s1, out Vector256<float> s2, out Vector256<float> s3)
    {
        var t0 = Avx.UnpackLow(p0.AsVector256(), p1.AsVector256());
        var t1 = Avx.UnpackHigh(p0.AsVector256(), p1.AsVector256());
        var t2 = Avx.UnpackLow(p2.AsVector256(), p3.AsVector256());
        var t3 = Avx.UnpackHigh(p2.AsVector256(), p3.AsVector256());
        s0 = Avx.Shuffle(t0, t2, 0x44);
        s1 = Avx.Shuffle(t0, t2, 0xEE);
        s2 = Avx.Shuffle(t1, t3, 0x44);
        s3 = Avx.Shuffle(t1, t3, 0xEE);
    }

    // Stores one channel's positions (a 64-, 128- or 256-bit value) when the channel is one of the first count
    // (remaining = count − channel > 0).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreSome<T>(T value, ref float destination, int offset, int remaining)
        where T : struct
    {
        if (remaining > 0)
        {
            Unsafe.WriteUnaligned(ref Unsafe.As<float, byte>(ref Unsafe.Add(ref destination, offset)), value);
        }
    }
}
