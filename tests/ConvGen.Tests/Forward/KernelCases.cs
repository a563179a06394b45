using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using ConvGen.Shapes;
using ConvGen.Tests.Infrastructure;
using Xunit;

namespace ConvGen.Tests.Forward;

/// <summary>
/// The pooling, element-wise and resampling kernel cases: each shape chosen to reach one edge of a strategy (rows
/// narrower than, equal to and not a multiple of a vector; padding, ceil_mode and dilation borders; 1-D and 2-D; the
/// scalar fallbacks), and the comparison every test of them uses.
/// </summary>
internal static class KernelCases
{
    public const int Batch = 2;

    private const string VectorStrideOne = "vector pooling, stride 1";
    private const string VectorStrideTwo = "vector pooling, stride 2";
    private const string ScalarPool = "scalar pooling";

    public static readonly KernelCase[] Pooling =
    {
        Pool("max 2x2/2, 14 columns (one vector + overlap)", true, 6, 28, 28, 2, 2, VectorStrideTwo),
        Pool("max 3x3/2 pad 1, left border", true, 3, 40, 40, 3, 2, VectorStrideTwo, pad: 1),
        Pool("max 3x3/2 pad 1 ceil_mode, both borders", true, 3, 41, 41, 3, 2, VectorStrideTwo, pad: 1, ceil: true),
        Pool("max 2x2/2 ceil_mode, last row and column clipped", true, 2, 9, 33, 2, 2, VectorStrideTwo, ceil: true),
        Pool("max 4x4/2 pad 2, two column pairs", true, 1, 8, 36, 4, 2, VectorStrideTwo, pad: 2),
        Pool("max 3x3/2 dilation 2, lone taps", true, 2, 23, 30, 3, 2, VectorStrideTwo, dilation: 2),
        Pool("max 3x3/1 pad 1, stride 1 with borders", true, 2, 12, 20, 3, 1, VectorStrideOne, pad: 1),
        Pool("max 2x2/1 dilation 3", true, 2, 10, 19, 2, 1, VectorStrideOne, dilation: 3),
        Pool("max 2x2/2, 4 columns: scalar", true, 3, 8, 8, 2, 2, ScalarPool),
        Pool("max 3x3/3: scalar (stride 3)", true, 2, 12, 30, 3, 3, ScalarPool),
        Pool("max 1-D 3/2 pad 1", true, 4, 0, 50, 3, 2, VectorStrideTwo, pad: 1),
        Pool("max 1-D 2/1, exactly 8 columns", true, 1, 0, 9, 2, 1, VectorStrideOne),
        Pool("avg 2x2/2, 15 columns", false, 4, 16, 30, 2, 2, VectorStrideTwo),
        Pool("avg 3x3/2 pad 1 count_include_pad", false, 2, 33, 33, 3, 2, VectorStrideTwo, pad: 1),
        Pool("avg 3x3/2 pad 1 ceil_mode without pad count", false, 2, 34, 34, 3, 2, VectorStrideTwo, pad: 1, ceil: true, includePad: false),
        Pool("avg 3x3/1 pad 1 without pad count", false, 2, 10, 19, 3, 1, VectorStrideOne, pad: 1, includePad: false),
        Pool("avg 1-D 4/2 pad 2", false, 3, 0, 40, 4, 2, VectorStrideTwo, pad: 2),
        Pool("avg 2x2/2, 5 columns: scalar", false, 2, 6, 10, 2, 2, ScalarPool),
        Pool("avg 3x3/2 over the unroll budget: scalar", false, 2, 20, 40, 3, 2, ScalarPool, budget: 1),
        Layer("global average 7x7", 8, 7, 7, "vector sum", "[GlobalAvgPool]", Plain(LayerKind.GlobalAvgPool, "GlobalAvgPool")),
        Layer("global average 2x2 (below a vector)", 4, 2, 2, "vector sum", "[GlobalAvgPool]", Plain(LayerKind.GlobalAvgPool, "GlobalAvgPool")),
        Layer("global average 1-D 300", 3, 0, 300, "vector sum", "[GlobalAvgPool]", Plain(LayerKind.GlobalAvgPool, "GlobalAvgPool")),
    };

    public static readonly KernelCase[] Elementwise =
    {
        Layer("ReLU, 105 elements", 3, 5, 7, "vector lanes, 105", "[ReLU]", Plain(LayerKind.ReLU, "ReLU"), special: true),
        Layer("ReLU6, 5 elements", 1, 0, 5, "vector lanes, 5", "[ReLU6]", Plain(LayerKind.ReLU6, "ReLU6"), special: true),
        Layer("LeakyReLU, 72 elements", 2, 4, 9, "vector lanes, 72", "[LeakyReLU(NegativeSlope = 0.2)]", Plain(LayerKind.LeakyReLU, "LeakyReLU") with { NegativeSlope = 0.2 }, special: true),
        Layer("Sigmoid, 66 elements", 2, 3, 11, "vector lanes, 66", "[Sigmoid]", Plain(LayerKind.Sigmoid, "Sigmoid"), special: true),
        Layer("Tanh, 66 elements", 2, 3, 11, "vector lanes, 66", "[Tanh]", Plain(LayerKind.Tanh, "Tanh"), special: true),
        Layer("SiLU, 26 elements", 2, 0, 13, "vector lanes, 26", "[SiLU]", Plain(LayerKind.SiLU, "SiLU"), special: true),
        Layer("Sigmoid, 3 elements (below a vector)", 1, 0, 3, "vector lanes, 3", "[Sigmoid]", Plain(LayerKind.Sigmoid, "Sigmoid"), special: true),
        Layer("Add after ReLU, 70 elements, Tanh", 2, 5, 7, "vector lanes, y = x + skip, 70", "[Save(\"a\"), ReLU, Add(\"a\"), Tanh]", ContractDecls.Save("a"), Plain(LayerKind.ReLU, "ReLU"), AddOf("a"), Plain(LayerKind.Tanh, "Tanh")),
        Layer("Add after ReLU, 6 elements", 1, 2, 3, "vector lanes, y = x + skip, 6", "[Save(\"a\"), ReLU, Add(\"a\")]", ContractDecls.Save("a"), Plain(LayerKind.ReLU, "ReLU"), AddOf("a")),
        Layer("BatchNorm2d + ReLU, 55 positions", 3, 5, 11, "vector lanes along each channel's 55", "[BatchNorm2d, ReLU]", BatchNorm(2), Plain(LayerKind.ReLU, "ReLU")),
        Layer("BatchNorm2d + Sigmoid", 3, 4, 9, "vector lanes along each channel's 36", "[BatchNorm2d, Sigmoid]", BatchNorm(2), Plain(LayerKind.Sigmoid, "Sigmoid")),
        Layer("BatchNorm2d, 6 positions", 5, 2, 3, "vector lanes along each channel's 6", "[BatchNorm2d]", BatchNorm(2)),
        Layer("BatchNorm1d on 13 positions + ReLU6", 5, 0, 13, "vector lanes along each channel's 13", "[BatchNorm1d, ReLU6]", BatchNorm(1), Plain(LayerKind.ReLU6, "ReLU6")),
        Layer("Flatten + BatchNorm1d, 60 features + LeakyReLU", 3, 4, 5, "vector lanes across the 60 channels", "[Flatten, BatchNorm1d, LeakyReLU]", Plain(LayerKind.Flatten, "Flatten"), BatchNorm(1), Plain(LayerKind.LeakyReLU, "LeakyReLU")),
        Layer("Flatten + BatchNorm1d, 6 features + SiLU", 1, 2, 3, "vector lanes across the 6 channels", "[Flatten, BatchNorm1d, SiLU]", Plain(LayerKind.Flatten, "Flatten"), BatchNorm(1), Plain(LayerKind.SiLU, "SiLU")),
    };

    public static readonly KernelCase[] Resampling =
    {
        Layer("nearest x2, 13 columns", 3, 5, 13, "vector rows", "[Upsample(2)]", Upsample(2)),
        Layer("nearest x2, 4 columns", 2, 3, 4, "scalar row fill", "[Upsample(2)]", Upsample(2)),
        Layer("nearest x3", 2, 4, 9, "scalar row fill (factor 3", "[Upsample(3)]", Upsample(3)),
        Layer("nearest x2 1-D, 20 columns", 3, 0, 20, "vector rows", "[Upsample(2)]", Upsample(2)),
        Layer("bilinear x2, 9 columns: scalar", 2, 5, 9, "scalar: every output column", "[Upsample(2, Mode = UpsampleMode.Linear)]", Upsample(2) with { LinearInterpolation = true }),
        Layer("bilinear x2, 10 columns (one vector besides the edges)", 2, 3, 10, "vector rows: input columns", "[Upsample(2, Mode = UpsampleMode.Linear)]", Upsample(2) with { LinearInterpolation = true }),
        Layer("bilinear x2, 21 columns (overlapping last step)", 3, 6, 21, "vector rows: input columns", "[Upsample(2, Mode = UpsampleMode.Linear)]", Upsample(2) with { LinearInterpolation = true }),
        Layer("bilinear x2, 1x1 map", 2, 1, 1, "scalar: every output column", "[Upsample(2, Mode = UpsampleMode.Linear)]", Upsample(2) with { LinearInterpolation = true }),
        Layer("bilinear x3, 12 columns: scalar (factor 3)", 2, 4, 12, "scalar: every output column", "[Upsample(3, Mode = UpsampleMode.Linear)]", Upsample(3) with { LinearInterpolation = true }),
        Layer("linear x2 1-D, 37 columns", 3, 0, 37, "vector rows: input columns", "[Upsample(2, Mode = UpsampleMode.Linear)]", Upsample(2) with { LinearInterpolation = true }),
        Layer("linear x2 1-D, 5 columns: scalar", 2, 0, 5, "scalar: every output column", "[Upsample(2, Mode = UpsampleMode.Linear)]", Upsample(2) with { LinearInterpolation = true }),
        Layer("pixel shuffle x2, 11 columns", 8, 5, 11, "vector rows: output row", "[PixelShuffle(2)]", Shuffle(LayerKind.PixelShuffle, 2)),
        Layer("pixel shuffle x2, 3 columns", 4, 2, 3, "scalar, one element at a time (3 columns", "[PixelShuffle(2)]", Shuffle(LayerKind.PixelShuffle, 2)),
        Layer("pixel shuffle x3", 9, 4, 4, "scalar, one element at a time (factor 3", "[PixelShuffle(3)]", Shuffle(LayerKind.PixelShuffle, 3)),
        Layer("pixel unshuffle x2, 11 columns", 2, 6, 22, "vector rows: input row", "[PixelUnshuffle(2)]", Shuffle(LayerKind.PixelUnshuffle, 2)),
        Layer("pixel unshuffle x2, 4 columns", 2, 4, 8, "scalar, one element at a time (4 columns", "[PixelUnshuffle(2)]", Shuffle(LayerKind.PixelUnshuffle, 2)),
    };

    public static IEnumerable<KernelCase> All => Pooling.Concat(Elementwise).Concat(Resampling);

    public static TheoryData<string> Names(IEnumerable<KernelCase> cases)
    {
        var data = new TheoryData<string>();
        foreach (var c in cases)
        {
            data.Add(c.Name);
        }

        return data;
    }

    public static KernelCase Named(string name) => All.Single(c => c.Name == name);

    /// <summary>Batch inputs for <paramref name="k"/>: uniform [−1, 1), and for special cases about one value in eight NaN, ±∞ or ±0.</summary>
    public static float[] Input(KernelCase k, int seed)
    {
        var input = ReferenceNetwork.RandomInput(seed, Batch * k.Network.InputShape.Size);
        if (k.Special)
        {
            var random = new Random(seed);
            float[] specials = { float.NaN, float.PositiveInfinity, float.NegativeInfinity, 0f, -0f };
            for (int i = 0; i < input.Length; i++)
            {
                if (random.Next(8) == 0)
                {
                    input[i] = specials[random.Next(specials.Length)];
                }
            }
        }

        return input;
    }

    /// <summary>Compiles <paramref name="k"/>, checks its strategy comment and compares its batch output with the reference network.</summary>
    public static void AssertMatchesReference(KernelCase k, int seed = 5)
    {
        string source = GeneratorHarness.Run(GeneratorHarness.Declare(k.Attributes)).Sources.Values.Single();
        Assert.True(source.Contains("// Strategy: " + k.Strategy, StringComparison.Ordinal), $"{k.Name}: no kernel comment starts \"// Strategy: {k.Strategy}\".");
        var plans = ReferenceNetwork.Plan(k.Network, k.Layers);
        var weights = ReferenceNetwork.CreateWeights(plans, seed);
        var input = Input(k, seed);
        var expected = ReferenceNetwork.Run(k.Network, plans, weights, input, Batch);
        var net = GeneratorHarness.Build(k.Attributes, weights);
        var actual = new float[Batch * net.OutputSize];
        net.Forward(input, actual, Batch);
        AssertClose(k, expected, actual, "");
    }

    /// <summary>
    /// Equal NaN-ness, equal infinities, else |a − e| ≤ 1e-5·max(1, |e|); max pooling, ReLU and ReLU6 are exact
    /// (their kernels only select values), so any difference there fails.
    /// </summary>
    public static void AssertClose(KernelCase k, float[] expected, float[] actual, string context)
    {
        Assert.Equal(expected.Length, actual.Length);
        bool exact = k.Layers.All(l => l.Kind is LayerKind.MaxPool or LayerKind.ReLU or LayerKind.ReLU6);
        for (int i = 0; i < expected.Length; i++)
        {
            float e = expected[i], a = actual[i];
            bool ok = float.IsNaN(e) ? float.IsNaN(a)
                : float.IsInfinity(e) || exact ? a == e
                : Math.Abs(a - e) <= 1e-5 * Math.Max(1.0, Math.Abs(e));
            Assert.True(ok, string.Create(CultureInfo.InvariantCulture, $"{k.Name}{context}: output[{i}] = {a:R}, reference {e:R}"));
        }
    }

    private static KernelCase Pool(
        string name, bool max, int c, int h, int w, int k, int stride, string strategy,
        int pad = 0, int dilation = 1, bool ceil = false, bool includePad = true, int budget = 20000)
    {
        bool twoD = h > 0;
        string attribute = (max ? "MaxPool" : "AvgPool") + (twoD ? "2d" : "1d");
        string text = $"[{attribute}({k}, Stride = {stride}"
            + (pad > 0 ? $", Padding = {pad}" : "")
            + (dilation > 1 ? $", Dilation = {dilation}" : "")
            + (ceil ? ", CeilMode = true" : "")
            + (includePad ? "" : ", CountIncludePad = false") + ")]";
        var decl = new LayerDecl
        {
            Kind = max ? LayerKind.MaxPool : LayerKind.AvgPool,
            AttributeName = attribute,
            Rank = twoD ? 2 : 1,
            KernelH = twoD ? k : 1,
            KernelW = k,
            StrideH = twoD ? stride : 1,
            StrideW = stride,
            PadTop = twoD ? pad : 0,
            PadBottom = twoD ? pad : 0,
            PadLeft = pad,
            PadRight = pad,
            PaddingGiven = pad > 0,
            DilationH = twoD ? dilation : 1,
            DilationW = dilation,
            CeilMode = ceil,
            CountIncludePad = includePad,
        };
        return Build(name, c, h, w, strategy, text, budget, special: max, decl);
    }

    internal static KernelCase Layer(string name, int c, int h, int w, string strategy, string attributes, params LayerDecl[] layers)
        => Build(name, c, h, w, strategy, attributes, 20000, special: false, layers);

    private static KernelCase Layer(string name, int c, int h, int w, string strategy, string attributes, LayerDecl layer, bool special)
        => Build(name, c, h, w, strategy, attributes, 20000, special, layer);

    private static KernelCase Build(string name, int c, int h, int w, string strategy, string attributes, int budget, bool special, params LayerDecl[] layers)
    {
        bool twoD = h > 0;
        string budgetText = budget == 20000 ? "" : $", UnrollBudget = {budget}";
        string network = twoD ? $"[Network({c}, {h}, {w}{budgetText})]" : $"[Network({c}, {w}{budgetText})]";
        var decl = new NetworkDecl(c, twoD ? h : 1, w, twoD ? 2 : 1, false, budget);
        var ranked = layers.Select(l => l.Kind is LayerKind.Upsample or LayerKind.PixelShuffle or LayerKind.PixelUnshuffle or LayerKind.GlobalAvgPool ? l with { Rank = twoD ? 2 : 1 } : l).ToArray();
        return new KernelCase(name, network + "\n" + attributes, decl, ranked, strategy, special);
    }

    private static LayerDecl Plain(LayerKind kind, string attribute) => ContractDecls.Plain(kind, attribute);

    private static LayerDecl BatchNorm(int rank) => new() { Kind = LayerKind.BatchNorm, AttributeName = rank == 2 ? "BatchNorm2d" : "BatchNorm1d", Rank = rank };

    private static LayerDecl AddOf(string name) => new() { Kind = LayerKind.Add, AttributeName = "Add", TensorName = name };

    internal static LayerDecl Upsample(int factor) => new() { Kind = LayerKind.Upsample, AttributeName = "Upsample", Factor = factor };

    private static LayerDecl Shuffle(LayerKind kind, int factor) => new() { Kind = kind, AttributeName = kind.ToString(), Factor = factor };
}
