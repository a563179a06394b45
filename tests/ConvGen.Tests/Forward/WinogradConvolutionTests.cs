using System;
using System.Globalization;
using System.Linq;
using System.Text;
using ConvGen.Reference;
using ConvGen.Tests.Infrastructure;
using Xunit;

namespace ConvGen.Tests.Forward;

/// <summary>
/// The Winograd F(2×2, 3×3) kernel (generator/Emit/Strategies/WinogradConv.cs), forced on stride-1 3×3 layers it
/// would often not win, against the naive reference convolution: odd and even output sizes (the overlapping last
/// row and vector of tiles), maps from 2×2 up (rows narrower than two vectors go through the scratch rows), channel
/// counts that are not multiples of 8 or of the register tile, padding 0, 1 and 'same', non-zero padding modes, a
/// folded BatchNorm, a fused residual and every activation, and inputs of magnitude 1e2, all within the suite's
/// tolerance |y − ref| ≤ 1e-4 · max(1, |ref|); at magnitude 1e3, no less accurate than the direct kernel. Random
/// layers of this form also run in <see cref="TiledConvolutionTests"/> and, at 4 and 16 lanes, in <see cref="TiledConvolutionWidthTests"/>.
/// </summary>
public sealed class WinogradConvolutionTests
{
    /// <summary>A layer: input channels, map, output channels, padding, and what is fused after it.</summary>
    public sealed record Layer(int In, int Height, int Width, int Out, string Padding, bool Bias, bool BatchNorm, bool Residual, string? Activation, float Scale)
    {
        public override string ToString() => string.Create(
            CultureInfo.InvariantCulture,
            $"{In}->{Out} @{Height}x{Width} {Padding}{(Bias ? "" : " no-bias")}{(BatchNorm ? " +BN" : "")}{(Residual ? " +residual" : "")}{(Activation is null ? "" : " +" + Activation)} x{Scale}");
    }

    public static TheoryData<Layer> Cases() => new()
    {
        new(64, 12, 12, 64, "Padding = 1", true, false, false, null, 1),
        new(8, 9, 11, 8, "Padding = 1", true, false, false, "ReLU", 1),
        new(5, 7, 7, 3, "Padding = 1", false, false, false, null, 1),
        new(3, 4, 4, 13, "Padding = 0", true, false, false, "Sigmoid", 1),
        new(6, 2, 2, 7, "Padding = 1", true, false, false, "ReLU6", 1),
        new(12, 3, 40, 12, "Padding = 1", true, false, true, "ReLU", 1),
        new(16, 33, 35, 16, "Padding = 1", true, true, true, "ReLU", 1),
        new(10, 17, 34, 24, "Pad = Pad.Same", true, false, false, "LeakyReLU(NegativeSlope = 0.2)", 1),
        new(9, 20, 6, 9, "PadTop = 1, PadBottom = 0, PadLeft = 0, PadRight = 1", true, false, false, "Tanh", 1),
        new(4, 15, 18, 8, "Padding = 1, PaddingMode = PaddingMode.Reflect", true, false, false, "SiLU", 1),
        new(7, 6, 19, 5, "Padding = 1, PaddingMode = PaddingMode.Circular", false, true, false, null, 1),
        new(32, 16, 16, 32, "Padding = 1", true, true, false, "ReLU", 100),
        new(64, 8, 8, 64, "Padding = 1", true, false, true, null, 100),
        new(20, 31, 33, 20, "Padding = 1", true, true, true, "ReLU", 100),
    };

    /// <summary>
    /// Inputs of magnitude 1e3. Here no float32 kernel keeps |y − ref| ≤ 1e-4 · max(1, |ref|) on every output: an output
    /// of about 1 that is the sum of terms of about 1e3 carries an absolute rounding error of a few 1e-4 (measured: the
    /// direct kernels 1.6e-4 relative, 8.5e-4 absolute on the first layer). So the Winograd kernel must be as accurate
    /// as the direct kernel on the same inputs: its worst absolute error at most the channel tile's (it is about half,
    /// since its sums run over C_in terms per transform point where the direct kernel's run over 9·C_in).
    /// </summary>
    [Fact]
    public void At_inputs_of_1e3_it_is_as_accurate_as_the_direct_kernel()
    {
        var report = new StringBuilder();
        bool worse = false;
        foreach (var layer in new Layer[]
        {
            new(32, 16, 16, 32, "Padding = 1", true, true, false, "ReLU", 1000),
            new(64, 8, 8, 64, "Padding = 1", true, false, true, null, 1000),
            new(20, 31, 33, 20, "Padding = 1", true, true, true, "ReLU", 1000),
        })
        {
            double winograd = WorstError(RunForced(layer, TiledConvolutionTests.WinogradForm));
            double direct = WorstError(RunForced(layer, "channel tile"));
            worse |= winograd > direct;
            report.Append(CultureInfo.InvariantCulture, $"{layer}: Winograd {winograd:E2}, direct {direct:E2}\n");
        }

        Assert.False(worse, report.ToString());
    }

    private static double WorstError((float[] Expected, float[] Actual) run)
    {
        double worst = 0;
        for (int i = 0; i < run.Expected.Length; i++)
        {
            worst = Math.Max(worst, Math.Abs(run.Actual[i] - (double)run.Expected[i]));
        }

        return worst;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_winograd_kernel_matches_the_reference(Layer layer)
    {
        var (expected, y) = RunForced(layer, TiledConvolutionTests.WinogradForm);
        TiledConvolutionTests.AssertClose(expected, y, $"{Declaration(layer)}\n{layer}");
    }

    /// <summary>The layer compiled with <paramref name="form"/> forced, run on two samples: the reference's output and the kernel's.</summary>
    internal static (float[] Expected, float[] Actual) RunForced(Layer layer, string form)
    {
        string declaration = Declaration(layer);
        string source;
        Type type;
        using (TiledConvolutionTests.ForceForm(form))
        {
            source = GeneratorHarness.Run(GeneratorHarness.Declare(declaration)).Sources.Values.Single();
            type = GeneratorHarness.CompileAndLoad(GeneratorHarness.Declare(declaration)).GetType("Tests.Net", throwOnError: true)!;
        }

        Assert.Contains(form == TiledConvolutionTests.WinogradForm ? "Strategy: Winograd F(2×2, 3×3)" : "Strategy: ", source, StringComparison.Ordinal);
        var weights = GeneratorHarness.CreateWeights(type, 5);
        if (layer.BatchNorm)
        {
            // Running statistics away from the defaults, so that the fold is exercised.
            var random = new Random(11);
            foreach (var (name, low, high) in new[] { ("1.running_mean", -0.5, 0.5), ("1.running_var", 0.5, 2.0), ("1.weight", 0.5, 1.5), ("1.bias", -0.5, 0.5) })
            {
                var data = weights[name].Data;
                for (int i = 0; i < data.Length; i++)
                {
                    data[i] = (float)(low + ((high - low) * random.NextDouble()));
                }
            }
        }

        var net = (INetwork)Activator.CreateInstance(type, weights)!;
        const int Batch = 2;
        var x = ReferenceNetwork.RandomInput(3, Batch * net.InputSize).Select(v => v * layer.Scale).ToArray();
        var y = new float[Batch * net.OutputSize];
        net.Forward(x, y, Batch);
        return (Reference(layer, x, Batch, weights), y);
    }

    [Fact]
    public void Layers_it_cannot_run_keep_the_direct_kernels()
    {
        foreach (string declaration in new[]
        {
            "[Network(16, 8, 8)]\n[Conv2d(16, 3, Stride = 2, Padding = 1)]",
            "[Network(16, 8, 8)]\n[Conv2d(16, 3, Dilation = 2, Padding = 2)]",
            "[Network(16, 8, 8)]\n[Conv2d(16, 3, Groups = 2, Padding = 1)]",
            "[Network(16, 8, 8)]\n[Conv2d(16, 5, Padding = 2)]",
            "[Network(16, 1, 8)]\n[Conv2d(16, 3, PadLeft = 1, PadRight = 1, PadTop = 1, PadBottom = 1)]",
            "[Network(16, 3, 3)]\n[Conv2d(16, 3)]",
            "[Network(16, 32)]\n[Conv1d(16, 3, Padding = 1)]",
        })
        {
            using (TiledConvolutionTests.ForceForm(TiledConvolutionTests.WinogradForm))
            {
                string source = GeneratorHarness.Run(GeneratorHarness.Declare(declaration)).Sources.Values.Single();
                Assert.True(source.Contains("Strategy: ", StringComparison.Ordinal) && !source.Contains("Strategy: Winograd", StringComparison.Ordinal), declaration);
            }
        }
    }

    private static string Declaration(Layer layer)
    {
        var text = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"[Network({layer.In}, {layer.Height}, {layer.Width})]\n"));
        if (layer.Residual)
        {
            // A ReLU first, so that the saved tensor is a workspace buffer (the caller's input is never added in an epilogue).
            text.Append("[ReLU, Save(\"r\")]\n");
        }

        text.Append(string.Create(CultureInfo.InvariantCulture, $"[Conv2d({layer.Out}, 3, {layer.Padding}, Bias = {(layer.Bias ? "true" : "false")}, Name = \"0\")]\n"));
        if (layer.BatchNorm)
        {
            text.Append("[BatchNorm2d(Name = \"1\")]\n");
        }

        if (layer.Residual)
        {
            text.Append("[Add(\"r\")]\n");
        }

        if (layer.Activation is not null)
        {
            text.Append('[').Append(layer.Activation).Append("]\n");
        }

        return text.ToString();
    }

    private static float[] Reference(Layer layer, float[] x, int batch, ModelWeights weights)
    {
        var input = layer.Residual ? ReferenceOps.ReLU(x) : x;
        var (top, bottom, left, right) = layer.Padding switch
        {
            "Padding = 0" => (0, 0, 0, 0),
            "PadTop = 1, PadBottom = 0, PadLeft = 0, PadRight = 1" => (1, 0, 0, 1),
            _ => (1, 1, 1, 1),
        };
        var mode = layer.Padding.Contains("Reflect", StringComparison.Ordinal) ? PaddingMode.Reflect
            : layer.Padding.Contains("Circular", StringComparison.Ordinal) ? PaddingMode.Circular : PaddingMode.Zeros;
        var (y, outH, outW) = ReferenceOps.Conv2d(
            input, batch, layer.In, layer.Height, layer.Width, weights["0.weight"].Data, layer.Bias ? weights["0.bias"].Data : null,
            layer.Out, 3, 3, 1, 1, 1, 1, 1, top, bottom, left, right, mode);
        if (layer.BatchNorm)
        {
            y = ReferenceOps.BatchNorm(y, batch, layer.Out, outH, outW, weights["1.weight"].Data, weights["1.bias"].Data, weights["1.running_mean"].Data, weights["1.running_var"].Data, 1e-5);
        }

        if (layer.Residual)
        {
            for (int i = 0; i < y.Length; i++)
            {
                y[i] += input[i];
            }
        }

        return TiledConvolutionTests.RandomConv.Activate(y, layer.Activation);
    }
}
