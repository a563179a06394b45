using System;
using ConvGen.Reference;
using Xunit;

namespace ConvGen.Tests.Reference;

public sealed class ReferencePoolingTests
{
    private static readonly float[] X3x3 = [1, 2, 3, 4, 5, 6, 7, 8, 9];

    [Theory]
    // n, k, s, p, d, ceil, expected
    [InlineData(5, 2, 2, 0, 1, false, 2)] // ⌊3/2⌋ + 1
    [InlineData(5, 2, 2, 0, 1, true, 3)]  // ⌈3/2⌉ + 1; the last window starts at 4 < 5
    [InlineData(6, 3, 2, 1, 1, true, 4)]  // ⌈5/2⌉ + 1; the last window starts at 3·2 − 1 = 5, inside the input: kept
    [InlineData(7, 2, 3, 1, 1, true, 3)]  // ⌈7/3⌉ + 1 = 4, but (4 − 1)·3 = 9 ≥ 7 + 1: the window in the right padding is dropped
    [InlineData(4, 2, 3, 1, 1, true, 2)]  // ⌈4/3⌉ + 1 = 3, but 2·3 = 6 ≥ 4 + 1: dropped
    [InlineData(7, 3, 2, 1, 2, false, 3)] // dilation 2: ⌊(7 + 2 − 5)/2⌋ + 1
    [InlineData(1, 1, 1, 0, 1, true, 1)]  // H = 1 of a 1-D layer
    public void Pool_output_size(int n, int k, int s, int p, int d, bool ceil, int expected)
    {
        Assert.Equal(expected, ReferenceOps.PoolOutputSize(n, k, s, p, d, ceil));
    }

    [Fact]
    public void Pool_output_size_rejects_padding_over_half_the_window()
    {
        Assert.Throws<ArgumentException>(() => ReferenceOps.PoolOutputSize(5, 2, 2, 2, 1, false));
    }

    [Fact]
    public void MaxPool2d_2x2_stride_1()
    {
        // Windows over [[1 2 3], [4 5 6], [7 8 9]]: max of each 2 x 2 block = bottom-right element.
        var (y, hOut, wOut) = ReferenceOps.MaxPool2d(X3x3, 1, 1, 3, 3, 2, 2, 1, 1);
        Assert.Equal((2, 2), (hOut, wOut));
        Assert.Equal(new float[] { 5, 6, 8, 9 }, y);
    }

    [Fact]
    public void MaxPool2d_ceil_mode_keeps_the_partial_window()
    {
        // 2 x 2, stride 2, ceil: windows {1 2 4 5}, {3 6}, {7 8}, {9}.
        var (y, hOut, wOut) = ReferenceOps.MaxPool2d(X3x3, 1, 1, 3, 3, 2, 2, 2, 2, ceilMode: true);
        Assert.Equal((2, 2), (hOut, wOut));
        Assert.Equal(new float[] { 5, 6, 8, 9 }, y);
    }

    [Fact]
    public void MaxPool_padding_reads_minus_infinity()
    {
        // 1-D [−1 −2 −3], k 3, s 1, p 1: windows {−1 −2}, {−1 −2 −3}, {−2 −3}. Zero padding would give 0.
        var (y, _, _) = ReferenceOps.MaxPool2d([-1, -2, -3], 1, 1, 1, 3, 1, 3, 1, 1, padW: 1);
        Assert.Equal(new float[] { -1, -1, -2 }, y);
    }

    [Fact]
    public void MaxPool_dilation()
    {
        // 1-D [5 1 2 9 3], k 2, d 3: windows {x0, x3} = 9, {x1, x4} = 3.
        var (y, _, wOut) = ReferenceOps.MaxPool2d([5, 1, 2, 9, 3], 1, 1, 1, 5, 1, 2, 1, 1, dilationW: 3);
        Assert.Equal(2, wOut);
        Assert.Equal(new float[] { 9, 3 }, y);
    }

    [Fact]
    public void MaxPool_propagates_NaN()
    {
        var (y, _, _) = ReferenceOps.MaxPool2d([1, float.NaN, 3], 1, 1, 1, 3, 1, 2, 1, 1);
        Assert.True(float.IsNaN(y[0]));
        Assert.True(float.IsNaN(y[1]));
    }

    [Theory]
    // x = [1 2 3 4 5 6], k 3, s 2, p 1, ceil -> 4 windows:
    //   [−1, 2) -> {1 2}     divisor 3 (pad counted) or 2
    //   [1, 4)  -> {2 3 4}   divisor 3
    //   [3, 6)  -> {4 5 6}   divisor 3
    //   [5, 7)  -> {6}       hend = min(5 + 3, 6 + 1) = 7: divisor 2 (not 3!) or 1
    [InlineData(true, new float[] { 1, 3, 5, 3 })]
    [InlineData(false, new float[] { 1.5f, 3, 5, 6 })]
    public void AvgPool_divisor_follows_PyTorch(bool countIncludePad, float[] expected)
    {
        var (y, _, wOut) = ReferenceOps.AvgPool2d([1, 2, 3, 4, 5, 6], 1, 1, 1, 6, 1, 3, 1, 2,
            padW: 1, ceilMode: true, countIncludePad: countIncludePad);
        Assert.Equal(4, wOut);
        Assert.Equal(expected, y);
    }

    [Fact]
    public void AvgPool_ceil_without_padding_divides_by_the_clipped_window()
    {
        // [1 2 3 4 5], k 2, s 2, ceil: {1 2}, {3 4}, {5} -> 1.5, 3.5, 5.
        var (y, _, _) = ReferenceOps.AvgPool2d([1, 2, 3, 4, 5], 1, 1, 1, 5, 1, 2, 1, 2, ceilMode: true);
        Assert.Equal(new float[] { 1.5f, 3.5f, 5 }, y);
    }

    [Fact]
    public void AvgPool2d_2x2()
    {
        // (1 + 2 + 4 + 5)/4 = 3, (2 + 3 + 5 + 6)/4 = 4, 6, 7.
        var (y, _, _) = ReferenceOps.AvgPool2d(X3x3, 1, 1, 3, 3, 2, 2, 1, 1);
        Assert.Equal(new float[] { 3, 4, 6, 7 }, y);
    }

    [Fact]
    public void GlobalAvgPool_means_each_plane()
    {
        // N = 2, C = 1, 2 x 2 planes.
        float[] y = ReferenceOps.GlobalAvgPool([1, 2, 3, 4, 10, 20, 30, 40], 2, 1, 2, 2);
        Assert.Equal(new float[] { 2.5f, 25 }, y);
    }
}
