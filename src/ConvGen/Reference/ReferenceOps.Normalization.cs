using System;

namespace ConvGen.Reference;

public static partial class ReferenceOps
{
    /// <summary>
    /// PyTorch's <c>BatchNorm2d</c> in inference mode (running statistics):
    /// y = γ[c]·(x − μ[c]) / √(σ²[c] + ε) + β[c]. Also BatchNorm1d: [N, C] is H = W = 1, [N, C, L] is H = 1.
    /// </summary>
    /// <param name="x">Input [N, C, H, W].</param>
    /// <param name="n">Batch size N.</param>
    /// <param name="c">Channels C.</param>
    /// <param name="h">Height H.</param>
    /// <param name="w">Width W.</param>
    /// <param name="gamma">Scale γ [C], or null for 1 (affine=false).</param>
    /// <param name="beta">Shift β [C], or null for 0 (affine=false).</param>
    /// <param name="runningMean">Running mean μ [C].</param>
    /// <param name="runningVar">Running variance σ² [C].</param>
    /// <param name="eps">ε added to the variance (PyTorch's default 1e-5).</param>
    /// <returns>The normalized tensor, same shape as <paramref name="x"/>.</returns>
    /// <exception cref="ArgumentException">Sizes are inconsistent.</exception>
    public static float[] BatchNorm(
        float[] x, int n, int c, int h, int w,
        float[]? gamma, float[]? beta, float[] runningMean, float[] runningVar, double eps)
    {
        RequireTensor(x, n, c, h, w, nameof(x));
        RequireStatistics(c, gamma, beta, runningMean, runningVar);
        var y = new float[x.LongLength];
        for (int b = 0; b < n; b++)
        {
            for (int ch = 0; ch < c; ch++)
            {
                double scale = (gamma is null ? 1.0 : gamma[ch]) / Math.Sqrt(runningVar[ch] + eps);
                double shift = beta is null ? 0.0 : beta[ch];
                long plane = (((long)b * c) + ch) * h * w;
                for (long p = 0; p < (long)h * w; p++)
                {
                    y[plane + p] = (float)(((x[plane + p] - (double)runningMean[ch]) * scale) + shift);
                }
            }
        }

        return y;
    }

    /// <summary>
    /// Folds an inference BatchNorm into the convolution (or linear layer) before it, for weights in
    /// Conv layout [Cout, Cin/g, ...] (Linear's [out, in] is the same): with s = γ/√(σ² + ε) per output
    /// channel, W'[co, ...] = s[co]·W[co, ...] and b'[co] = s[co]·(b[co] − μ[co]) + β[co].
    /// </summary>
    /// <param name="weight">Weights [Cout, ...]; Cout is the length of <paramref name="runningMean"/>.</param>
    /// <param name="bias">Bias [Cout], or null for 0.</param>
    /// <param name="gamma">Scale γ [Cout], or null for 1.</param>
    /// <param name="beta">Shift β [Cout], or null for 0.</param>
    /// <param name="runningMean">Running mean μ [Cout].</param>
    /// <param name="runningVar">Running variance σ² [Cout].</param>
    /// <param name="eps">ε added to the variance.</param>
    /// <returns>The folded weights (same layout) and bias [Cout].</returns>
    /// <exception cref="ArgumentException">Sizes are inconsistent.</exception>
    public static (float[] Weight, float[] Bias) FoldBatchNorm(
        float[] weight, float[]? bias, float[]? gamma, float[]? beta,
        float[] runningMean, float[] runningVar, double eps)
    {
        ArgumentNullException.ThrowIfNull(weight);
        ArgumentNullException.ThrowIfNull(runningMean);
        int cout = runningMean.Length;
        RequirePositive(cout, nameof(runningMean));
        RequireStatistics(cout, gamma, beta, runningMean, runningVar);
        if (bias is not null)
        {
            RequireLength(bias, cout, nameof(bias), $"[Cout={cout}]");
        }

        if (weight.LongLength == 0 || weight.LongLength % cout != 0)
        {
            throw new ArgumentException(
                $"Weight length {weight.LongLength} is not a positive multiple of the {cout} output channels.", nameof(weight));
        }

        long perChannel = weight.LongLength / cout;
        var folded = new float[weight.LongLength];
        var foldedBias = new float[cout];
        for (int co = 0; co < cout; co++)
        {
            double scale = BatchNormScale(co, gamma, runningVar, eps);
            for (long k = 0; k < perChannel; k++)
            {
                long index = ((long)co * perChannel) + k;
                folded[index] = (float)(weight[index] * scale);
            }

            foldedBias[co] = FoldedBias(co, bias, beta, runningMean, scale);
        }

        return (folded, foldedBias);
    }

    /// <summary>
    /// Folds an inference BatchNorm into the transposed convolution before it, for weights in
    /// ConvTranspose layout [Cin, Cout/g, ...]: the output channel of weight[ci, j, ...] is
    /// (ci / (Cin/g))·(Cout/g) + j, and with s = γ/√(σ² + ε) that weight is scaled by s of its output
    /// channel; b'[co] = s[co]·(b[co] − μ[co]) + β[co].
    /// </summary>
    /// <param name="weight">Weights [Cin, Cout/groups, ...]; Cout is the length of <paramref name="runningMean"/>.</param>
    /// <param name="bias">Bias [Cout], or null for 0.</param>
    /// <param name="gamma">Scale γ [Cout], or null for 1.</param>
    /// <param name="beta">Shift β [Cout], or null for 0.</param>
    /// <param name="runningMean">Running mean μ [Cout].</param>
    /// <param name="runningVar">Running variance σ² [Cout].</param>
    /// <param name="eps">ε added to the variance.</param>
    /// <param name="cin">Input channels Cin of the transposed convolution.</param>
    /// <param name="groups">Its channel groups.</param>
    /// <returns>The folded weights (same layout) and bias [Cout].</returns>
    /// <exception cref="ArgumentException">Sizes are inconsistent.</exception>
    public static (float[] Weight, float[] Bias) FoldBatchNormTransposed(
        float[] weight, float[]? bias, float[]? gamma, float[]? beta,
        float[] runningMean, float[] runningVar, double eps, int cin, int groups)
    {
        ArgumentNullException.ThrowIfNull(weight);
        ArgumentNullException.ThrowIfNull(runningMean);
        int cout = runningMean.Length;
        RequirePositive(cout, nameof(runningMean));
        RequirePositive(cin, nameof(cin));
        RequirePositive(groups, nameof(groups));
        RequireStatistics(cout, gamma, beta, runningMean, runningVar);
        if (bias is not null)
        {
            RequireLength(bias, cout, nameof(bias), $"[Cout={cout}]");
        }

        if (cin % groups != 0 || cout % groups != 0)
        {
            throw new ArgumentException(
                $"Groups {groups} must divide both the input channels {cin} and the output channels {cout}.", nameof(groups));
        }

        int cinPerGroup = cin / groups;
        int coutPerGroup = cout / groups;
        long rows = (long)cin * coutPerGroup;
        if (weight.LongLength == 0 || weight.LongLength % rows != 0)
        {
            throw new ArgumentException(
                $"Weight length {weight.LongLength} is not a positive multiple of Cin·Cout/g = {rows}.", nameof(weight));
        }

        long kernel = weight.LongLength / rows;
        var folded = new float[weight.LongLength];
        for (int ci = 0; ci < cin; ci++)
        {
            for (int j = 0; j < coutPerGroup; j++)
            {
                int co = ((ci / cinPerGroup) * coutPerGroup) + j;
                double scale = BatchNormScale(co, gamma, runningVar, eps);
                for (long k = 0; k < kernel; k++)
                {
                    long index = ((((long)ci * coutPerGroup) + j) * kernel) + k;
                    folded[index] = (float)(weight[index] * scale);
                }
            }
        }

        var foldedBias = new float[cout];
        for (int co = 0; co < cout; co++)
        {
            foldedBias[co] = FoldedBias(co, bias, beta, runningMean, BatchNormScale(co, gamma, runningVar, eps));
        }

        return (folded, foldedBias);
    }

    private static double BatchNormScale(int channel, float[]? gamma, float[] runningVar, double eps) =>
        (gamma is null ? 1.0 : gamma[channel]) / Math.Sqrt(runningVar[channel] + eps);

    private static float FoldedBias(int channel, float[]? bias, float[]? beta, float[] runningMean, double scale) =>
        (float)((((bias is null ? 0.0 : bias[channel]) - runningMean[channel]) * scale) + (beta is null ? 0.0 : beta[channel]));

    private static void RequireStatistics(int c, float[]? gamma, float[]? beta, float[] runningMean, float[] runningVar)
    {
        string shape = $"[C={c}]";
        RequireLength(runningMean, c, nameof(runningMean), shape);
        RequireLength(runningVar, c, nameof(runningVar), shape);
        if (gamma is not null)
        {
            RequireLength(gamma, c, nameof(gamma), shape);
        }

        if (beta is not null)
        {
            RequireLength(beta, c, nameof(beta), shape);
        }
    }
}
