using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Reflection;
using System.Text;
using ConvGen.Reference;
using ConvGen.Tests.Infrastructure;
using Xunit;

namespace ConvGen.Tests.Forward;

/// <summary>
/// Every convolution and linear layer runs the kernel the cost model chose (generator/Emit/Strategies). Each
/// strategy and tile form below is forced on random layers that it would often not win (the cost model's test
/// filter restricts the candidates), compiled, run on two samples and compared with the naive reference
/// convolution: widths below, at and above the vector width, tails, strides, dilations, asymmetric and non-zero
/// padding, groups, depthwise with multipliers, 1-D layers, bias or none, every activation, and a fused residual; the
/// channel tile's transposing store in each of its pieces (8 positions; 4, 2 and 1; 4 and 2); depthwise layers with the
/// channels on the lanes, row by row and flattened (partial channel blocks, multipliers, strides and dilations).
/// </summary>
public sealed class TiledConvolutionTests
{
    private const int SeedsPerForm = 10;

    /// <summary>The tile forms, as the phrases their kernel comment contains.</summary>
    private static readonly (string Name, Func<string, bool> Accepts)[] Forms =
    {
        ("row tile, row by row", d => d.Contains("row tile", StringComparison.Ordinal) && d.Contains("row by row", StringComparison.Ordinal)),
        ("row tile, flat, direct store", d => d.Contains("row tile", StringComparison.Ordinal) && d.Contains("flattened", StringComparison.Ordinal) && !d.Contains("scratch", StringComparison.Ordinal)),
        ("row tile, flat, scratch tile", d => d.Contains("row tile", StringComparison.Ordinal) && d.Contains("scratch", StringComparison.Ordinal)),
        ("channel tile", d => d.Contains("channel tile", StringComparison.Ordinal) && !d.Contains("split", StringComparison.Ordinal)),
        ("channel tile, 8 positions", d => d.Contains("channel tile", StringComparison.Ordinal) && d.Contains(": 8 position(s)", StringComparison.Ordinal)),
        ("channel tile, 7 positions", d => d.Contains("channel tile", StringComparison.Ordinal) && d.Contains(": 7 position(s)", StringComparison.Ordinal)),
        ("channel tile, 6 positions", d => d.Contains("channel tile", StringComparison.Ordinal) && d.Contains(": 6 position(s)", StringComparison.Ordinal)),
        ("channel tile, consecutive positions", d => d.Contains("channel tile", StringComparison.Ordinal) && !d.Contains("split", StringComparison.Ordinal)),
        ("channel tile, split reduction", d => d.Contains("channel tile", StringComparison.Ordinal) && d.Contains("split", StringComparison.Ordinal)),
        (WinogradForm, d => d.Contains("Strategy: Winograd", StringComparison.Ordinal)),
        ("depthwise lanes, row by row", d => d.Contains("Strategy: depthwise lanes", StringComparison.Ordinal) && d.Contains("row by row", StringComparison.Ordinal)),
        ("depthwise lanes, flat", d => d.Contains("Strategy: depthwise lanes", StringComparison.Ordinal) && d.Contains("flattened", StringComparison.Ordinal)),
    };

    /// <summary>The Winograd form's name: its random layers are dense stride-1 3×3 convolutions.</summary>
    internal const string WinogradForm = "Winograd F(2×2, 3×3)";

    /// <summary>The tile forms' names.</summary>
    public static IEnumerable<string> FormNames => Forms.Select(f => f.Name);

    /// <summary>The random layer that case (<paramref name="form"/>, <paramref name="seed"/>) runs.</summary>
    internal static RandomConv Draw(string form, int seed) => RandomConv.Draw(new Random((seed * 7919) + form.Length), form);

    /// <summary>Restricts the cost model to <paramref name="form"/> for the generator runs on this thread until disposed.</summary>
    internal static IDisposable ForceForm(string form) => ForceStrategy(Forms.Single(f => f.Name == form).Accepts);

    public static TheoryData<string, int> Cases()
    {
        var data = new TheoryData<string, int>();
        foreach (var (name, _) in Forms)
        {
            for (int seed = 1; seed <= SeedsPerForm; seed++)
            {
                data.Add(name, seed);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_forced_tile_matches_the_reference(string form, int seed)
    {
        var accepts = Forms.Single(f => f.Name == form).Accepts;
        var layer = Draw(form, seed);
        string source;
        Type type;
        using (ForceStrategy(accepts))
        {
            source = GeneratorHarness.Run(GeneratorHarness.Declare(layer.Declaration)).Sources.Values.Single();
            type = GeneratorHarness.CompileAndLoad(GeneratorHarness.Declare(layer.Declaration)).GetType("Tests.Net", throwOnError: true)!;
        }

        string strategy = source.Split('\n').FirstOrDefault(IsConvolutionStrategy)?.Trim() ?? "(no strategy comment)";
        var (weights, x, y) = RunTwoSamples(type, seed);
        const int Batch = 2;
        var expected = layer.Reference(x, Batch, weights["0.weight"].Data, weights.TryGet("0.bias", out var b) ? b.Data : null);
        AssertClose(expected, y, $"{layer.Declaration}\n{strategy}");

        // Where the form could take the layer at all, the kernel must be that form (else the case tested the usual choice).
        bool formApplies = accepts(strategy);
        Assert.True(formApplies || !layer.CouldTakeForm, $"{form} was not used for\n{layer.Declaration}\n{strategy}");
    }

    [Fact]
    public void Every_form_is_taken_by_most_of_its_random_layers()
    {
        foreach (var (name, accepts) in Forms)
        {
            int taken = 0;
            for (int seed = 1; seed <= SeedsPerForm; seed++)
            {
                var layer = Draw(name, seed);
                using (ForceStrategy(accepts))
                {
                    string source = GeneratorHarness.Run(GeneratorHarness.Declare(layer.Declaration)).Sources.Values.Single();
                    taken += source.Split('\n').Any(l => IsConvolutionStrategy(l) && accepts(l)) ? 1 : 0;
                }
            }

            Assert.True(taken >= SeedsPerForm / 2, $"{name}: only {taken} of {SeedsPerForm} random layers could run it");
        }
    }

    [Fact]
    public void The_random_layers_use_both_the_offset_table_and_written_out_taps()
    {
        int tables = 0, written = 0;
        foreach (var (name, _) in Forms)
        {
            for (int seed = 1; seed <= SeedsPerForm; seed++)
            {
                string source = GeneratorHarness.Run(GeneratorHarness.Declare(Draw(name, seed).Declaration)).Sources.Values.Single();
                tables += source.Contains("_Offsets =", StringComparison.Ordinal) ? 1 : 0;
                written += source.Contains("// tap (0, 1)", StringComparison.Ordinal) ? 1 : 0;
            }
        }

        Assert.True(tables >= 5 && written >= 5, $"{tables} layers with an offset table, {written} with written-out taps");
    }

    [Fact]
    public void The_channel_tile_runs_both_with_one_input_pointer_and_with_one_per_position()
    {
        int contiguous = 0, addressed = 0;
        foreach (var (name, accepts) in Forms.Where(f => f.Name.StartsWith("channel tile", StringComparison.Ordinal)))
        {
            for (int seed = 1; seed <= SeedsPerForm; seed++)
            {
                using (ForceStrategy(accepts))
                {
                    string source = GeneratorHarness.Run(GeneratorHarness.Declare(Draw(name, seed).Declaration)).Sources.Values.Single();
                    contiguous += source.Contains("read consecutive floats", StringComparison.Ordinal) ? 1 : 0;
                    addressed += source.Contains("ref float x1 = ref At(ref xg", StringComparison.Ordinal) ? 1 : 0;
                }
            }
        }

        Assert.True(contiguous >= 8 && addressed >= 8, $"{contiguous} channel-tile layers read consecutive positions through one pointer, {addressed} address each position");
    }

    /// <summary>
    /// Builds the compiled network <paramref name="type"/> with seeded weights and runs it on two random samples (the
    /// second reuses the workspace the first left).
    /// </summary>
    internal static (ModelWeights Weights, float[] Input, float[] Output) RunTwoSamples(Type type, int seed)
    {
        var weights = GeneratorHarness.CreateWeights(type, seed);
        var net = (INetwork)Activator.CreateInstance(type, weights)!;
        var x = ReferenceNetwork.RandomInput(seed, 2 * net.InputSize);
        var y = new float[2 * net.OutputSize];
        net.Forward(x, y, 2);
        return (weights, x, y);
    }

    /// <summary>|actual − expected| ≤ 1e-4 · max(1, |expected|) for every element; the message starts with <paramref name="context"/>.</summary>
    internal static void AssertClose(float[] expected, float[] actual, string context)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double e = expected[i];
            Assert.True(
                Math.Abs(actual[i] - e) <= 1e-4 * Math.Max(1.0, Math.Abs(e)),
                string.Create(CultureInfo.InvariantCulture, $"{context}\ny[{i}] = {actual[i]:R}, reference {e:R}"));
        }
    }

    /// <summary>The comment line that names a convolution's strategy (other kernels name theirs too).</summary>
    internal static bool IsConvolutionStrategy(string line)
        => line.Contains("Strategy: row tile", StringComparison.Ordinal) || line.Contains("Strategy: channel tile", StringComparison.Ordinal)
            || line.Contains("Strategy: Winograd", StringComparison.Ordinal) || line.Contains("Strategy: depthwise lanes", StringComparison.Ordinal);

    /// <summary>Sets the cost model's per-thread test filter for the generator runs inside the using block.</summary>
    internal static IDisposable ForceStrategy(Func<string, bool> accepts)
    {
        var field = typeof(ConvGen.Generator.NetworkGenerator).Assembly
            .GetType("ConvGen.Generator.Emit.Strategies.CostModel", throwOnError: true)!
            .GetField("testFilter", BindingFlags.NonPublic | BindingFlags.Static)!;
        field.SetValue(null, accepts);
        return new Restore(field);
    }

    private sealed class Restore(FieldInfo field) : IDisposable
    {
        public void Dispose() => field.SetValue(null, null);
    }

    /// <summary>One random convolution layer (with its activation and an optional identity residual) and its reference.</summary>
    internal sealed record RandomConv(
        string Declaration, int InChannels, int Height, int Width, int OutChannels, int KernelH, int KernelW,
        int StrideH, int StrideW, int DilationH, int DilationW, int Groups, int PadTop, int PadBottom, int PadLeft, int PadRight,
        PaddingMode Mode, string? Activation, bool Residual, bool CouldTakeForm)
    {
        private static readonly string?[] Activations = { null, "ReLU", "ReLU6", "LeakyReLU(NegativeSlope = 0.2)", "Sigmoid", "Tanh", "SiLU" };

        /// <summary>A random valid layer; <paramref name="form"/> steers the draw towards shapes that form can run.</summary>
        public static RandomConv Draw(Random random, string form)
        {
            // A flat row tile storing directly, and a channel tile reading consecutive positions through one pointer, both
            // need an input row pitch equal to the output width (no horizontal taps, stride or padding); the latter also stride 1 down.
            bool consecutive = form.EndsWith("consecutive positions", StringComparison.Ordinal);
            bool rows = form.EndsWith("row by row", StringComparison.Ordinal), samePitch = form.EndsWith("direct store", StringComparison.Ordinal) || consecutive;
            bool winograd = form == WinogradForm;
            bool lanes = form.StartsWith("depthwise lanes", StringComparison.Ordinal);
            while (true)
            {
                bool oneD = !winograd && random.Next(5) == 0;
                int cin = new[] { 1, 2, 3, 4, 6, 8, 12, 16 }[random.Next(8)];
                bool depthwise = !winograd && cin > 1 && (lanes || random.Next(3) == 0);
                if (lanes && !depthwise)
                {
                    continue;
                }

                var divisors = Enumerable.Range(1, cin).Where(d => cin % d == 0).ToList();
                int groups = depthwise ? cin : winograd ? 1 : divisors[random.Next(divisors.Count)];
                int cout = depthwise ? cin * (random.Next(3) == 0 ? 2 : 1) : groups * random.Next(1, Math.Max(2, 24 / groups) + 1);
                int kh = winograd ? 3 : oneD ? 1 : random.Next(1, 6), kw = winograd ? 3 : samePitch ? 1 : random.Next(1, 6);
                int sh = oneD || winograd || consecutive ? 1 : random.Next(1, 4), sw = samePitch || winograd ? 1 : random.Next(1, 4);
                int dh = oneD || winograd || random.Next(3) > 0 ? 1 : 2, dw = winograd || random.Next(3) > 0 ? 1 : 2;
                int h = oneD ? 1 : random.Next(1, rows ? 8 : 21), w = rows ? random.Next(16, 64) : random.Next(1, 31);
                int effH = (dh * (kh - 1)) + 1, effW = (dw * (kw - 1)) + 1;
                int Pad(int eff) => random.Next(2) == 0 ? 0 : random.Next(0, eff);
                int pt = oneD ? 0 : Pad(effH), pb = oneD ? 0 : Pad(effH), pl = samePitch ? 0 : Pad(effW), pr = samePitch ? 0 : Pad(effW);
                var mode = !lanes && random.Next(4) == 0 ? (PaddingMode)random.Next(1, 4) : PaddingMode.Zeros;
                bool padded = (pt | pb | pl | pr) != 0;
                int outH = ((h + pt + pb - effH) / sh) + 1, outW = ((w + pl + pr - effW) / sw) + 1;
                bool modeFits = mode switch
                {
                    PaddingMode.Reflect => Math.Max(pt, pb) < h && Math.Max(pl, pr) < w,
                    PaddingMode.Circular => Math.Max(pt, pb) <= h && Math.Max(pl, pr) <= w,
                    _ => true,
                };
                if (h + pt + pb < effH || w + pl + pr < effW || !modeFits || outH * outW * cout > 4000 || (rows && outW < 16))
                {
                    continue;
                }

                mode = padded ? mode : PaddingMode.Zeros;
                string? activation = Activations[random.Next(Activations.Length)];
                bool residual = cout == cin && outH == h && outW == w && random.Next(2) == 0;
                // A third of the layers read their taps from the offset table (an unroll budget of 1), the rest write them out.
                string budget = random.Next(3) == 0 ? ", UnrollBudget = 1" : "";
                var text = new StringBuilder(oneD
                    ? string.Create(CultureInfo.InvariantCulture, $"[Network({cin}, {w}{budget})]\n")
                    : string.Create(CultureInfo.InvariantCulture, $"[Network({cin}, {h}, {w}{budget})]\n"));
                if (residual)
                {
                    // A ReLU first, so that the saved tensor is a workspace buffer (the caller's input is never added in an epilogue).
                    text.Append("[ReLU, Save(\"r\")]\n");
                }

                string bias = random.Next(4) > 0 ? "true" : "false";
                text.Append(oneD
                    ? string.Create(CultureInfo.InvariantCulture, $"[Conv1d({cout}, {kw}, Stride = {sw}, Dilation = {dw}, Groups = {groups}, Bias = {bias}, PadLeft = {pl}, PadRight = {pr}, PaddingMode = PaddingMode.{mode}, Name = \"0\")]\n")
                    : string.Create(CultureInfo.InvariantCulture, $"[Conv2d({cout}, {kh}, {kw}, StrideH = {sh}, StrideW = {sw}, DilationH = {dh}, DilationW = {dw}, Groups = {groups}, Bias = {bias}, PadTop = {pt}, PadBottom = {pb}, PadLeft = {pl}, PadRight = {pr}, PaddingMode = PaddingMode.{mode}, Name = \"0\")]\n"));
                if (residual)
                {
                    text.Append("[Add(\"r\")]\n");
                }

                if (activation is not null)
                {
                    text.Append('[').Append(activation).Append("]\n");
                }

                bool pitchIsWidth = kw == 1 && sw == 1 && pl == 0 && pr == 0;
                bool could = form switch
                {
                    "row tile, row by row" => outW >= 16,
                    "row tile, flat, direct store" => pitchIsWidth,
                    "row tile, flat, scratch tile" => !pitchIsWidth,
                    "channel tile, 8 positions" => outH * outW >= 8,
                    "channel tile, 7 positions" => outH * outW >= 7,
                    "channel tile, 6 positions" => outH * outW >= 6,
                    WinogradForm => outH >= 2 && outW >= 2,
                    "depthwise lanes, row by row" => depthwise,
                    "depthwise lanes, flat" => depthwise,
                    _ => true,
                };
                return new RandomConv(text.ToString(), cin, h, w, cout, kh, kw, sh, sw, dh, dw, groups, pt, pb, pl, pr, mode, activation, residual, could);
            }
        }

        public float[] Reference(float[] x, int batch, float[] weight, float[]? bias)
        {
            var input = Residual ? ReferenceOps.ReLU(x) : x;
            var (y, _, _) = ReferenceOps.Conv2d(
                input, batch, InChannels, Height, Width, weight, bias, OutChannels, KernelH, KernelW,
                StrideH, StrideW, DilationH, DilationW, Groups, PadTop, PadBottom, PadLeft, PadRight, Mode);
            if (Residual)
            {
                for (int i = 0; i < y.Length; i++)
                {
                    y[i] += input[i];
                }
            }

            return Activate(y, Activation);
        }

        /// <summary>The reference of an activation as the random layers declare it (null: none; LeakyReLU has slope 0.2).</summary>
        internal static float[] Activate(float[] y, string? activation) => activation switch
        {
            null => y,
            "ReLU" => ReferenceOps.ReLU(y),
            "ReLU6" => ReferenceOps.ReLU6(y),
            "Sigmoid" => ReferenceOps.Sigmoid(y),
            "Tanh" => ReferenceOps.Tanh(y),
            "SiLU" => ReferenceOps.SiLU(y),
            _ => ReferenceOps.LeakyReLU(y, 0.2),
        };

    }
}
