using System;
using ConvGen.Reference;
using Xunit;

namespace ConvGen.Tests.Gradients;

/// <summary>
/// Finite-difference checks of the remaining backward ops: Linear, Pad (every mode), Upsample,
/// PixelShuffle/Unshuffle, Concat and Add.
/// </summary>
public sealed class LayerGradientTests
{
    [Fact]
    public void Linear_backward_matches_finite_differences()
    {
        var rng = new Random(1);
        int n = 3, inFeatures = 5, outFeatures = 4;
        float[] x = GradientData.Grid(rng, n * inFeatures);
        float[] weight = GradientData.Grid(rng, outFeatures * inFeatures);
        float[] bias = GradientData.Grid(rng, outFeatures);
        Func<float[]> forward = () => ReferenceOps.Linear(x, n, inFeatures, weight, bias, outFeatures);
        float[] gradOutput = GradientData.Grid(rng, n * outFeatures);

        var (gradInput, gradWeight, gradBias) = ReferenceOps.LinearBackward(gradOutput, x, n, inFeatures, weight, outFeatures);

        GradientCheck.Matches("grad_input", gradInput, x, forward, gradOutput);
        GradientCheck.Matches("grad_weight", gradWeight, weight, forward, gradOutput);
        GradientCheck.Matches("grad_bias", gradBias, bias, forward, gradOutput);
    }

    [Theory]
    [InlineData(PaddingMode.Zeros, 1, 0, 2, 3)]
    [InlineData(PaddingMode.Reflect, 3, 2, 1, 4)]
    [InlineData(PaddingMode.Replicate, 4, 1, 0, 3)]
    [InlineData(PaddingMode.Circular, 4, 2, 5, 1)]
    public void Pad_backward_matches_finite_differences(PaddingMode mode, int top, int bottom, int left, int right)
    {
        var rng = new Random((int)mode + 40);
        int n = 2, c = 2, h = 4, w = 5;
        float[] x = GradientData.Grid(rng, n * c * h * w);
        float[] gradOutput = GradientData.Grid(rng, n * c * (h + top + bottom) * (w + left + right));
        float[] gradInput = ReferenceOps.PadBackward(gradOutput, n, c, h, w, top, bottom, left, right, mode);
        GradientCheck.Matches("grad_input", gradInput, x,
            () => ReferenceOps.Pad(x, n, c, h, w, top, bottom, left, right, mode), gradOutput);
    }

    [Theory]
    [InlineData(UpsampleMode.Nearest, 3, 4, 2, 2)]
    [InlineData(UpsampleMode.Nearest, 2, 3, 3, 2)]
    [InlineData(UpsampleMode.Linear, 3, 4, 2, 2)]
    [InlineData(UpsampleMode.Linear, 3, 3, 3, 2)]
    [InlineData(UpsampleMode.Linear, 1, 5, 1, 3)]
    public void Upsample_backward_matches_finite_differences(UpsampleMode mode, int h, int w, int scaleH, int scaleW)
    {
        var rng = new Random((h * 10) + w);
        int n = 2, c = 2;
        float[] x = GradientData.Grid(rng, n * c * h * w);
        float[] gradOutput = GradientData.Grid(rng, n * c * h * scaleH * w * scaleW);
        float[] gradInput = ReferenceOps.UpsampleBackward(gradOutput, n, c, h, w, scaleH, scaleW, mode);
        GradientCheck.Matches("grad_input", gradInput, x,
            () => ReferenceOps.Upsample(x, n, c, h, w, scaleH, scaleW, mode), gradOutput);
    }

    [Fact]
    public void PixelShuffle_and_unshuffle_backward_match_finite_differences()
    {
        var rng = new Random(9);
        int n = 2, c = 8, h = 2, w = 3, r = 2;
        float[] x = GradientData.Grid(rng, n * c * h * w);
        float[] gradOutput = GradientData.Grid(rng, x.Length);
        GradientCheck.Matches("pixel_shuffle grad_input", ReferenceOps.PixelShuffleBackward(gradOutput, n, c, h, w, r), x,
            () => ReferenceOps.PixelShuffle(x, n, c, h, w, r), gradOutput);

        int cu = 2, hu = 6, wu = 3, ru = 3;
        float[] xu = GradientData.Grid(rng, n * cu * hu * wu);
        float[] gradOutputU = GradientData.Grid(rng, xu.Length);
        GradientCheck.Matches("pixel_unshuffle grad_input", ReferenceOps.PixelUnshuffleBackward(gradOutputU, n, cu, hu, wu, ru), xu,
            () => ReferenceOps.PixelUnshuffle(xu, n, cu, hu, wu, ru), gradOutputU);
    }

    [Fact]
    public void Concat_and_add_backward_match_finite_differences()
    {
        var rng = new Random(10);
        int n = 2, ca = 2, cb = 3, h = 2, w = 3;
        float[] a = GradientData.Grid(rng, n * ca * h * w);
        float[] b = GradientData.Grid(rng, n * cb * h * w);
        float[] gradOutput = GradientData.Grid(rng, n * (ca + cb) * h * w);
        var (gradA, gradB) = ReferenceOps.ConcatBackward(gradOutput, n, ca, cb, h, w);
        GradientCheck.Matches("concat grad_a", gradA, a, () => ReferenceOps.Concat(a, b, n, ca, cb, h, w), gradOutput);
        GradientCheck.Matches("concat grad_b", gradB, b, () => ReferenceOps.Concat(a, b, n, ca, cb, h, w), gradOutput);

        float[] c = GradientData.Grid(rng, a.Length);
        float[] gradSum = GradientData.Grid(rng, a.Length);
        var (gradAddA, gradAddC) = ReferenceOps.AddBackward(gradSum);
        GradientCheck.Matches("add grad_a", gradAddA, a, () => ReferenceOps.Add(a, c), gradSum);
        GradientCheck.Matches("add grad_b", gradAddC, c, () => ReferenceOps.Add(a, c), gradSum);
    }

    [Fact]
    public void A_residual_skip_sums_the_gradients_of_both_paths()
    {
        // y = relu(x) + x: ∂L/∂x = relu'(x)·G + G.
        var rng = new Random(12);
        float[] x = GradientData.AwayFrom(rng, 24, -2, 2, 0.25, 0.0);
        float[] gradOutput = GradientData.Grid(rng, x.Length);
        var (gradBranch, gradSkip) = ReferenceOps.AddBackward(gradOutput);
        float[] gradInput = ReferenceOps.SumGradients(ReferenceOps.ReLUBackward(gradBranch, x), gradSkip);
        GradientCheck.Matches("grad_input", gradInput, x, () => ReferenceOps.Add(ReferenceOps.ReLU(x), x), gradOutput);
    }
}
