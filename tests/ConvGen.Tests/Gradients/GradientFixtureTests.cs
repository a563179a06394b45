using System;
using System.Linq;
using ConvGen.Reference;
using Xunit;
using Xunit.Sdk;

namespace ConvGen.Tests.Gradients;

/// <summary>
/// Cross-checks the backward ops against PyTorch 1.13 autograd: tests/fixtures/gradients/gradient_cases.json
/// holds inputs, weights and upstream gradients on a 1/64 grid and torch's float64 gradients (and, for
/// BatchNorm, the training-mode output and the running statistics after one step). Reading the file
/// needs no torch.
/// </summary>
public sealed class GradientFixtureTests
{
    private const double RelativeTolerance = 1e-4;
    private const double AbsoluteTolerance = 1e-6;

    public static TheoryData<string> CaseNames => new(GradientFixtureCase.All().Select(c => c.Name));

    [Fact]
    public void Fixtures_cover_every_backward_op()
    {
        GradientFixtureCase[] cases = GradientFixtureCase.All();
        Assert.True(cases.Length >= 30, $"Only {cases.Length} gradient fixture cases.");
        string[] expected =
        [
            "conv2d", "conv_transpose2d", "max_pool2d", "avg_pool2d", "global_avg_pool", "batch_norm_training",
            "linear", "relu", "leaky_relu", "relu6", "sigmoid", "tanh", "silu", "upsample", "pixel_shuffle",
            "pixel_unshuffle", "pad", "concat", "add",
        ];
        Assert.Equal(expected.Order(StringComparer.Ordinal), cases.Select(c => c.Op).Distinct().Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Matches_PyTorch_autograd(string name)
    {
        GradientFixtureCase c = GradientFixtureCase.All().Single(e => e.Name == name);
        float[] g = c.GradOutput;
        switch (c.Op)
        {
            case "conv2d":
            {
                var (x, n, cin, h, w) = c.Input4("x");
                var (weight, kH, kW) = c.Kernel("weight");
                int[] s = c.Ints("stride"), d = c.Ints("dilation"), p = c.Ints("pad");
                var (gradInput, gradWeight, gradBias) = ReferenceOps.Conv2dBackward(g, x, n, cin, h, w, weight, c.Int("cout"), kH, kW,
                    s[0], s[1], d[0], d[1], c.Int("groups"), p[0], p[1], p[2], p[3], c.Mode());
                Check(c, "grad_input", gradInput);
                Check(c, "grad_weight", gradWeight);
                CheckIfExpected(c, "grad_bias", gradBias);
                break;
            }

            case "conv_transpose2d":
            {
                var (x, n, cin, h, w) = c.Input4("x");
                var (weight, kH, kW) = c.Kernel("weight");
                int[] s = c.Ints("stride"), p = c.Ints("padding"), op = c.Ints("output_padding"), d = c.Ints("dilation");
                var (gradInput, gradWeight, gradBias) = ReferenceOps.ConvTranspose2dBackward(g, x, n, cin, h, w, weight, c.Int("cout"),
                    kH, kW, s[0], s[1], p[0], p[1], op[0], op[1], d[0], d[1], c.Int("groups"));
                Check(c, "grad_input", gradInput);
                Check(c, "grad_weight", gradWeight);
                CheckIfExpected(c, "grad_bias", gradBias);
                break;
            }

            case "max_pool2d":
            {
                var (x, n, ch, h, w) = c.Input4("x");
                int[] k = c.Ints("kernel"), s = c.Ints("stride"), p = c.Ints("padding"), d = c.Ints("dilation");
                Check(c, "grad_input", ReferenceOps.MaxPool2dBackward(g, x, n, ch, h, w, k[0], k[1], s[0], s[1], p[0], p[1], d[0], d[1],
                    c.Bool("ceil_mode")));
                break;
            }

            case "avg_pool2d":
            {
                var (_, n, ch, h, w) = c.Input4("x");
                int[] k = c.Ints("kernel"), s = c.Ints("stride"), p = c.Ints("padding");
                Check(c, "grad_input", ReferenceOps.AvgPool2dBackward(g, n, ch, h, w, k[0], k[1], s[0], s[1], p[0], p[1],
                    c.Bool("ceil_mode"), c.Bool("count_include_pad")));
                break;
            }

            case "global_avg_pool":
            {
                var (_, n, ch, h, w) = c.Input4("x");
                Check(c, "grad_input", ReferenceOps.GlobalAvgPoolBackward(g, n, ch, h, w));
                break;
            }

            case "batch_norm_training":
            {
                var (x, n, ch, h, w) = c.Input4("x");
                float[]? gamma = c.OptionalInput("gamma"), beta = c.OptionalInput("beta");
                double eps = c.Double("eps");
                var (y, mean, variance) = ReferenceOps.BatchNormTraining(x, n, ch, h, w, gamma, beta, eps);
                Check(c, "y", y);
                Check(c, "batch_mean", mean);
                Check(c, "batch_var", variance);
                var (gradInput, gradGamma, gradBeta) = ReferenceOps.BatchNormTrainingBackward(g, x, n, ch, h, w, gamma, eps);
                Check(c, "grad_input", gradInput);
                CheckIfExpected(c, "grad_gamma", gradGamma);
                CheckIfExpected(c, "grad_beta", gradBeta);
                var (runningMean, runningVar) = ReferenceOps.BatchNormRunningStatistics(
                    c.Input("running_mean").Data, c.Input("running_var").Data, x, n, ch, h, w, c.Double("momentum_factor"));
                Check(c, "running_mean", runningMean);
                Check(c, "running_var", runningVar);
                break;
            }

            case "linear":
            {
                var (x, xShape) = c.Input("x");
                var (weight, wShape) = c.Input("weight");
                var (gradInput, gradWeight, gradBias) = ReferenceOps.LinearBackward(g, x, xShape[0], xShape[1], weight, wShape[0]);
                Check(c, "grad_input", gradInput);
                Check(c, "grad_weight", gradWeight);
                Check(c, "grad_bias", gradBias);
                break;
            }

            case "relu":
                Check(c, "grad_input", ReferenceOps.ReLUBackward(g, c.Input("x").Data));
                break;
            case "leaky_relu":
                Check(c, "grad_input", ReferenceOps.LeakyReLUBackward(g, c.Input("x").Data, c.Double("slope")));
                break;
            case "relu6":
                Check(c, "grad_input", ReferenceOps.ReLU6Backward(g, c.Input("x").Data));
                break;
            case "sigmoid":
                Check(c, "grad_input", ReferenceOps.SigmoidBackward(g, c.Input("x").Data));
                break;
            case "tanh":
                Check(c, "grad_input", ReferenceOps.TanhBackward(g, c.Input("x").Data));
                break;
            case "silu":
                Check(c, "grad_input", ReferenceOps.SiLUBackward(g, c.Input("x").Data));
                break;

            case "upsample":
            {
                var (_, n, ch, h, w) = c.Input4("x");
                int[] scale = c.Ints("scale");
                UpsampleMode mode = c.String("mode") == "nearest" ? UpsampleMode.Nearest : UpsampleMode.Linear;
                Check(c, "grad_input", ReferenceOps.UpsampleBackward(g, n, ch, h, w, scale[0], scale[1], mode));
                break;
            }

            case "pixel_shuffle":
            {
                var (_, n, ch, h, w) = c.Input4("x");
                Check(c, "grad_input", ReferenceOps.PixelShuffleBackward(g, n, ch, h, w, c.Int("r")));
                break;
            }

            case "pixel_unshuffle":
            {
                var (_, n, ch, h, w) = c.Input4("x");
                Check(c, "grad_input", ReferenceOps.PixelUnshuffleBackward(g, n, ch, h, w, c.Int("r")));
                break;
            }

            case "pad":
            {
                var (_, n, ch, h, w) = c.Input4("x");
                int[] p = c.Ints("pad");
                Check(c, "grad_input", ReferenceOps.PadBackward(g, n, ch, h, w, p[0], p[1], p[2], p[3], c.Mode()));
                break;
            }

            case "concat":
            {
                var (_, n, ca, h, w) = c.Input4("a");
                var (_, _, cb, _, _) = c.Input4("b");
                var (gradA, gradB) = ReferenceOps.ConcatBackward(g, n, ca, cb, h, w);
                Check(c, "grad_a", gradA);
                Check(c, "grad_b", gradB);
                break;
            }

            case "add":
            {
                // y = relu(x) + x: Add's backward copies G to both operands, and x sums its two paths.
                float[] x = c.Input("x").Data;
                var (gradBranch, gradSkip) = ReferenceOps.AddBackward(g);
                Check(c, "grad_input", ReferenceOps.SumGradients(ReferenceOps.ReLUBackward(gradBranch, x), gradSkip));
                break;
            }

            default:
                Assert.Fail($"Case {name}: no test for op '{c.Op}'.");
                break;
        }
    }

    private static void CheckIfExpected(GradientFixtureCase c, string name, float[] actual)
    {
        if (c.HasExpected(name))
        {
            Check(c, name, actual);
        }
    }

    private static void Check(GradientFixtureCase c, string name, float[] actual)
    {
        float[] expected = c.Expected(name).Data;
        if (expected.Length != actual.Length)
        {
            throw new XunitException($"{c.Name} {name}: expected {expected.Length} elements, got {actual.Length}.");
        }

        for (int i = 0; i < expected.Length; i++)
        {
            double e = expected[i];
            double a = actual[i];
            if (!(Math.Abs(a - e) <= AbsoluteTolerance + (RelativeTolerance * Math.Abs(e))))
            {
                throw new XunitException(
                    $"{c.Name} {name}, element {i}: PyTorch {e:R}, reference {a:R}.\n" +
                    $"PyTorch:   [{string.Join(", ", expected)}]\nReference: [{string.Join(", ", actual)}]");
            }
        }
    }
}
