using System;
using ConvGen.Kernels;
using Xunit;

namespace ConvGen.Tests.Kernels;

public class LayoutGuardTests
{
    [Fact]
    public void Transposes_both_ways_and_leaves_the_rest_of_a_longer_buffer_alone()
    {
        float[] channelsLast = { 1, 2, 3, 4, 5, 6 }; // 3 positions × 2 channels
        float[] first = new float[8];
        first.AsSpan().Fill(-1);

        Layout.ToChannelsFirst(channelsLast, first, channels: 2, positions: 3);
        float[] back = new float[6];
        Layout.ToChannelsLast(first, back, channels: 2, positions: 3);

        Assert.Equal(new float[] { 1, 3, 5, 2, 4, 6, -1, -1 }, first);
        Assert.Equal(channelsLast, back);
    }

    [Theory]
    [InlineData(-1, 3, "channels")]
    [InlineData(2, -1, "positions")]
    public void Negative_sizes_are_out_of_range(int channels, int positions, string param)
    {
        var first = Assert.Throws<ArgumentOutOfRangeException>(() => Layout.ToChannelsFirst(new float[6], new float[6], channels, positions));
        var last = Assert.Throws<ArgumentOutOfRangeException>(() => Layout.ToChannelsLast(new float[6], new float[6], channels, positions));

        Assert.Equal(param, first.ParamName);
        Assert.Equal(param, last.ParamName);
    }

    [Theory]
    [InlineData(5, 6, "source", "source holds 5 values, fewer than channels × positions = 2 × 3 = 6.")]
    [InlineData(6, 4, "destination", "destination holds 4 values, fewer than channels × positions = 2 × 3 = 6.")]
    public void Short_spans_are_argument_errors(int sourceLength, int destinationLength, string param, string message)
    {
        var first = Assert.Throws<ArgumentException>(() => Layout.ToChannelsFirst(new float[sourceLength], new float[destinationLength], 2, 3));
        var last = Assert.Throws<ArgumentException>(() => Layout.ToChannelsLast(new float[sourceLength], new float[destinationLength], 2, 3));

        Assert.Equal(param, first.ParamName);
        Assert.StartsWith(message, first.Message);
        Assert.Equal(param, last.ParamName);
    }

    [Fact]
    public void Sizes_whose_product_overflows_are_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => Layout.ToChannelsFirst(new float[4], new float[4], 65536, 65536));
        Assert.Equal("source", e.ParamName);
    }
}
