using System;
using ConvGen.Reference;
using Xunit;

namespace ConvGen.Tests.Reference;

public sealed class ReferenceConvolutionTests
{
    // x = [[1 2 3],
    //      [4 5 6],
    //      [7 8 9]]
    private static readonly float[] X3x3 = [1, 2, 3, 4, 5, 6, 7, 8, 9];

    // k = [[1 2],
    //      [3 4]]
    private static readonly float[] K2x2 = [1, 2, 3, 4];

    [Fact]
    public void Conv2d_3x3_input_2x2_kernel()
    {
        // y00 = 1·1 + 2·2 + 3·4 + 4·5 = 37, y01 = 1·2 + 2·3 + 3·5 + 4·6 = 47,
        // y10 = 1·4 + 2·5 + 3·7 + 4·8 = 67, y11 = 1·5 + 2·6 + 3·8 + 4·9 = 77; plus bias 0.5.
        var (y, hOut, wOut) = ReferenceOps.Conv2d(X3x3, 1, 1, 3, 3, K2x2, [0.5f], 1, 2, 2);
        Assert.Equal((2, 2), (hOut, wOut));
        Assert.Equal(new float[] { 37.5f, 47.5f, 67.5f, 77.5f }, y);
    }

    [Fact]
    public void Conv2d_stride_2_zero_padding_1()
    {
        // Padded input is 5 x 5, out = ⌊(5 − 2)/2⌋ + 1 = 2.
        // (0,0) sees only x00 under k11: 4·1 = 4.     (0,1) sees x01, x02 under k10, k11: 3·2 + 4·3 = 18.
        // (1,0) sees x10, x20 under k01, k11: 2·4 + 4·7 = 36.   (1,1) is the full window at x11: 77.
        var (y, hOut, wOut) = ReferenceOps.Conv2d(X3x3, 1, 1, 3, 3, K2x2, null, 1, 2, 2,
            strideH: 2, strideW: 2, padTop: 1, padBottom: 1, padLeft: 1, padRight: 1);
        Assert.Equal((2, 2), (hOut, wOut));
        Assert.Equal(new float[] { 4, 18, 36, 77 }, y);
    }

    [Fact]
    public void Conv2d_dilation_2_reads_every_other_element()
    {
        // Effective kernel 3: taps x00, x02, x20, x22 -> 1·1 + 2·3 + 3·7 + 4·9 = 64.
        var (y, hOut, wOut) = ReferenceOps.Conv2d(X3x3, 1, 1, 3, 3, K2x2, null, 1, 2, 2, dilationH: 2, dilationW: 2);
        Assert.Equal((1, 1), (hOut, wOut));
        Assert.Equal(new float[] { 64 }, y);
    }

    [Fact]
    public void Conv2d_groups_connect_only_their_own_channels()
    {
        // Cin = 2, Cout = 4, groups = 2, 1x1 kernels [1, 2, 3, 4]:
        // outputs 0, 1 read channel 0; outputs 2, 3 read channel 1.
        float[] x = [1, 2, 10, 20]; // channel 0 = [1 2], channel 1 = [10 20] (H = 1, W = 2)
        var (y, _, _) = ReferenceOps.Conv2d(x, 1, 2, 1, 2, [1, 2, 3, 4], null, 4, 1, 1, groups: 2);
        Assert.Equal(new float[] { 1, 2, 2, 4, 30, 60, 40, 80 }, y);
    }

    [Fact]
    public void Conv1d_causal_left_padding()
    {
        // x = [1 2 3 4], w = [1 10] (w0 on x[t−1], w1 on x[t]), one zero on the left:
        // y = [10·1, 1 + 20, 2 + 30, 3 + 40].
        var (y, hOut, wOut) = ReferenceOps.Conv2d([1, 2, 3, 4], 1, 1, 1, 4, [1, 10], null, 1, 1, 2, padLeft: 1);
        Assert.Equal((1, 4), (hOut, wOut));
        Assert.Equal(new float[] { 10, 21, 32, 43 }, y);
    }

    [Theory]
    [InlineData(PaddingMode.Zeros, new float[] { 3, 6, 5 })]      // 0 [1 2 3] 0
    [InlineData(PaddingMode.Reflect, new float[] { 5, 6, 7 })]    // 2 [1 2 3] 2
    [InlineData(PaddingMode.Replicate, new float[] { 4, 6, 8 })]  // 1 [1 2 3] 3
    [InlineData(PaddingMode.Circular, new float[] { 6, 6, 6 })]   // 3 [1 2 3] 1
    public void Conv1d_box_filter_in_each_padding_mode(PaddingMode mode, float[] expected)
    {
        var (y, _, _) = ReferenceOps.Conv2d([1, 2, 3], 1, 1, 1, 3, [1, 1, 1], null, 1, 1, 3,
            padLeft: 1, padRight: 1, mode: mode);
        Assert.Equal(expected, y);
    }

    [Fact]
    public void ConvTranspose1d_scatter_with_stride_padding_and_output_padding()
    {
        // x = [1 2], w = [1 10 100], stride 2: x0 adds [1 10 100] at 0..2, x1 adds [2 20 200] at 2..4.
        var (full, _, wFull) = ReferenceOps.ConvTranspose2d([1, 2], 1, 1, 1, 2, [1, 10, 100], null, 1, 1, 3, strideW: 2);
        Assert.Equal(5, wFull);
        Assert.Equal(new float[] { 1, 10, 102, 20, 200 }, full);

        // padding 1 removes one element on each side.
        var (cropped, _, wCropped) = ReferenceOps.ConvTranspose2d([1, 2], 1, 1, 1, 2, [1, 10, 100], null, 1, 1, 3, strideW: 2, padW: 1);
        Assert.Equal(3, wCropped);
        Assert.Equal(new float[] { 10, 102, 20 }, cropped);

        // output_padding 1 keeps one more element at the end.
        var (extended, _, wExtended) = ReferenceOps.ConvTranspose2d([1, 2], 1, 1, 1, 2, [1, 10, 100], null, 1, 1, 3,
            strideW: 2, padW: 1, outputPaddingW: 1);
        Assert.Equal(4, wExtended);
        Assert.Equal(new float[] { 10, 102, 20, 200 }, extended);
    }

    [Fact]
    public void ConvTranspose2d_all_ones_kernel_with_bias()
    {
        // x = [[1 2], [3 4]], 2x2 ones kernel, stride 1: each output sums the inputs whose window covers it.
        var (y, hOut, wOut) = ReferenceOps.ConvTranspose2d([1, 2, 3, 4], 1, 1, 2, 2, [1, 1, 1, 1], [1], 1, 2, 2);
        Assert.Equal((3, 3), (hOut, wOut));
        Assert.Equal(new float[] { 2, 4, 3, 5, 11, 7, 4, 8, 5 }, y);
    }

    [Fact]
    public void ConvTranspose_dilation_spreads_the_taps()
    {
        // x = [1], w = [1 2 3], dilation 2: taps land at 0, 2, 4.
        var (y, _, wOut) = ReferenceOps.ConvTranspose2d([1], 1, 1, 1, 1, [1, 2, 3], null, 1, 1, 3, dilationW: 2);
        Assert.Equal(5, wOut);
        Assert.Equal(new float[] { 1, 0, 2, 0, 3 }, y);
    }

    [Fact]
    public void ConvTranspose_groups_use_the_Cin_major_weight_layout()
    {
        // Cin = 2, Cout = 4, groups = 2, weight [Cin, Cout/g, 1, 1] = [[1 2], [3 4]]:
        // input 0 feeds outputs 0, 1 (×1, ×2); input 1 feeds outputs 2, 3 (×3, ×4).
        var (y, _, _) = ReferenceOps.ConvTranspose2d([1, 10], 1, 2, 1, 1, [1, 2, 3, 4], null, 4, 1, 1, groups: 2);
        Assert.Equal(new float[] { 1, 2, 30, 40 }, y);
    }

    [Fact]
    public void Output_size_helpers()
    {
        Assert.Equal(5, ReferenceOps.ConvOutputSize(5, 3, 1, 1, 1, 1));
        Assert.Equal(3, ReferenceOps.ConvOutputSize(7, 3, 2, 0, 0, 1));
        Assert.Equal(1, ReferenceOps.ConvOutputSize(3, 2, 1, 0, 0, 2)); // effective kernel 3
        Assert.Equal(4, ReferenceOps.ConvOutputSize(4, 2, 1, 0, 1, 1)); // asymmetric
        Assert.Equal(8, ReferenceOps.ConvTransposeOutputSize(4, 3, 2, 1, 1, 1)); // 3·2 − 2 + 2 + 1 + 1
        Assert.Equal(13, ReferenceOps.ConvTransposeOutputSize(3, 3, 3, 0, 2, 2)); // (3 − 1)·3 + 2·(3 − 1) + 2 + 1
    }

    [Fact]
    public void Inconsistent_sizes_throw()
    {
        // Groups must divide the channels.
        Assert.Throws<ArgumentException>(() => ReferenceOps.Conv2d(new float[3], 1, 3, 1, 1, new float[6], null, 2, 1, 1, groups: 2));
        // Weight of the wrong length.
        Assert.Throws<ArgumentException>(() => ReferenceOps.Conv2d(X3x3, 1, 1, 3, 3, new float[3], null, 1, 2, 2));
        // Input of the wrong length.
        Assert.Throws<ArgumentException>(() => ReferenceOps.Conv2d(X3x3, 1, 1, 3, 2, K2x2, null, 1, 2, 2));
        // Bias of the wrong length.
        Assert.Throws<ArgumentException>(() => ReferenceOps.Conv2d(X3x3, 1, 1, 3, 3, K2x2, [1, 2], 1, 2, 2));
        // Kernel larger than the padded input.
        Assert.Throws<ArgumentException>(() => ReferenceOps.Conv2d(X3x3, 1, 1, 3, 3, new float[16], null, 1, 4, 4));
        // Reflect padding as large as the input.
        Assert.Throws<ArgumentException>(() => ReferenceOps.Conv2d(X3x3, 1, 1, 3, 3, K2x2, null, 1, 2, 2,
            padTop: 3, mode: PaddingMode.Reflect));
        // output_padding must be smaller than the stride or the dilation.
        Assert.Throws<ArgumentException>(() => ReferenceOps.ConvTranspose2d([1, 2], 1, 1, 1, 2, [1, 1], null, 1, 1, 2,
            strideW: 2, outputPaddingW: 2));
        // Transposed weight in the wrong layout length.
        Assert.Throws<ArgumentException>(() => ReferenceOps.ConvTranspose2d([1, 2], 1, 2, 1, 1, new float[8], null, 2, 1, 1, groups: 2));
    }
}
