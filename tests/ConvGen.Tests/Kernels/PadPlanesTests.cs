using System;
using System.Linq;
using ConvGen.Kernels;
using Xunit;

namespace ConvGen.Tests.Kernels;

/// <summary>
/// <see cref="Layout.PadPlanes"/> against its definition: every float of channels × channelStride is either the
/// input value that lands there or 0 (the output starts full of garbage, as a reused workspace buffer does), and
/// nothing past that range is touched; widths below, at and above the vector width.
/// </summary>
public sealed class PadPlanesTests
{
    [Theory]
    [InlineData(1, 1, 1, 0, 0, 0, 0)]
    [InlineData(2, 3, 5, 1, 1, 1, 1)]
    [InlineData(3, 4, 8, 1, 2, 0, 1)]
    [InlineData(2, 2, 9, 2, 0, 1, 0)]
    [InlineData(4, 5, 17, 1, 1, 2, 2)]
    [InlineData(1, 3, 48, 0, 1, 0, 1)]
    [InlineData(2, 1, 3, 3, 3, 3, 3)]
    [InlineData(2, 0, 4, 1, 1, 1, 1)]
    [InlineData(3, 4, 5, 0, 0, 0, 0)]
    [InlineData(3, 25, 5, 1, 1, 1, 1)]
    [InlineData(2, 6, 2, 1, 0, 0, 1)]
    public void Copies_each_plane_inside_a_zero_border(int channels, int height, int width, int top, int bottom, int left, int right)
    {
        int pitch = left + width + right, channelStride = (top + height + bottom) * pitch;
        float[] input = Enumerable.Range(1, channels * height * width).Select(i => (float)i).ToArray();
        var output = Enumerable.Repeat(float.NaN, (channels * channelStride) + 9).ToArray();
        Layout.PadPlanes(input, output, channels, height, width, top, left, pitch, channelStride);
        for (int i = 0; i < output.Length; i++)
        {
            int c = i / channelStride, r = (i % channelStride / pitch) - top, col = (i % channelStride % pitch) - left;
            float expected = i >= channels * channelStride ? float.NaN
                : r >= 0 && r < height && col >= 0 && col < width ? input[(((c * height) + r) * width) + col] : 0f;
            Assert.True(expected.Equals(output[i]), $"output[{i}] (channel {c}, row {r}, column {col}) = {output[i]}, expected {expected}");
        }
    }

    [Fact]
    public void Sizes_that_do_not_fit_are_refused()
    {
        var ex = Assert.Throws<ArgumentException>(() => Layout.PadPlanes(new float[10], new float[30], 1, 3, 4, 1, 1, 6, 30));
        Assert.Contains("do not fit", ex.Message, StringComparison.Ordinal);
    }
}
