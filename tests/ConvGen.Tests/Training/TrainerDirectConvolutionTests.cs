using System;
using System.Linq;
using ConvGen.Reference;
using ConvGen.Tests.Infrastructure;
using Xunit;

namespace ConvGen.Tests.Training;

/// <summary>
/// The trainer runs a convolution as matrix products over a per-sample patch matrix, except when that matrix would
/// exceed 2^26 floats: then it runs the direct tap-by-tap kernels (from a tap table beyond 64 taps). The golden and
/// randomized tests only reach the first path, so these build layers just past the limit (a convolution and a
/// transposed convolution, which has the same two paths) and check the second against the naive reference.
/// </summary>
public sealed class TrainerDirectConvolutionTests
{
    [Fact]
    public void A_convolution_past_the_patch_limit_runs_directly_and_matches_the_reference()
    {
        // Patch matrix: C_in · taps · output positions = 3 · 5000 · 5201 ≈ 7.8e7 floats > 2^26.
        var step = DirectStep("[Network(3, 5000)]\n[Conv1d(1, 5000, Padding = 2600)]", seed: 7);
        var (expected, _, width) = ReferenceOps.Conv2d(step.X, 1, 3, 1, 5000, step.Weight, step.Bias, 1, 1, 5000, padLeft: 2600, padRight: 2600);
        Assert.Equal(5201, width);
        Matches(step, expected, ReferenceOps.Conv2dBackward(step.G, step.X, 1, 3, 1, 5000, step.Weight, 1, 1, 5000, padLeft: 2600, padRight: 2600));
    }

    [Fact]
    public void A_transposed_convolution_past_the_patch_limit_runs_directly_and_matches_the_reference()
    {
        // Patch matrix: C_out/g · taps · input positions = 1 · 5000 · 15000 = 7.5e7 floats > 2^26.
        var step = DirectStep("[Network(1, 15000)]\n[ConvTranspose1d(1, 5000, Padding = 2000)]", seed: 5);
        var (expected, _, width) = ReferenceOps.ConvTranspose2d(step.X, 1, 1, 1, 15000, step.Weight, step.Bias, 1, 1, 5000, padW: 2000);
        Assert.Equal(step.Y.Length, width);
        Matches(step, expected, ReferenceOps.ConvTranspose2dBackward(step.G, step.X, 1, 1, 1, 15000, step.Weight, 1, 1, 5000, padW: 2000));
    }

    /// <summary>
    /// Checks that the generator chose the direct path (a tap table, no patch matrix), then runs one trainer step on
    /// random input and output gradient.
    /// </summary>
    private static Step DirectStep(string declaration, int seed)
    {
        var source = GeneratorHarness.Run(GeneratorHarness.Declare(declaration)).Sources.Values.Single();
        Assert.Contains("private static readonly int[] Taps1", source, StringComparison.Ordinal);
        Assert.DoesNotContain("_col1", source, StringComparison.Ordinal);

        var type = GeneratorHarness.CompileAndLoad(GeneratorHarness.Declare(declaration)).GetType("Tests.Net", throwOnError: true)!;
        var weights = GeneratorHarness.CreateWeights(type, seed);
        var trainer = GeneratorHarness.CreateTrainer(type, weights, maxBatch: 1);
        var random = new Random(seed);
        float[] x = Enumerable.Range(0, trainer.InputSize).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
        float[] g = Enumerable.Range(0, trainer.OutputSize).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
        var y = new float[trainer.OutputSize];
        var dx = new float[trainer.InputSize];
        trainer.Forward(x, y, 1);
        trainer.Backward(g, dx);
        return new Step(x, g, y, dx, weights["0.weight"].Data, weights["0.bias"].Data, trainer.ExportGradients());
    }

    private static void Matches(Step step, float[] output, (float[] GradInput, float[] GradWeight, float[] GradBias) gradients)
    {
        // Sums of up to 15,000 float products: compare against the largest magnitude, as float rounding scales with it.
        Near(output, step.Y, "output");
        Near(gradients.GradInput, step.Dx, "grad_input");
        Near(gradients.GradWeight, step.Gradients["0.weight"].Data, "grad_weight");
        Near(gradients.GradBias, step.Gradients["0.bias"].Data, "grad_bias");
    }

    private static void Near(float[] expected, float[] actual, string what)
    {
        double scale = expected.Max(v => Math.Abs((double)v));
        TrainingAssert.Close(expected, actual, 0, 1e-4 * scale + 1e-6, what);
    }

    private sealed record Step(float[] X, float[] G, float[] Y, float[] Dx, float[] Weight, float[] Bias, ModelWeights Gradients);
}
