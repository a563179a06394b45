using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;

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
