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
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
}
