using System;
using System.Linq;
using System.Numerics;
using ConvGen.Kernels;
using Xunit;

namespace ConvGen.Tests.Kernels;

/// <summary>
/// <see cref="Layout.InterleaveChannels"/> against its definition: lane l of destination vector
/// (r + top)·pitch + col + left holds input channel (first + min(l, count − 1)) / multiplier at (r, col); every other
/// float keeps what was there (the kernel's zero frame, here NaN to show any stray write). Planes narrower and wider than
/// a vector, smaller than one (the lane-by-lane path), partial blocks and channel multipliers.
/// </summary>
public sealed class InterleaveChannelsTests
{
    [Theory]
    [InlineData(8, 0, 8, 1, 25, 5, 1, 1, 7)]
    [InlineData(16, 8, 8, 1, 48, 48, 1, 1, 50)]
    [InlineData(12, 8, 4, 1, 6, 6, 1, 1, 8)]
    [InlineData(8, 0, 8, 1, 3, 3, 1, 1, 5)]
    [InlineData(4, 0, 8, 2, 7, 9, 0, 2, 12)]
    [InlineData(3, 0, 3, 1, 2, 2, 1, 0, 3)]
    [InlineData(8, 0, 8, 1, 1, 11, 0, 0, 11)]
    [InlineData(16, 0, 8, 1, 13, 1, 2, 2, 4)]
    public void Moves_each_block_of_planes_onto_the_lanes(int channels, int first, int count, int multiplier, int height, int width, int top, int left, int pitch)
    {
        int lanes = Vector<float>.Count, plane = height * width;
        count = Math.Min(count, lanes);
        float[] input = Enumerable.Range(1, channels * plane).Select(i => (float)i).ToArray();
        int rows = top + height + 1;
        var destination = Enumerable.Repeat(float.NaN, (rows * pitch * lanes) + 5).ToArray();
        Layout.InterleaveChannels(input, destination, first, count, multiplier, height, width, top, left, pitch);
        for (int k = 0; k < destination.Length; k++)
        {
            int vector = k / lanes, lane = k % lanes, r = (vector / pitch) - top, col = (vector % pitch) - left;
            float expected = float.NaN;
            if (k < rows * pitch * lanes && r >= 0 && r < height && col >= 0 && col < width)
            {
                int channel = (first + Math.Min(lane, count - 1)) / multiplier;
                expected = input[(channel * plane) + (r * width) + col];
            }

            Assert.True(expected.Equals(destination[k]), $"destination[{k}] (vector {vector}, lane {lane}) = {destination[k]}, expected {expected}");
        }
    }

    [Fact]
    public void A_block_past_the_input_or_a_frame_too_small_is_refused()
    {
        int lanes = Vector<float>.Count;
        var past = Assert.Throws<ArgumentException>(() => Layout.InterleaveChannels(new float[8 * 9], new float[25 * lanes], 4, 8, 1, 3, 3, 1, 1, 5));
        Assert.Contains("do not fit", past.Message, StringComparison.Ordinal);
        var small = Assert.Throws<ArgumentException>(() => Layout.InterleaveChannels(new float[8 * 9], new float[10 * lanes], 0, 1, 1, 3, 3, 1, 1, 5));
        Assert.Contains("do not fit", small.Message, StringComparison.Ordinal);
    }
}
