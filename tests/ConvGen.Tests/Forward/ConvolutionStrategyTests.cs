using System;
using System.Linq;
using ConvGen.Reference;
using ConvGen.Tests.Infrastructure;
using Xunit;

namespace ConvGen.Tests.Forward;

/// <summary>
/// Inference picks one of three convolution strategies per layer: the vector kernel (stride-1 rows of at least 8
/// columns), the patch-matrix kernel (the rest, while its matrix holds at most 2^22 floats) and the scalar direct
/// kernel (beyond that). The golden and randomized networks are small, so they rarely reach the last one, and never
/// the patch kernel's compact (over-budget) or many-group forms: these cases do, each checked against the naive
/// reference convolution and each asserting which strategy the generator chose.
/// </summary>
public sealed class ConvolutionStrategyTests
{
    public static TheoryData<string, string, int[], bool> Cases() => new()
    {
        // declaration, strategy, { C_in, H, W, C_out, k, stride, padding, groups }, ReLU after it
        { "[Network(32, 256, 256)]\n[Conv2d(8, 3, Stride = 2, Padding = 1), ReLU]", "direct", new[] { 32, 256, 256, 8, 3, 2, 1, 1 }, true },
        { "[Network(6, 7, 7)]\n[Conv2d(12, 3, Stride = 2, Padding = 1, Groups = 6)]", "patches, group loop", new[] { 6, 7, 7, 12, 3, 2, 1, 6 }, false },
        { "[Network(4, 9, 9, UnrollBudget = 1)]\n[Conv2d(4, 3, Stride = 2, Padding = 1, Bias = false), ReLU]", "patches, tap table", new[] { 4, 9, 9, 4, 3, 2, 1, 1 }, true },
        { "[Network(3, 5, 5)]\n[Conv2d(4, 3, Padding = 1), ReLU]", "patches", new[] { 3, 5, 5, 4, 3, 1, 1, 1 }, true },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_chosen_strategy_matches_the_reference(string declaration, string strategy, int[] shape, bool relu)
    {
        int cin = shape[0], h = shape[1], w = shape[2], cout = shape[3], k = shape[4], stride = shape[5], padding = shape[6], groups = shape[7];
        string source = GeneratorHarness.Run(GeneratorHarness.Declare(declaration)).Sources.Values.Single();
        bool patches = source.Contains("global::ConvGen.Kernels.Gemm.Multiply(weight", StringComparison.Ordinal);
        Assert.Equal(strategy.StartsWith("patches", StringComparison.Ordinal), patches);
        if (strategy.EndsWith("group loop", StringComparison.Ordinal))
        {
            Assert.Contains("for (int g = 0; g < 6; g++)", source, StringComparison.Ordinal);
        }

        if (strategy.EndsWith("tap table", StringComparison.Ordinal))
        {
            Assert.Contains("private static readonly int[] Layer0_Conv2d_Taps", source, StringComparison.Ordinal);
        }

        var type = GeneratorHarness.CompileAndLoad(GeneratorHarness.Declare(declaration)).GetType("Tests.Net", throwOnError: true)!;
        var weights = GeneratorHarness.CreateWeights(type, 11);
        var net = (INetwork)Activator.CreateInstance(type, weights)!;
        var random = new Random(cin + h);
        float[] x = Enumerable.Range(0, 2 * net.InputSize).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
        var y = new float[2 * net.OutputSize];
        net.Forward(x, y, 2);

        float[]? bias = weights.TryGet("0.bias", out var b) ? b.Data : null;
        var (expected, _, _) = ReferenceOps.Conv2d(x, 2, cin, h, w, weights["0.weight"].Data, bias, cout, k, k, stride, stride, groups: groups, padTop: padding, padBottom: padding, padLeft: padding, padRight: padding);
        for (int i = 0; i < expected.Length; i++)
        {
            float e = relu ? Math.Max(expected[i], 0f) : expected[i];
            Assert.True(Math.Abs(y[i] - e) <= 1e-4 * (1 + Math.Abs(e)), $"{strategy}: y[{i}] = {y[i]}, expected {e}");
        }
    }
}
