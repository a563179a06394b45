using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace ConvGen.Kernels;

/// <summary>
/// Transposes one sample between channels-last (NHWC / NLC) and the channels-first layout the kernels use, and splits
/// rows into the phase planes that strided convolutions read.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class Layout
{
    /// <summary>
    /// [positions, channels] → [channels, positions]. Only the first channels × positions values of each span are
    /// read or written: a longer workspace buffer is fine.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="channels"/> or <paramref name="positions"/> is negative.</exception>
    /// <exception cref="ArgumentException"><paramref name="source"/> or <paramref name="destination"/> holds fewer than channels × positions values.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ToChannelsFirst(ReadOnlySpan<float> source, Span<float> destination, int channels, int positions)
    {
        Check(source, destination, channels, positions);
        for (int p = 0; p < positions; p++)
        {
            for (int c = 0; c < channels; c++)
            {
                destination[(c * positions) + p] = source[(p * channels) + c];
            }
        }
    }

    /// <summary>
    /// [channels, positions] → [positions, channels]. Only the first channels × positions values of each span are
    /// read or written: a longer workspace buffer is fine.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="channels"/> or <paramref name="positions"/> is negative.</exception>
    /// <exception cref="ArgumentException"><paramref name="source"/> or <paramref name="destination"/> holds fewer than channels × positions values.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ToChannelsLast(ReadOnlySpan<float> source, Span<float> destination, int channels, int positions)
    {
        Check(source, destination, channels, positions);
        for (int c = 0; c < channels; c++)
        {
            for (int p = 0; p < positions; p++)
            {
                destination[(p * channels) + c] = source[(c * positions) + p];
            }
        }
    }

    private static void Check(ReadOnlySpan<float> source, ReadOnlySpan<float> destination, int channels, int positions)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(channels);
        ArgumentOutOfRangeException.ThrowIfNegative(positions);
        long needed = (long)channels * positions;
        if (source.Length < needed)
        {
            throw new ArgumentException($"source holds {source.Length} values, fewer than channels × positions = {channels} × {positions} = {needed}.", nameof(source));
        }

        if (destination.Length < needed)
        {
            throw new ArgumentException($"destination holds {destination.Length} values, fewer than channels × positions = {channels} × {positions} = {needed}.", nameof(destination));
        }
    }

    /// <summary>
    /// even[j] = source[2j] and odd[j] = source[2j + 1] for j &lt; <paramref name="pairs"/>: one row split into its two
    /// column phases (a stride-2 convolution's phase planes), a vector of pairs at a time. The caller sizes the refs;
    /// nothing past the pairs is read or written.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Deinterleave(ref float source, ref float even, ref float odd, int pairs)
    {
        int lanes = System.Numerics.Vector<float>.Count;
        int j = 0;
        for (; j + lanes <= pairs; j += lanes)
        {
            var low = Simd.Load(ref source, 2 * j);
            var high = Simd.Load(ref source, (2 * j) + lanes);
            Simd.Store(Simd.Evens(low, high), ref even, j);
            Simd.Store(Simd.Odds(low, high), ref odd, j);
        }

        for (; j < pairs; j++)
        {
            Unsafe.Add(ref even, j) = Unsafe.Add(ref source, 2 * j);
            Unsafe.Add(ref odd, j) = Unsafe.Add(ref source, (2 * j) + 1);
        }
    }

    /// <summary>
    /// The zero-padded copy a convolution reads: each of <paramref name="channels"/> planes of
    /// <paramref name="height"/> × <paramref name="width"/> floats (packed in <paramref name="input"/>) lands at row
    /// <paramref name="top"/>, column <paramref name="left"/> of a plane with row pitch <paramref name="pitch"/>, planes
    /// <paramref name="channelStride"/> apart. Every other float of the first channels × channelStride is set to 0, each
    /// float written in one pass in address order: rows are copied a vector at a time (the last vector overlapping the one
    /// before it), the border between two rows (right padding, then the next row's left padding) is one run of zeros, and
    /// a row or border narrower than a vector is written as a whole vector whose excess the pass overwrites later.
    /// </summary>
    /// <exception cref="ArgumentException">The sizes do not fit the spans.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void PadPlanes(ReadOnlySpan<float> input, Span<float> output, int channels, int height, int width, int top, int left, int pitch, int channelStride)
    {
        // Inlined into each generated padding kernel, whose literal sizes then fold into the loops.
        if (channels < 0 || height < 0 || width < 0 || top < 0 || left < 0 || pitch < left + width || channelStride < (top + height) * pitch
            || input.Length < (long)channels * height * width || output.Length < (long)channels * channelStride)
        {
            ThrowPlanesDoNotFit(input.Length, output.Length, channels, height, width, top, left, pitch, channelStride);
        }

        int lanes = System.Numerics.Vector<float>.Count;
        ref float x = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(input);
        ref float y = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(output);
        long inputEnd = (long)channels * height * width, outputEnd = (long)channels * channelStride;
        int gap = pitch - width;
        for (int c = 0; c < channels; c++)
        {
            ref float plane = ref Unsafe.Add(ref y, c * channelStride);
            Zero(ref plane, (top * pitch) + left);
            for (int r = 0; r < height; r++)
            {
                int from = ((c * height) + r) * width, to = (c * channelStride) + ((top + r) * pitch) + left;
                ref float s = ref Unsafe.Add(ref x, from);
                ref float d = ref Unsafe.Add(ref y, to);
                int after = r < height - 1 ? gap : pitch - left - width;

                // Whole vectors may run past the row (and the zeros past its border) into floats written later in
                // this pass, as long as they stay inside the input and output.
                bool vectors = from + lanes <= inputEnd && (long)to + width + lanes <= outputEnd;
                if (width >= lanes)
                {
                    int i = 0;
                    for (; i + lanes <= width; i += lanes)
                    {
                        Simd.Store(Simd.Load(ref s, i), ref d, i);
                    }

                    if (i < width)
                    {
                        Simd.Store(Simd.Load(ref s, width - lanes), ref d, width - lanes);
                    }
                }
                else if (vectors)
                {
                    Simd.Store(Simd.Load(ref s, 0), ref d, 0);
                }
                else
                {
                    for (int i = 0; i < width; i++)
                    {
                        Unsafe.Add(ref d, i) = Unsafe.Add(ref s, i);
                    }
                }

                if (after < lanes && vectors)
                {
                    Simd.Store(System.Numerics.Vector<float>.Zero, ref d, width);
                }
                else
                {
                    Zero(ref Unsafe.Add(ref d, width), after);
                }
            }

            int written = height > 0 ? (top + height) * pitch : (top * pitch) + left;
            Zero(ref Unsafe.Add(ref plane, written), channelStride - written);
        }
    }

    /// <summary>
    /// The zero-padded copy a stride-(<paramref name="rowPhases"/>, 2) convolution reads, split into phase planes of
    /// <paramref name="planeHeight"/> × <paramref name="planeWidth"/>: padded row r and column col of channel c land in
    /// plane (r mod rowPhases, col mod 2) at (r / rowPhases, col / 2); planes are ordered [c][row phase][column phase].
    /// Input row ir sits at padded row ir + <paramref name="top"/>, input column at column + <paramref name="left"/>;
    /// every other float of the planes is set to 0. Each float is written once: each input row is split into its two
    /// column phases by vector shuffles, and only the cells no input reaches are zeroed.
    /// </summary>
    /// <exception cref="ArgumentException">The sizes do not fit the spans or the planes.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PhasePlanes(
        ReadOnlySpan<float> input, Span<float> output, int channels, int height, int width, int top, int left, int rowPhases, int planeHeight, int planeWidth)
    {
        int planeSize = planeHeight * planeWidth, channelStride = rowPhases * 2 * planeSize;
        if (channels < 0 || height < 1 || width < 1 || top < 0 || left < 0 || rowPhases < 1
            || (long)rowPhases * planeHeight < top + height || 2L * planeWidth < left + width
            || input.Length < (long)channels * height * width || output.Length < (long)channels * channelStride)
        {
            throw new ArgumentException($"{channels} planes of {height} × {width} (top {top}, left {left}) do not fit a {input.Length}-float input and {rowPhases} × 2 phase planes of {planeHeight} × {planeWidth} per channel in a {output.Length}-float output.", nameof(output));
        }

        ref float x = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(input);
        ref float y = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(output);

        // Input column col goes to column phase (col + left) mod 2 at (col + left) / 2; each phase's filled range.
        int evenPhase = left % 2, pairs = width / 2;
        int evenAt = (evenPhase * planeSize) + (left / 2), oddAt = ((1 - evenPhase) * planeSize) + ((left + 1) / 2);
        int first0 = (left + 1) / 2, last0 = (width - 1 + left) / 2;
        int first1 = left / 2, last1 = width + left >= 2 ? (width - 2 + left) / 2 : -1;
        for (int c = 0; c < channels; c++)
        {
            for (int a = 0; a < rowPhases; a++)
            {
                for (int i = 0; i < planeHeight; i++)
                {
                    ref float row0 = ref Unsafe.Add(ref y, (c * channelStride) + (a * 2 * planeSize) + (i * planeWidth));
                    ref float row1 = ref Unsafe.Add(ref row0, planeSize);
                    int inputRow = (rowPhases * i) + a - top;
                    if (inputRow < 0 || inputRow >= height)
                    {
                        Zero(ref row0, planeWidth);
                        Zero(ref row1, planeWidth);
                        continue;
                    }

                    ref float source = ref Unsafe.Add(ref x, ((c * height) + inputRow) * width);
                    Deinterleave(ref source, ref Unsafe.Add(ref row0, evenAt), ref Unsafe.Add(ref row0, oddAt), pairs);
                    if (width % 2 == 1)
                    {
                        Unsafe.Add(ref row0, evenAt + pairs) = Unsafe.Add(ref source, width - 1);
                    }

                    Zero(ref row0, first0);
                    Zero(ref Unsafe.Add(ref row0, last0 + 1), planeWidth - last0 - 1);
                    Zero(ref row1, first1);
                    Zero(ref Unsafe.Add(ref row1, last1 + 1), planeWidth - last1 - 1);
                }
            }
        }
    }

    /// <summary>
    /// A block of channels moved onto the vector lanes, for the depthwise kernel that filters
    /// <c>Vector&lt;float&gt;.Count</c> channels at once: lane c of the block holds input channel
    /// (<paramref name="first"/> + c) / <paramref name="multiplier"/>, and input float (r, col) of the
    /// <paramref name="height"/> × <paramref name="width"/> planes goes to lane c of destination vector
    /// (r + <paramref name="top"/>)·<paramref name="pitch"/> + col + <paramref name="left"/> (vector v at float v·Count).
    /// Lanes from <paramref name="count"/> on repeat the last channel (the kernel never stores their results). No other
    /// vector is written: the frame around the planes, which the kernel's padding reads, keeps its zeros. With 8-lane AVX
    /// vectors, eight positions of the eight channels are transposed in registers at a time.
    /// </summary>
    /// <exception cref="ArgumentException">The sizes do not fit the spans.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void InterleaveChannels(
        ReadOnlySpan<float> input, Span<float> destination, int first, int count, int multiplier, int height, int width, int top, int left, int pitch)
    {
        int lanes = System.Numerics.Vector<float>.Count, plane = height * width;
        if (count < 1 || count > lanes || first < 0 || multiplier < 1 || height < 1 || width < 1 || top < 0 || left < 0 || pitch < left + width
            || input.Length < ((long)((first + count - 1) / multiplier) + 1) * plane
            || destination.Length < ((((long)top + height - 1) * pitch) + left + width) * lanes)
        {
            throw new ArgumentException($"Channels {first} … {first + count - 1} (÷ {multiplier}) of {height} × {width} planes do not fit a {input.Length}-float input, or their {lanes}-lane vectors at row {top}, column {left} of a pitch-{pitch} frame do not fit a {destination.Length}-float destination.", nameof(destination));
        }

        ref float x = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(input);
        ref float y = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(destination);
        if (lanes != 8 || !System.Runtime.Intrinsics.X86.Avx.IsSupported || plane < 8)
        {
            for (int i = 0; i < height; i++)
            {
                for (int j = 0; j < width; j++)
                {
                    ref float cell = ref Unsafe.Add(ref y, (((i + top) * pitch) + j + left) * lanes);
                    for (int c = 0; c < lanes; c++)
                    {
                        int channel = (first + Math.Min(c, count - 1)) / multiplier;
                        Unsafe.Add(ref cell, c) = Unsafe.Add(ref x, (channel * plane) + (i * width) + j);
                    }
                }
            }

            return;
        }

        // Eight consecutive floats of each of the eight planes at a time (the last eight overlapping the ones before),
        // transposed: vector j then holds position at + j of the eight channels, and goes to that position's vector.
        int o0 = Plane(0), o1 = Plane(1), o2 = Plane(2), o3 = Plane(3), o4 = Plane(4), o5 = Plane(5), o6 = Plane(6), o7 = Plane(7);
        int gap = (pitch - width) * 8;
        int r = 0, col = 0; // the position of float at in its plane
        for (int f = 0; ; f += 8)
        {
            int at = Math.Min(f, plane - 8);
            if (at < f)
            {
                // The last eight, overlapping the ones before.
                r = at / width;
                col = at - (r * width);
            }

            var v0 = Vector256.LoadUnsafe(ref x, (nuint)(o0 + at));
            var v1 = Vector256.LoadUnsafe(ref x, (nuint)(o1 + at));
            var v2 = Vector256.LoadUnsafe(ref x, (nuint)(o2 + at));
            var v3 = Vector256.LoadUnsafe(ref x, (nuint)(o3 + at));
            var v4 = Vector256.LoadUnsafe(ref x, (nuint)(o4 + at));
            var v5 = Vector256.LoadUnsafe(ref x, (nuint)(o5 + at));
            var v6 = Vector256.LoadUnsafe(ref x, (nuint)(o6 + at));
            var v7 = Vector256.LoadUnsafe(ref x, (nuint)(o7 + at));
            TileStore.Transpose8(ref v0, ref v1, ref v2, ref v3, ref v4, ref v5, ref v6, ref v7);
            int to = (((r + top) * pitch) + col + left) * 8;
            if (col + 8 <= width)
            {
                // All eight in one row: consecutive vectors.
                ref float row = ref Unsafe.Add(ref y, to);
                v0.StoreUnsafe(ref row, 0);
                v1.StoreUnsafe(ref row, 8);
                v2.StoreUnsafe(ref row, 16);
                v3.StoreUnsafe(ref row, 24);
                v4.StoreUnsafe(ref row, 32);
                v5.StoreUnsafe(ref row, 40);
                v6.StoreUnsafe(ref row, 48);
                v7.StoreUnsafe(ref row, 56);
                col += 8;
                if (col == width)
                {
                    col = 0;
                    r++;
                }
            }
            else
            {
                v0.StoreUnsafe(ref y, (nuint)Next(ref r, ref col, ref to, width, gap));
                v1.StoreUnsafe(ref y, (nuint)Next(ref r, ref col, ref to, width, gap));
                v2.StoreUnsafe(ref y, (nuint)Next(ref r, ref col, ref to, width, gap));
                v3.StoreUnsafe(ref y, (nuint)Next(ref r, ref col, ref to, width, gap));
                v4.StoreUnsafe(ref y, (nuint)Next(ref r, ref col, ref to, width, gap));
                v5.StoreUnsafe(ref y, (nuint)Next(ref r, ref col, ref to, width, gap));
                v6.StoreUnsafe(ref y, (nuint)Next(ref r, ref col, ref to, width, gap));
                v7.StoreUnsafe(ref y, (nuint)Next(ref r, ref col, ref to, width, gap));
            }

            if (at == plane - 8)
            {
                break;
            }
        }

        int Plane(int c) => (first + Math.Min(c, count - 1)) / multiplier * plane;
    }

    // The destination offset of the current position (r, col); then (r, col) and the offset move to the next position.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Next(ref int r, ref int col, ref int to, int width, int gap)
    {
        int offset = to;
        to += 8;
        if (++col == width)
        {
            col = 0;
            r++;
            to += gap;
        }

        return offset;
    }

    /// <summary>
    /// Zeroes the border of <paramref name="blocks"/> channel-block frames (each <paramref name="frameHeight"/> ×
    /// <paramref name="frameWidth"/> vectors of <c>Vector&lt;float&gt;.Count</c> floats, one after another): every vector
    /// outside rows <paramref name="top"/> … + <paramref name="height"/> − 1 and columns <paramref name="left"/> … +
    /// <paramref name="width"/> − 1. The kernel that then fills the interior hands the frames to a depthwise kernel, whose
    /// padding reads the border.
    /// </summary>
    /// <exception cref="ArgumentException">The frames do not fit <paramref name="frames"/>, or the interior does not fit a frame.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ClearFrameBorders(Span<float> frames, int blocks, int frameHeight, int frameWidth, int top, int left, int height, int width)
    {
        int lanes = System.Numerics.Vector<float>.Count, row = frameWidth * lanes, frame = frameHeight * row;
        if (blocks < 0 || top < 0 || left < 0 || height < 1 || width < 1 || top + height > frameHeight || left + width > frameWidth
            || frames.Length < (long)blocks * frameHeight * frameWidth * lanes)
        {
            throw new ArgumentException($"{blocks} frames of {frameHeight} × {frameWidth} vectors around a {height} × {width} interior at row {top}, column {left} do not fit {frames.Length} floats.", nameof(frames));
        }

        // Zero (this class's vector loop), not Span.Clear: no runtime-library call whose tiering could allocate on a hot path.
        ref float y = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(frames);
        for (int b = 0; b < blocks; b++)
        {
            ref float block = ref Unsafe.Add(ref y, b * frame);
            Zero(ref block, top * row);
            Zero(ref Unsafe.Add(ref block, (top + height) * row), (frameHeight - top - height) * row);
            for (int r = top; r < top + height; r++)
            {
                Zero(ref Unsafe.Add(ref block, r * row), left * lanes);
                Zero(ref Unsafe.Add(ref block, (r * row) + ((left + width) * lanes)), (frameWidth - left - width) * lanes);
            }
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowPlanesDoNotFit(int input, int output, int channels, int height, int width, int top, int left, int pitch, int channelStride)
        => throw new ArgumentException($"{channels} planes of {height} × {width} do not fit a {input}-float input and planes of {channelStride} floats (row pitch {pitch}, top {top}, left {left}) in a {output}-float output.", nameof(output));

    // Sets count floats from destination on to 0, a vector at a time where there are enough.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Zero(ref float destination, int count)
    {
        int lanes = System.Numerics.Vector<float>.Count;
        if (count < lanes)
        {
            for (int i = 0; i < count; i++)
            {
                Unsafe.Add(ref destination, i) = 0f;
            }

            return;
        }

        int j = 0;
        for (; j + lanes <= count; j += lanes)
        {
            Simd.Store(System.Numerics.Vector<float>.Zero, ref destination, j);
        }

        if (j < count)
        {
            Simd.Store(System.Numerics.Vector<float>.Zero, ref destination, count - lanes);
        }
    }
}
