using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using ConvGen.Shapes;
using ConvGen.Tests.Infrastructure;
using Xunit;

namespace ConvGen.Tests.Forward;

/// <summary>
/// Transposed convolutions (generator/Emit/Strategies/PhaseTransposeConv, and the scalar ScatterTransposeConv it
/// replaces) on random layers, compiled, run on two samples and compared with <see cref="ReferenceNetwork"/>, the
/// naive scatter of <c>ReferenceOps.ConvTranspose2d</c>: strides 1 to 3 per axis, kernels 1 to 5, padding,
/// output_padding, dilation, groups (depthwise-like too), 1-D and 2-D, maps down to 1×1, widths around the vector
/// width, a folded BatchNorm, every activation, and taps from the table (an unroll budget of 1) as well as written out.
/// </summary>
public sealed class TransposedConvolutionTests
{
    private const int Batch = 2;
    private const int GatherSeeds = 40;
    private const int ScatterSeeds = 8;

    public const string Gather = "phase gather";
    public const string Scatter = "scatter";

    /// <summary>The store forms of the phase gather, as phrases of its kernel comment, that the random layers must all reach.</summary>
    private static readonly string[] GatherForms =
    {
        "stored straight into the output rows",
        "through a scratch row",
        "interleaved into each output row by vector shuffles",
        "the 3 column phases interleaved",
    };

    public static TheoryData<string, int> Cases()
    {
        var data = new TheoryData<string, int>();
        for (int seed = 1; seed <= GatherSeeds; seed++)
        {
            data.Add(Gather, seed);
        }

        for (int seed = 1; seed <= ScatterSeeds; seed++)
        {
            data.Add(Scatter, seed);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_transposed_convolution_matches_the_reference(string strategy, int seed)
    {
        var layer = RandomTransposedConv.Draw(new Random((seed * 7919) + strategy.Length));
        string source;
        INetwork net;
        var plans = ReferenceNetwork.Plan(layer.Network, layer.Layers);
        var weights = ReferenceNetwork.CreateWeights(plans, seed);
        using (Force(strategy))
        {
            source = GeneratorHarness.Run(GeneratorHarness.Declare(layer.Attributes)).Sources.Values.Single();
            net = GeneratorHarness.Build(layer.Attributes, weights);
        }

        string comment = StrategyLine(source);
        Assert.True(comment.Contains("Strategy: " + strategy, StringComparison.Ordinal), $"{strategy} was not used for\n{layer.Attributes}\n{comment}");
        var x = ReferenceNetwork.RandomInput(seed, Batch * net.InputSize);
        var y = new float[Batch * net.OutputSize];
        net.Forward(x, y, Batch);
        TiledConvolutionTests.AssertClose(ReferenceNetwork.Run(layer.Network, plans, weights, x, Batch), y, $"{layer.Attributes}\n{comment}");
    }

    [Fact]
    public void The_random_layers_reach_every_store_form_and_both_tap_forms()
    {
        var sources = Enumerable.Range(1, GatherSeeds)
            .Select(seed => GeneratorHarness.Run(GeneratorHarness.Declare(RandomTransposedConv.Draw(new Random((seed * 7919) + Gather.Length)).Attributes)).Sources.Values.Single())
            .ToList();
        foreach (string form in GatherForms)
        {
            int count = sources.Count(s => StrategyLine(s).Contains(form, StringComparison.Ordinal));
            Assert.True(count >= 2, $"only {count} of {GatherSeeds} random layers were {form}");
        }

        int tables = sources.Count(s => s.Contains("_PhaseTaps =", StringComparison.Ordinal));
        int written = sources.Count(s => s.Contains("// tap (", StringComparison.Ordinal));
        int oneD = sources.Count(s => s.Contains("ConvTranspose1d", StringComparison.Ordinal));
        int emptyPhase = sources.Count(s => s.Contains("taps kh ∈ {}", StringComparison.Ordinal) || s.Contains("taps kw ∈ {}", StringComparison.Ordinal));
        Assert.True(tables >= 3 && written >= 10 && oneD >= 3 && emptyPhase >= 2, $"{tables} layers with a tap table, {written} with written-out taps, {oneD} 1-D, {emptyPhase} with a phase no tap reaches");
    }

    [Theory]
    [InlineData(1, 2, 0, 1, 1)] // every phase one tap
    [InlineData(2, 2, 0, 0, 1)] // U-Net's 2×2/2
    [InlineData(3, 2, 1, 1, 1)] // 3×3/2 with padding 1, output_padding 1
    [InlineData(4, 2, 1, 0, 1)] // DCGAN's 4×4/2
    [InlineData(5, 3, 2, 2, 1)]
    [InlineData(2, 4, 0, 3, 1)] // kernel below the stride: phases without taps hold only the bias
    [InlineData(3, 2, 1, 0, 2)] // dilation 2 with stride 2: half the phases get no tap at all
    [InlineData(4, 3, 3, 1, 2)]
    public void Each_phase_takes_exactly_the_taps_that_land_on_it(int kernel, int stride, int padding, int outputPadding, int dilation)
    {
        // Counted against the definition: output o receives tap k from input i where o = i·s − p + k·d.
        const int In = 7;
        int outSize = ((In - 1) * stride) - (2 * padding) + (dilation * (kernel - 1)) + outputPadding + 1;
        var axis = NewAxis(In, outSize, kernel, stride, padding, dilation);
        for (int o = 0; o < outSize; o++)
        {
            var expected = new List<(int Tap, int Input)>();
            for (int i = 0; i < In; i++)
            {
                for (int k = 0; k < kernel; k++)
                {
                    if ((i * stride) - padding + (k * dilation) == o)
                    {
                        expected.Add((k, i));
                    }
                }
            }

            var (phase, j) = (o % stride, o / stride);
            var actual = PhaseTaps(axis, phase)
                .Select(t => (t.Tap, Input: j + t.Offset - PadBefore(axis)))
                .Where(t => t.Input >= 0 && t.Input < In)
                .OrderBy(t => t.Tap)
                .ToList();
            Assert.Equal(expected.OrderBy(t => t.Tap), actual);
        }
    }

    /// <summary>The comment line that names a transposed convolution's strategy.</summary>
    internal static string StrategyLine(string source)
        => source.Split('\n').FirstOrDefault(l => l.Contains("Strategy: " + Gather, StringComparison.Ordinal) || l.Contains("Strategy: " + Scatter, StringComparison.Ordinal))?.Trim() ?? "(no strategy comment)";

    /// <summary>Restricts the cost model to <paramref name="strategy"/> for the generator runs on this thread until disposed.</summary>
    internal static IDisposable Force(string strategy)
        => TiledConvolutionTests.ForceStrategy(d => d.StartsWith("Strategy: " + strategy, StringComparison.Ordinal));

    private static object NewAxis(int inSize, int outSize, int kernel, int stride, int padding, int dilation)
        => Activator.CreateInstance(AxisType, inSize, outSize, kernel, stride, padding, dilation)!;

    private static Type AxisType => typeof(ConvGen.Generator.NetworkGenerator).Assembly.GetType("ConvGen.Generator.Emit.Strategies.TransposedAxis", throwOnError: true)!;

    private static int PadBefore(object axis) => (int)AxisType.GetProperty("PadBefore")!.GetValue(axis)!;

    private static IEnumerable<(int Tap, int Offset)> PhaseTaps(object axis, int phase)
    {
        var phases = (System.Collections.IList)AxisType.GetProperty("Phases")!.GetValue(axis)!;
        object p = phases[phase]!;
        return (IEnumerable<(int, int)>)p.GetType().GetProperty("Taps")!.GetValue(p)!;
    }

    /// <summary>One random transposed convolution (with a BatchNorm and an activation or not), in both forms.</summary>
    internal sealed record RandomTransposedConv(string Attributes, NetworkDecl Network, IReadOnlyList<LayerDecl> Layers)
    {
        private static readonly (LayerKind Kind, string Text)[] Activations =
        {
            (LayerKind.ReLU, "ReLU"), (LayerKind.ReLU6, "ReLU6"), (LayerKind.LeakyReLU, "LeakyReLU"), (LayerKind.Sigmoid, "Sigmoid"),
            (LayerKind.Tanh, "Tanh"), (LayerKind.SiLU, "SiLU"),
        };

        public static RandomTransposedConv Draw(Random random)
        {
            while (true)
            {
                bool oneD = random.Next(5) == 0;
                int cin = new[] { 1, 2, 3, 4, 6, 8, 12, 16 }[random.Next(8)];
                bool depthwise = cin > 1 && random.Next(4) == 0;
                var divisors = Enumerable.Range(1, cin).Where(d => cin % d == 0).ToList();
                int groups = depthwise ? cin : divisors[random.Next(divisors.Count)];
                int cout = depthwise ? cin * random.Next(1, 3) : groups * random.Next(1, Math.Max(2, 20 / groups) + 1);
                int kh = oneD ? 1 : random.Next(1, 6), kw = random.Next(1, 6);
                int sh = oneD ? 1 : random.Next(1, 4), sw = random.Next(1, 4);
                int dh = oneD || random.Next(3) > 0 ? 1 : 2, dw = random.Next(3) > 0 ? 1 : 2;
                int ph = oneD || random.Next(2) == 0 ? 0 : random.Next(0, (dh * (kh - 1)) + 1);
                int pw = random.Next(2) == 0 ? 0 : random.Next(0, (dw * (kw - 1)) + 1);
                int oph = oneD || random.Next(3) > 0 ? 0 : random.Next(0, Math.Max(sh, dh));
                int opw = random.Next(3) > 0 ? 0 : random.Next(0, Math.Max(sw, dw));
                int h = oneD ? 1 : random.Next(1, 10);
                int w = random.Next(4) == 0 ? random.Next(16, 40) : random.Next(1, 14);
                int outH = ((h - 1) * sh) - (2 * ph) + (dh * (kh - 1)) + oph + 1;
                int outW = ((w - 1) * sw) - (2 * pw) + (dw * (kw - 1)) + opw + 1;
                if (outH < 1 || outW < 1 || (long)cout * outH * outW > 6000)
                {
                    continue;
                }

                bool bias = random.Next(4) > 0, batchNorm = random.Next(4) == 0;
                var activation = random.Next(3) == 0 ? ((LayerKind Kind, string Text)?)null : Activations[random.Next(Activations.Length)];
                string budget = random.Next(5) == 0 ? ", UnrollBudget = 1" : "";
                string I(int v) => v.ToString(CultureInfo.InvariantCulture);
                string attributes = (oneD ? $"[Network({I(cin)}, {I(w)}{budget})]\n" : $"[Network({I(cin)}, {I(h)}, {I(w)}{budget})]\n")
                    + (oneD
                        ? $"[ConvTranspose1d({I(cout)}, {I(kw)}, Stride = {I(sw)}, Padding = {I(pw)}, OutputPadding = {I(opw)}, Dilation = {I(dw)}, Groups = {I(groups)}, Bias = {(bias ? "true" : "false")}, Name = \"0\")]\n"
                        : $"[ConvTranspose2d({I(cout)}, {I(kh)}, {I(kw)}, StrideH = {I(sh)}, StrideW = {I(sw)}, PaddingH = {I(ph)}, PaddingW = {I(pw)}, OutputPaddingH = {I(oph)}, OutputPaddingW = {I(opw)}, DilationH = {I(dh)}, DilationW = {I(dw)}, Groups = {I(groups)}, Bias = {(bias ? "true" : "false")}, Name = \"0\")]\n")
                    + (batchNorm ? (oneD ? "[BatchNorm1d]\n" : "[BatchNorm2d]\n") : "")
                    + (activation is { } a ? $"[{a.Text}]\n" : "");
                var layers = new List<LayerDecl>
                {
                    new()
                    {
                        Kind = LayerKind.ConvTranspose, AttributeName = oneD ? "ConvTranspose1d" : "ConvTranspose2d", Rank = oneD ? 1 : 2, Name = "0",
                        OutChannels = cout, KernelH = kh, KernelW = kw, StrideH = sh, StrideW = sw, DilationH = dh, DilationW = dw, Groups = groups, Bias = bias,
                        PadTop = ph, PadBottom = ph, PadLeft = pw, PadRight = pw, PaddingGiven = true, OutputPaddingH = oph, OutputPaddingW = opw,
                    },
                };
                if (batchNorm)
                {
                    layers.Add(new LayerDecl { Kind = LayerKind.BatchNorm, AttributeName = oneD ? "BatchNorm1d" : "BatchNorm2d", Rank = oneD ? 1 : 2 });
                }

                if (activation is { } act)
                {
                    layers.Add(ContractDecls.Plain(act.Kind, act.Text));
                }

                var network = new NetworkDecl(cin, h, w, oneD ? 1 : 2, false, budget.Length > 0 ? 1 : 20000);
                if (!ShapeInference.Infer(network, layers).Succeeded)
                {
                    continue;
                }

                return new RandomTransposedConv(attributes, network, layers);
            }
        }
    }
}
