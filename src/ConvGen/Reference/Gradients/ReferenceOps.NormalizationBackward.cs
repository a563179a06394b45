using System;

namespace ConvGen.Reference;

public static partial class ReferenceOps
{
    /// <summary>
    /// PyTorch's <c>BatchNorm2d</c> in training mode: each channel is normalized with the statistics of
    /// the batch over its M = N·H·W values, μ = Σx / M and the biased σ² = Σ(x − μ)² / M:
    /// y = γ·(x − μ) / √(σ² + ε) + β. Also BatchNorm1d: [N, C] is H = W = 1, [N, C, L] is H = 1.
    /// </summary>
    /// <param name="x">Input [N, C, H, W].</param>
    /// <param name="n">Batch size N.</param>
    /// <param name="c">Channels C.</param>
    /// <param name="h">Height H.</param>
    /// <param name="w">Width W.</param>
    /// <param name="gamma">Scale γ [C], or null for 1 (affine=false).</param>
    /// <param name="beta">Shift β [C], or null for 0 (affine=false).</param>
    /// <param name="eps">ε added to the variance (PyTorch's default 1e-5).</param>
    /// <returns>The normalized tensor, and the batch mean μ [C] and biased batch variance σ² [C] it used.</returns>
    /// <exception cref="ArgumentException">Sizes are inconsistent.</exception>
    public static (float[] Output, float[] Mean, float[] Variance) BatchNormTraining(
        float[] x, int n, int c, int h, int w, float[]? gamma, float[]? beta, double eps)
    {
        RequireTensor(x, n, c, h, w, nameof(x));
        RequireAffine(c, gamma, beta);
        var (mean, sumSquares) = BatchMoments(x, n, c, h, w);
        long count = (long)n * h * w;
        var y = new float[x.LongLength];
        var variance = new float[c];
        for (int ch = 0; ch < c; ch++)
        {
            double biased = sumSquares[ch] / count;
            variance[ch] = (float)biased;
            double scale = (gamma is null ? 1.0 : gamma[ch]) / Math.Sqrt(biased + eps);
            double shift = beta is null ? 0.0 : beta[ch];
            for (int b = 0; b < n; b++)
            {
                long plane = (((long)b * c) + ch) * h * w;
                for (long p = 0; p < (long)h * w; p++)
                {
                    y[plane + p] = (float)(((x[plane + p] - mean[ch]) * scale) + shift);
                }
            }
        }

        return (y, ToFloat(mean), variance);
    }

    /// <summary>
    /// Backward pass of <see cref="BatchNormTraining"/> (PyTorch's <c>native_batch_norm_backward</c>
    /// with train=true), by the chain rule through the batch statistics. Per channel, with
    /// M = N·H·W, s = 1/√(σ² + ε), x̂ = (x − μ)·s and G = ∂L/∂y:
    /// <list type="bullet">
    /// <item>grad_beta = Σ G, grad_gamma = Σ G·x̂;</item>
    /// <item>∂L/∂x̂ = γ·G; ∂L/∂σ² = −½ s³ Σ ∂L/∂x̂·(x − μ); ∂L/∂μ = −s Σ ∂L/∂x̂ (the σ² term vanishes
    /// because Σ(x − μ) = 0);</item>
    /// <item>grad_input = s·∂L/∂x̂ + ∂L/∂σ²·2(x − μ)/M + ∂L/∂μ / M.</item>
    /// </list>
    /// </summary>
    /// <param name="gradOutput">Upstream gradient [N, C, H, W].</param>
    /// <param name="x">Forward input [N, C, H, W].</param>
    /// <param name="n">Batch size N.</param>
    /// <param name="c">Channels C.</param>
    /// <param name="h">Height H.</param>
    /// <param name="w">Width W.</param>
    /// <param name="gamma">Scale γ [C], or null for 1 (affine=false).</param>
    /// <param name="eps">ε added to the variance.</param>
    /// <returns>grad_input [N, C, H, W], grad_gamma [C] and grad_beta [C] (meaningful only with affine).</returns>
    /// <exception cref="ArgumentException">Sizes are inconsistent.</exception>
    public static (float[] GradInput, float[] GradGamma, float[] GradBeta) BatchNormTrainingBackward(
        float[] gradOutput, float[] x, int n, int c, int h, int w, float[]? gamma, double eps)
    {
        RequireTensor(x, n, c, h, w, nameof(x));
        RequireTensor(gradOutput, n, c, h, w, nameof(gradOutput));
        RequireAffine(c, gamma, null);
        var (mean, sumSquares) = BatchMoments(x, n, c, h, w);
        long count = (long)n * h * w;
        long planeSize = (long)h * w;
        var gradInput = new float[x.LongLength];
        var gradGamma = new double[c];
        var gradBeta = new double[c];
        for (int ch = 0; ch < c; ch++)
        {
            double s = 1.0 / Math.Sqrt((sumSquares[ch] / count) + eps);
            double g = gamma is null ? 1.0 : gamma[ch];
            double gradVariance = 0.0;
            double gradMean = 0.0;
            for (int b = 0; b < n; b++)
            {
                long plane = (((long)b * c) + ch) * planeSize;
                for (long p = 0; p < planeSize; p++)
                {
                    double gy = gradOutput[plane + p];
                    double centered = x[plane + p] - mean[ch];
                    gradBeta[ch] += gy;
                    gradGamma[ch] += gy * centered * s;
                    gradVariance += g * gy * centered;
                    gradMean += g * gy;
                }
            }

            gradVariance *= -0.5 * s * s * s;
            gradMean *= -s;
            for (int b = 0; b < n; b++)
            {
                long plane = (((long)b * c) + ch) * planeSize;
                for (long p = 0; p < planeSize; p++)
                {
                    double centered = x[plane + p] - mean[ch];
                    gradInput[plane + p] = (float)((s * g * gradOutput[plane + p])
                        + (gradVariance * 2.0 * centered / count)
                        + (gradMean / count));
                }
            }
        }

        return (gradInput, ToFloat(gradGamma), ToFloat(gradBeta));
    }

    /// <summary>
    /// The running statistics after one training step of PyTorch's <c>BatchNorm2d</c>:
    /// running_mean ← (1 − m)·running_mean + m·μ and running_var ← (1 − m)·running_var + m·σ²·M/(M − 1),
    /// where μ is the batch mean and σ²·M/(M − 1) the UNBIASED batch variance over M = N·H·W values
    /// (the normalization itself uses the biased one).
    /// </summary>
    /// <param name="runningMean">Running mean before the step [C].</param>
    /// <param name="runningVar">Running variance before the step [C].</param>
    /// <param name="x">The batch [N, C, H, W].</param>
    /// <param name="n">Batch size N.</param>
    /// <param name="c">Channels C.</param>
    /// <param name="h">Height H.</param>
    /// <param name="w">Width W.</param>
    /// <param name="momentum">
    /// Momentum m (PyTorch's default 0.1). For momentum=None (a cumulative average) pass
    /// 1 / num_batches_tracked, counting this step.
    /// </param>
    /// <returns>New arrays with the updated running mean and running variance [C].</returns>
    /// <exception cref="ArgumentException">Sizes are inconsistent, or a channel has a single value (as PyTorch refuses).</exception>
    public static (float[] RunningMean, float[] RunningVar) BatchNormRunningStatistics(
        float[] runningMean, float[] runningVar, float[] x, int n, int c, int h, int w, double momentum = 0.1)
    {
        RequireTensor(x, n, c, h, w, nameof(x));
        RequireStatistics(c, null, null, runningMean, runningVar);
        long count = (long)n * h * w;
        if (count < 2)
        {
            throw new ArgumentException(
                $"Expected more than 1 value per channel when training, got N·H·W = {count}.", nameof(x));
        }

        var (mean, sumSquares) = BatchMoments(x, n, c, h, w);
        var newMean = new float[c];
        var newVar = new float[c];
        for (int ch = 0; ch < c; ch++)
        {
            double unbiased = sumSquares[ch] / (count - 1);
            newMean[ch] = (float)(((1.0 - momentum) * runningMean[ch]) + (momentum * mean[ch]));
            newVar[ch] = (float)(((1.0 - momentum) * runningVar[ch]) + (momentum * unbiased));
        }

        return (newMean, newVar);
    }

    /// <summary>Per-channel batch mean and Σ(x − μ)² over N·H·W, two-pass in double.</summary>
    private static (double[] Mean, double[] SumSquares) BatchMoments(float[] x, int n, int c, int h, int w)
    {
        long planeSize = (long)h * w;
        long count = n * planeSize;
        var mean = new double[c];
        var sumSquares = new double[c];
        for (int ch = 0; ch < c; ch++)
        {
            for (int b = 0; b < n; b++)
            {
                long plane = (((long)b * c) + ch) * planeSize;
                for (long p = 0; p < planeSize; p++)
                {
                    mean[ch] += x[plane + p];
                }
            }

            mean[ch] /= count;
            for (int b = 0; b < n; b++)
            {
                long plane = (((long)b * c) + ch) * planeSize;
                for (long p = 0; p < planeSize; p++)
                {
                    double centered = x[plane + p] - mean[ch];
                    sumSquares[ch] += centered * centered;
                }
            }
        }

        return (mean, sumSquares);
    }

    private static void RequireAffine(int c, float[]? gamma, float[]? beta)
    {
        if (gamma is not null)
        {
            RequireLength(gamma, c, nameof(gamma), $"[C={c}]");
        }

        if (beta is not null)
        {
            RequireLength(beta, c, nameof(beta), $"[C={c}]");
        }
    }
}
