using System;
using System.Linq;
using ConvGen.Kernels;
using Xunit;

namespace ConvGen.Tests.Kernels;

/// <summary>
/// <see cref="Layout.PhasePlanes"/> against its definition: cell (i, j) of phase plane (a, b) of channel c holds input
/// row rowPhases·i + a − top, column 2j + b − left, or 0 where that is outside the input; the output starts full of
/// garbage (a reused workspace buffer) and nothing past the planes is touched. Odd and even widths, around the vector
/// width, with and without padding, one and two row phases.
/// </summary>
public sealed class PhasePlanesTests
{
    [Theory]
    [InlineData(1, 1, 1, 0, 0, 0, 0, 2)]
    [InlineData(2, 4, 4, 1, 1, 1, 1, 2)]
    [InlineData(2, 5, 5, 1, 1, 1, 1, 2)]
    [InlineData(3, 48, 48, 1, 1, 1, 1, 2)]
    [InlineData(2, 7, 17, 0, 1, 0, 1, 2)]
    [InlineData(2, 6, 16, 0, 0, 0, 0, 2)]
    [InlineData(2, 9, 23, 2, 2, 2, 2, 2)]
    [InlineData(2, 3, 33, 0, 0, 3, 0, 1)]
    [InlineData(1, 2, 2, 3, 0, 1, 2, 3)]
    public void Splits_the_padded_planes_into_their_phases(int channels, int height, int width, int top, int bottom, int left, int right, int rowPhases)
    {
        int planeHeight = (top + height + bottom + rowPhases - 1) / rowPhases, planeWidth = (left + width + right + 1) / 2;
        int planeSize = planeHeight * planeWidth, channelStride = rowPhases * 2 * planeSize;
        float[] input = Enumerable.Range(1, channels * height * width).Select(i => (float)i).ToArray();
        var output = Enumerable.Repeat(float.NaN, (channels * channelStride) + 11).ToArray();
        Layout.PhasePlanes(input, output, channels, height, width, top, left, rowPhases, planeHeight, planeWidth);
        for (int k = 0; k < output.Length; k++)
        {
            float expected = float.NaN;
            if (k < channels * channelStride)
            {
                int c = k / channelStride, plane = k % channelStride / planeSize, cell = k % planeSize;
                int a = plane / 2, b = plane % 2, i = cell / planeWidth, j = cell % planeWidth;
                int r = (rowPhases * i) + a - top, col = (2 * j) + b - left;
                expected = r >= 0 && r < height && col >= 0 && col < width ? input[(((c * height) + r) * width) + col] : 0f;
            }

            Assert.True(expected.Equals(output[k]), $"output[{k}] = {output[k]}, expected {expected}");
        }
    }

    [Fact]
    public void Planes_too_small_for_the_input_are_refused()
    {
        var ex = Assert.Throws<ArgumentException>(() => Layout.PhasePlanes(new float[16], new float[64], 1, 4, 4, 1, 1, 2, 2, 2));
        Assert.Contains("do not fit", ex.Message, StringComparison.Ordinal);
    }
}
