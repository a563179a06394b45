using System;
using System.Collections.Generic;
using System.Linq;
using ConvGen.Tests.Infrastructure;
using Xunit;

namespace ConvGen.Tests.TrainingNetwork;

/// <summary>
/// Train-mode BatchNorm with two or three values per channel, far from 0 (x = 1000 + 0.01·u): the trainer's output,
/// input gradient, γ and β gradients and running statistics against a naive double-precision reference. Everything
/// that matters is in the deviations x − μ ≈ 0.005, which a float mean (rounded by up to 3e-5 at 1000) or a folded
/// x·a + (β − a·μ) (an x·a of about 2·10⁵) rounds away; the statistics are two-pass (μ, then Σ (x − μ)²) in double.
/// </summary>
public sealed class BatchNormPrecisionTests
{
    private const int Channels = 2;

    private static readonly DeclaredNetwork OffsetNorm = NetworkBuilder.Net2d(Channels, 1, 1).BatchNorm().Build("OffsetNorm");

    private static readonly CompiledNetworks Compiled = new(new[] { OffsetNorm });

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void Few_values_far_from_zero_match_a_double_reference(int batch)
    {
        var weights = ReferenceNetwork.CreateWeights(OffsetNorm.Plans, 5);
        Array.Clear(weights["0.running_var"].Data); // the update is then 0.1·unbiased variance, all significant digits
        var random = new Random(17 + batch);
        var x = Enumerable.Range(0, batch * Channels).Select(_ => 1000f + (float)(0.01 * ((random.NextDouble() * 2) - 1))).ToArray();
        var dy = Enumerable.Range(0, batch * Channels).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
        float[] gamma = weights["0.weight"].Data, beta = weights["0.bias"].Data, runningMean = weights["0.running_mean"].Data;

        var trainer = Compiled.Trainer(OffsetNorm, weights, batch);
        var y = new float[x.Length];
        var dx = new float[x.Length];
        trainer.Forward(x, y, batch);
        trainer.Backward(dy, dx);
        var state = trainer.ExportWeights();
        var gradients = trainer.Parameters.ToDictionary(p => p.Name, p => p.Gradient, StringComparer.Ordinal);

        var problems = new List<string>();
        for (int c = 0; c < Channels; c++)
        {
            // Sample n, channel c is x[n·C + c] (one value per plane).
            double[] xc = Enumerable.Range(0, batch).Select(n => (double)x[(n * Channels) + c]).ToArray();
            double[] dyc = Enumerable.Range(0, batch).Select(n => (double)dy[(n * Channels) + c]).ToArray();
            double mu = xc.Average();
            double variance = xc.Sum(v => (v - mu) * (v - mu)) / batch;
            double sigma = Math.Sqrt(variance + 1e-5);
            double[] xhat = xc.Select(v => (v - mu) / sigma).ToArray();
            double sumDy = dyc.Sum(), sumDyXhat = dyc.Zip(xhat, (g, h) => g * h).Sum();

            for (int n = 0; n < batch; n++)
            {
                int i = (n * Channels) + c;
                Check(problems, $"y[{i}]", (gamma[c] * xhat[n]) + beta[c], y[i]);
                Check(problems, $"dx[{i}]", gamma[c] / sigma * (dyc[n] - (sumDy / batch) - (xhat[n] * sumDyXhat / batch)), dx[i]);
            }

            Check(problems, $"dγ[{c}]", sumDyXhat, gradients["0.weight"][c]);
            Check(problems, $"dβ[{c}]", sumDy, gradients["0.bias"][c]);
            Check(problems, $"running_mean[{c}]", (0.9 * runningMean[c]) + (0.1 * mu), state["0.running_mean"].Data[c]);
            Check(problems, $"running_var[{c}]", 0.1 * variance * batch / (batch - 1), state["0.running_var"].Data[c]);
        }

        Assert.True(problems.Count == 0, $"batch {batch}, x = 1000 ± 0.01:\n" + string.Join("\n", problems));
    }

    /// <summary>Float32 rounding of the result and of a few steps before it: 1e-5 of the value (or of 1 for smaller values).</summary>
    private static void Check(List<string> problems, string what, double expected, float actual)
    {
        if (Math.Abs(actual - expected) > 1e-5 * Math.Max(1.0, Math.Abs(expected)))
        {
            problems.Add(FormattableString.Invariant($"{what}: {actual:R}, expected {expected:R} (off by {actual - expected:G3})"));
        }
    }
}
