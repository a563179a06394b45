using System;
using ConvGen.Reference;
using Xunit;

namespace ConvGen.Tests.Gradients;

/// <summary>
/// Finite-difference checks of the pooling backward ops, and PyTorch's max-pool tie rule (the first
/// maximum in window scan order takes the gradient).
/// </summary>
public sealed class PoolingGradientTests
{
    [Theory]
    [InlineData(2, 2, 5, 6, 2, 2, 2, 2, 0, 0, 1, 1, false)]
    [InlineData(1, 2, 7, 7, 3, 3, 2, 2, 1, 1, 1, 1, false)]
    [InlineData(1, 1, 6, 7, 3, 2, 2, 1, 1, 1, 2, 3, true)]
    [InlineData(1, 2, 4, 7, 2, 2, 3, 3, 1, 1, 1, 1, true)]
    [InlineData(2, 1, 1, 9, 1, 3, 1, 2, 0, 1, 1, 1, true)]
    public void MaxPool2d_backward_matches_finite_differences(
        int n, int c, int h, int w, int kH, int kW, int sH, int sW, int pH, int pW, int dH, int dW, bool ceilMode)
    {
        var rng = new Random((h * 31) + w);
        float[] x = GradientData.Distinct(rng, n * c * h * w);
        Func<float[]> forward = () => ReferenceOps.MaxPool2d(x, n, c, h, w, kH, kW, sH, sW, pH, pW, dH, dW, ceilMode).Output;
        float[] gradOutput = GradientData.Grid(rng, forward().Length);
        float[] gradInput = ReferenceOps.MaxPool2dBackward(gradOutput, x, n, c, h, w, kH, kW, sH, sW, pH, pW, dH, dW, ceilMode);
        GradientCheck.Matches("grad_input", gradInput, x, forward, gradOutput);
    }

    [Theory]
    [InlineData(2, 2, 5, 6, 2, 2, 2, 2, 0, 0, false, true)]
    [InlineData(1, 2, 6, 6, 3, 3, 2, 2, 1, 1, true, true)]
    [InlineData(1, 2, 6, 6, 3, 3, 2, 2, 1, 1, true, false)]
    [InlineData(1, 1, 5, 7, 2, 2, 2, 2, 0, 0, true, true)]
    [InlineData(1, 1, 5, 6, 3, 2, 1, 1, 1, 1, false, false)]
    [InlineData(2, 1, 1, 7, 1, 3, 1, 2, 0, 1, false, false)]
    public void AvgPool2d_backward_matches_finite_differences(
        int n, int c, int h, int w, int kH, int kW, int sH, int sW, int pH, int pW, bool ceilMode, bool countIncludePad)
    {
        var rng = new Random((h * 17) + w);
        float[] x = GradientData.Grid(rng, n * c * h * w);
        Func<float[]> forward = () => ReferenceOps.AvgPool2d(x, n, c, h, w, kH, kW, sH, sW, pH, pW, ceilMode, countIncludePad).Output;
        float[] gradOutput = GradientData.Grid(rng, forward().Length);
        float[] gradInput = ReferenceOps.AvgPool2dBackward(gradOutput, n, c, h, w, kH, kW, sH, sW, pH, pW, ceilMode, countIncludePad);
        GradientCheck.Matches("grad_input", gradInput, x, forward, gradOutput);
    }

    [Fact]
    public void GlobalAvgPool_backward_matches_finite_differences()
    {
        var rng = new Random(3);
        int n = 2, c = 3, h = 3, w = 5;
        float[] x = GradientData.Grid(rng, n * c * h * w);
        float[] gradOutput = GradientData.Grid(rng, n * c);
        float[] gradInput = ReferenceOps.GlobalAvgPoolBackward(gradOutput, n, c, h, w);
        GradientCheck.Matches("grad_input", gradInput, x, () => ReferenceOps.GlobalAvgPool(x, n, c, h, w), gradOutput);
    }

    [Fact]
    public void MaxPool2d_backward_sends_a_tie_to_the_first_maximum_in_scan_order()
    {
        // One 2x3 window: the maximum 5 appears at (0, 2), (1, 0) and (1, 2); row-major scan meets (0, 2) first.
        float[] x = [1, 0, 5, 5, 2, 5];
        float[] gradInput = ReferenceOps.MaxPool2dBackward([1f], x, 1, 1, 2, 3, 2, 3, 2, 3);
        Assert.Equal(new float[] { 0, 0, 1, 0, 0, 0 }, gradInput);
    }

    [Fact]
    public void MaxPool2d_backward_accumulates_where_overlapping_windows_share_an_argmax()
    {
        // Windows [0..2] and [1..3] of a 1-D row both pick x[1] = 9 (the tie at x[3] comes later).
        float[] x = [1, 9, 3, 9];
        float[] gradInput = ReferenceOps.MaxPool2dBackward([2f, 3f], x, 1, 1, 1, 4, 1, 3, 1, 1);
        Assert.Equal(new float[] { 0, 5, 0, 0 }, gradInput);
    }

    [Fact]
    public void MaxPool2d_backward_never_picks_padding_even_when_every_value_is_negative()
    {
        float[] x = [-4, -3, -2, -1];
        float[] gradInput = ReferenceOps.MaxPool2dBackward([1f, 1f, 1f], x, 1, 1, 1, 4, 1, 2, 1, 2, padH: 0, padW: 1);
        Assert.Equal(new float[] { 1, 0, 1, 1 }, gradInput);
    }

    [Fact]
    public void MaxPool2d_backward_sends_an_all_negative_infinity_window_to_its_first_in_bounds_tap()
    {
        // As PyTorch (checked with torch 1.13): the argmax starts at the first tap inside the input.
        float[] x = [float.NegativeInfinity, float.NegativeInfinity, float.NegativeInfinity, float.NegativeInfinity];
        float[] gradInput = ReferenceOps.MaxPool2dBackward([1f, 2f], x, 1, 1, 1, 4, 1, 3, 1, 2, padH: 0, padW: 1);
        Assert.Equal(new float[] { 1, 2, 0, 0 }, gradInput);
    }
}
