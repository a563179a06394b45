using System;
using System.Linq;
using ConvGen.Reference;
using Xunit;

namespace ConvGen.Tests.Gradients;

/// <summary>
/// Training-mode BatchNorm: finite-difference checks of <see cref="ReferenceOps.BatchNormTrainingBackward"/>
/// through <see cref="ReferenceOps.BatchNormTraining"/>, and the running-statistics update.
/// </summary>
public sealed class BatchNormGradientTests
{
    [Theory]
    [InlineData(2, 3, 3, 3, true, 1e-5)]
    [InlineData(2, 2, 1, 5, true, 1e-3)]
    [InlineData(5, 4, 1, 1, true, 1e-5)]
    [InlineData(3, 2, 2, 2, false, 1e-2)]
    public void BatchNormTraining_backward_matches_finite_differences(int n, int c, int h, int w, bool affine, double eps)
    {
        var rng = new Random((n * 13) + c + h + w);
        float[] x = GradientData.Grid(rng, n * c * h * w);
        float[]? gamma = affine ? GradientData.Grid(rng, c) : null;
        float[]? beta = affine ? GradientData.Grid(rng, c) : null;
        Func<float[]> forward = () => ReferenceOps.BatchNormTraining(x, n, c, h, w, gamma, beta, eps).Output;
        float[] gradOutput = GradientData.Grid(rng, x.Length);

        var (gradInput, gradGamma, gradBeta) = ReferenceOps.BatchNormTrainingBackward(gradOutput, x, n, c, h, w, gamma, eps);

        GradientCheck.Matches("grad_input", gradInput, x, forward, gradOutput, GradientCheck.SmoothStep, 2e-3);
        if (affine)
        {
            GradientCheck.Matches("grad_gamma", gradGamma, gamma!, forward, gradOutput, GradientCheck.SmoothStep, 2e-3);
            GradientCheck.Matches("grad_beta", gradBeta, beta!, forward, gradOutput, GradientCheck.SmoothStep, 2e-3);
        }
    }

    [Fact]
    public void BatchNormTraining_grad_input_sums_to_zero_per_channel()
    {
        // y does not change when a channel is shifted by a constant, so Σ grad_input over the channel is 0.
        var rng = new Random(11);
        int n = 2, c = 3, h = 2, w = 4;
        float[] x = GradientData.Grid(rng, n * c * h * w);
        float[] gradInput = ReferenceOps.BatchNormTrainingBackward(GradientData.Grid(rng, x.Length), x, n, c, h, w,
            GradientData.Grid(rng, c), 1e-5).GradInput;
        for (int ch = 0; ch < c; ch++)
        {
            double sum = Enumerable.Range(0, n).Sum(b => Enumerable.Range(0, h * w).Sum(p => (double)gradInput[(((b * c) + ch) * h * w) + p]));
            Assert.True(Math.Abs(sum) < 1e-4, $"channel {ch}: Σ grad_input = {sum}");
        }
    }

    [Fact]
    public void Running_statistics_use_momentum_and_the_unbiased_batch_variance()
    {
        // One channel, values 1, 2, 3, 6 over N·H·W = 4: mean 3, Σ(x − μ)² = 14, unbiased variance 14/3.
        float[] x = [1, 2, 3, 6];
        var (mean, variance) = ReferenceOps.BatchNormRunningStatistics([1f], [2f], x, 2, 1, 1, 2, momentum: 0.25);
        Assert.Equal((float)((0.75 * 1) + (0.25 * 3)), mean[0]);
        Assert.Equal((float)((0.75 * 2) + (0.25 * (14.0 / 3))), variance[0]);

        // The normalization itself uses the biased variance 14/4.
        var (y, batchMean, batchVariance) = ReferenceOps.BatchNormTraining(x, 2, 1, 1, 2, null, null, 0);
        Assert.Equal(3f, batchMean[0]);
        Assert.Equal(3.5f, batchVariance[0]);
        Assert.Equal((float)(3 / Math.Sqrt(3.5)), y[3]);
    }

    [Fact]
    public void Running_statistics_need_more_than_one_value_per_channel()
    {
        Assert.Throws<ArgumentException>(() => ReferenceOps.BatchNormRunningStatistics([0f, 0f], [1f, 1f], [1f, 2f], 1, 2, 1, 1));
    }
}
