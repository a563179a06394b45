using System;
using ConvGen.Reference;
using Xunit;

namespace ConvGen.Tests.Reference;

public sealed class ReferenceLayerTests
{
    [Fact]
    public void Activations()
    {
        Assert.Equal(new float[] { 0, 0, 2 }, ReferenceOps.ReLU([-1, 0, 2]));
        Assert.Equal(new float[] { -0.125f, 0, 2 }, ReferenceOps.LeakyReLU([-1, 0, 2], 0.125));
        Assert.Equal(new float[] { 0, 3, 6 }, ReferenceOps.ReLU6([-1, 3, 7]));
        Assert.Equal(new float[] { 0.5f }, ReferenceOps.Sigmoid([0]));
        Assert.Equal(new float[] { 0 }, ReferenceOps.Tanh([0]));

        // silu(1) = 1 / (1 + e^−1) = 0.7310586; silu(−1) = −0.2689414.
        ReferenceAssert.Close([0, 0.7310586f, -0.26894143f], ReferenceOps.SiLU([0, 1, -1]));
        Assert.True(float.IsNaN(ReferenceOps.ReLU([float.NaN])[0]));
        Assert.True(float.IsNaN(ReferenceOps.ReLU6([float.NaN])[0]));
    }

    [Fact]
    public void BatchNorm_uses_running_statistics()
    {
        // Channel 0: mean 1, var 3, eps 1 -> √4 = 2; γ 4, β 0.5: x = 3 -> (3 − 1)/2·4 + 0.5 = 4.5, x = 1 -> 0.5.
        // Channel 1: mean 0, var 0, eps 1, γ 1, β 0: identity.
        float[] y = ReferenceOps.BatchNorm([3, 1, 7, -2], 1, 2, 1, 2, [4, 1], [0.5f, 0], [1, 0], [3, 0], 1.0);
        Assert.Equal(new float[] { 4.5f, 0.5f, 7, -2 }, y);

        // affine = false: no γ, β.
        float[] z = ReferenceOps.BatchNorm([3, 1], 1, 1, 1, 2, null, null, [1], [3], 1.0);
        Assert.Equal(new float[] { 1, 0 }, z);
    }

    [Fact]
    public void Linear_matrix_vector()
    {
        // W = [[1 0], [2 3], [−1 1]], b = [0 1 0.5], x = [1 2] -> [1, 2 + 6 + 1, −1 + 2 + 0.5].
        float[] y = ReferenceOps.Linear([1, 2], 1, 2, [1, 0, 2, 3, -1, 1], [0, 1, 0.5f], 3);
        Assert.Equal(new float[] { 1, 9, 1.5f }, y);
        Assert.Throws<ArgumentException>(() => ReferenceOps.Linear([1, 2], 1, 2, [1, 0, 2], null, 3));
    }

    [Fact]
    public void Upsample_nearest()
    {
        // 1-D [1 2] by 2 -> [1 1 2 2]; 2-D [[1 2]] by (2, 3).
        Assert.Equal(new float[] { 1, 1, 2, 2 }, ReferenceOps.Upsample([1, 2], 1, 1, 1, 2, 1, 2, UpsampleMode.Nearest));
        Assert.Equal(
            new float[] { 1, 1, 1, 2, 2, 2, 1, 1, 1, 2, 2, 2 },
            ReferenceOps.Upsample([1, 2], 1, 1, 1, 2, 2, 3, UpsampleMode.Nearest));
    }

    [Fact]
    public void Upsample_linear_align_corners_false()
    {
        // 1-D [1 2] by 2: src = (dst + 0.5)/2 − 0.5 = −0.25 (clamped to 0), 0.25, 0.75, 1.25 (i1 clamped to 1)
        // -> [1, 1.25, 1.75, 2].
        Assert.Equal(new float[] { 1, 1.25f, 1.75f, 2 }, ReferenceOps.Upsample([1, 2], 1, 1, 1, 2, 1, 2, UpsampleMode.Linear));

        // 2-D [[1 2], [3 4]] by 2: the same weights separably; rows A = [1 1.25 1.75 2], B = A + 2.
        Assert.Equal(
            new float[]
            {
                1, 1.25f, 1.75f, 2,
                1.5f, 1.75f, 2.25f, 2.5f,
                2.5f, 2.75f, 3.25f, 3.5f,
                3, 3.25f, 3.75f, 4,
            },
            ReferenceOps.Upsample([1, 2, 3, 4], 1, 1, 2, 2, 2, 2, UpsampleMode.Linear));
    }

    [Fact]
    public void PixelShuffle_and_unshuffle()
    {
        // [1, 4, 1, 2]: channels c0 = [1 2], c1 = [3 4], c2 = [5 6], c3 = [7 8], r = 2 -> [1, 1, 2, 4]:
        // y[i·2 + di, j·2 + dj] = c(di·2 + dj)[i, j] -> rows [1 3 2 4], [5 7 6 8].
        float[] x = [1, 2, 3, 4, 5, 6, 7, 8];
        float[] y = ReferenceOps.PixelShuffle(x, 1, 4, 1, 2, 2);
        Assert.Equal(new float[] { 1, 3, 2, 4, 5, 7, 6, 8 }, y);
        Assert.Equal(x, ReferenceOps.PixelUnshuffle(y, 1, 1, 2, 4, 2));
        Assert.Throws<ArgumentException>(() => ReferenceOps.PixelShuffle(new float[6], 1, 6, 1, 1, 2));
        Assert.Throws<ArgumentException>(() => ReferenceOps.PixelUnshuffle(new float[6], 1, 1, 2, 3, 2));
    }

    [Fact]
    public void Concat_add_and_layout_transposes()
    {
        // a: N = 2, C = 1, 1 x 2; b: N = 2, C = 2, 1 x 2.
        float[] y = ReferenceOps.Concat([1, 2, 3, 4], [10, 20, 30, 40, 50, 60, 70, 80], 2, 1, 2, 1, 2);
        Assert.Equal(new float[] { 1, 2, 10, 20, 30, 40, 3, 4, 50, 60, 70, 80 }, y);

        Assert.Equal(new float[] { 11, 22 }, ReferenceOps.Add([1, 2], [10, 20]));
        Assert.Throws<ArgumentException>(() => ReferenceOps.Add([1, 2], [1]));

        // NCHW [1, 2, 1, 2]: c0 = [1 2], c1 = [3 4] -> NHWC [1 3 2 4].
        float[] nhwc = ReferenceOps.NchwToNhwc([1, 2, 3, 4], 1, 2, 1, 2);
        Assert.Equal(new float[] { 1, 3, 2, 4 }, nhwc);
        Assert.Equal(new float[] { 1, 2, 3, 4 }, ReferenceOps.NhwcToNchw(nhwc, 1, 2, 1, 2));
    }

    [Fact]
    public void FoldBatchNorm_conv_layout()
    {
        // var [3 15], eps 1 -> √ = [2 4]; γ [2 1] -> s = [1 0.25].
        // W [2, 1, 1, 1] = [1 2] -> [1 0.5]; b' = s·(b − μ) + β = [1·(1 − 0) + 0, 0.25·(1 − 1) + 1].
        var (w, b) = ReferenceOps.FoldBatchNorm([1, 2], [1, 1], [2, 1], [0, 1], [0, 1], [3, 15], 1.0);
        Assert.Equal(new float[] { 1, 0.5f }, w);
        Assert.Equal(new float[] { 1, 1 }, b);
    }

    [Fact]
    public void FoldBatchNorm_transposed_layout_maps_channels_through_groups()
    {
        // Scales s = γ/√(σ² + ε) with σ² + ε = 1: s = γ = [1 2 3 4].
        float[] gamma = [1, 2, 3, 4];
        float[] zeros = [0, 0, 0, 0];
        float[] ones = [1, 1, 1, 1];

        // Cin = 2, Cout = 4, groups = 2: weight [2, 2] -> ci 0 feeds co 0, 1; ci 1 feeds co 2, 3.
        var (grouped, _) = ReferenceOps.FoldBatchNormTransposed(ones, null, gamma, null, zeros, ones, 0.0, 2, 2);
        Assert.Equal(new float[] { 1, 2, 3, 4 }, grouped);

        // Cin = 2, Cout = 4, groups = 1: weight [2, 4] -> every ci feeds co 0..3.
        float[] ones8 = [1, 1, 1, 1, 1, 1, 1, 1];
        var (dense, bias) = ReferenceOps.FoldBatchNormTransposed(ones8, null, gamma, [1, 1, 1, 1], zeros, ones, 0.0, 2, 1);
        Assert.Equal(new float[] { 1, 2, 3, 4, 1, 2, 3, 4 }, dense);
        Assert.Equal(new float[] { 1, 1, 1, 1 }, bias);

        // The conv layout of the same numbers scales whole rows instead.
        var (conv, _) = ReferenceOps.FoldBatchNorm(ones8, null, gamma, null, zeros, ones, 0.0);
        Assert.Equal(new float[] { 1, 1, 2, 2, 3, 3, 4, 4 }, conv);
    }

    [Fact]
    public void Folded_layers_equal_layer_then_batch_norm()
    {
        var random = new Random(7);
        float[] Random(int count)
        {
            var a = new float[count];
            for (int i = 0; i < count; i++)
            {
                a[i] = (float)((random.NextDouble() * 4) - 2);
            }

            return a;
        }

        float[] Positive(int count)
        {
            var a = Random(count);
            for (int i = 0; i < count; i++)
            {
                a[i] = Math.Abs(a[i]) + 0.1f;
            }

            return a;
        }

        const int Cin = 4, Cout = 6, Groups = 2, H = 5, W = 4;
        const double Eps = 1e-3;
        float[] x = Random(2 * Cin * H * W);
        float[] gamma = Random(Cout), beta = Random(Cout), mean = Random(Cout), variance = Positive(Cout), bias = Random(Cout);

        // Conv2d, weight [Cout, Cin/g, 3, 3].
        float[] wc = Random(Cout * (Cin / Groups) * 9);
        var (conv, hc, wcOut) = ReferenceOps.Conv2d(x, 2, Cin, H, W, wc, bias, Cout, 3, 3, groups: Groups, padTop: 1, padBottom: 1, padLeft: 1, padRight: 1);
        float[] expected = ReferenceOps.BatchNorm(conv, 2, Cout, hc, wcOut, gamma, beta, mean, variance, Eps);
        var (fw, fb) = ReferenceOps.FoldBatchNorm(wc, bias, gamma, beta, mean, variance, Eps);
        var (folded, _, _) = ReferenceOps.Conv2d(x, 2, Cin, H, W, fw, fb, Cout, 3, 3, groups: Groups, padTop: 1, padBottom: 1, padLeft: 1, padRight: 1);
        ReferenceAssert.Close(expected, folded, 1e-4, 1e-5);

        // ConvTranspose2d, weight [Cin, Cout/g, 3, 3].
        float[] wt = Random(Cin * (Cout / Groups) * 9);
        var (convT, ht, wtOut) = ReferenceOps.ConvTranspose2d(x, 2, Cin, H, W, wt, bias, Cout, 3, 3, strideH: 2, strideW: 2, padH: 1, padW: 1, outputPaddingH: 1, outputPaddingW: 1, groups: Groups);
        float[] expectedT = ReferenceOps.BatchNorm(convT, 2, Cout, ht, wtOut, gamma, beta, mean, variance, Eps);
        var (fwt, fbt) = ReferenceOps.FoldBatchNormTransposed(wt, bias, gamma, beta, mean, variance, Eps, Cin, Groups);
        var (foldedT, _, _) = ReferenceOps.ConvTranspose2d(x, 2, Cin, H, W, fwt, fbt, Cout, 3, 3, strideH: 2, strideW: 2, padH: 1, padW: 1, outputPaddingH: 1, outputPaddingW: 1, groups: Groups);
        ReferenceAssert.Close(expectedT, foldedT, 1e-4, 1e-5);
    }
}
