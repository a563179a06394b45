using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using ConvGen.Shapes;
using ConvGen.Tests.Infrastructure;
using Xunit;

namespace ConvGen.Tests.Forward;

/// <summary>
/// Targeted forward checks found by mutation testing: each declaration reaches one kernel path that the golden
/// fixtures and the randomized seeds reach rarely or never (a BatchNorm after a fused activation, BatchNorm folded
/// into a grouped transposed convolution whose groups have different in/out widths, unequal vertical and horizontal
/// strides or dilations, a ceil-mode average window past the padded input, circular padding as wide as the input),
/// and NaN propagation through the generated max pooling and the vectorized ReLU. Every case is compared with
/// <see cref="ReferenceNetwork"/>, the naive layer-by-layer interpretation of the same declaration.
/// </summary>
public sealed class MutationGuardTests
{
    private sealed record GuardCase(string Text, NetworkDecl Network, LayerDecl[] Layers);

    private static NetworkDecl Net2d(int c, int h, int w) => new(c, h, w, 2, false, 20000);

    private static NetworkDecl Net1d(int c, int length) => new(c, 1, length, 1, false, 20000);

    private static readonly Dictionary<string, GuardCase> Cases = new(StringComparer.Ordinal)
    {
        // BatchNorm after an activation that was fused into the convolution: folding it into the weights would
        // normalize before the ReLU instead of after it.
        ["conv-relu-batchnorm2d"] = new(
            "[Network(3, 6, 6)]\n[Conv2d(4, 3, Padding = 1), ReLU, BatchNorm2d]",
            Net2d(3, 6, 6),
            new[] { Conv(2, 4, 3, 3, pad: 1), Plain(LayerKind.ReLU), BatchNorm(2) }),
        ["linear-relu-batchnorm1d"] = new(
            "[Network(2, 4)]\n[Flatten, Linear(6), ReLU, BatchNorm1d]",
            Net1d(2, 4),
            new[] { Plain(LayerKind.Flatten), new LayerDecl { Kind = LayerKind.Linear, AttributeName = "Linear", OutChannels = 6 }, Plain(LayerKind.ReLU), BatchNorm(1) }),

        // BatchNorm folded into a grouped ConvTranspose: the weight is [C_in, C_out/g, k], so the output channel of a
        // weight row depends on the group of its input channel. C_in/g differs from C_out/g in both directions.
        ["convT2d-groups-bn (2 in, 3 out per group)"] = new(
            "[Network(4, 5, 5)]\n[ConvTranspose2d(6, 3, Stride = 2, Groups = 2), BatchNorm2d]",
            Net2d(4, 5, 5),
            new[] { ConvTranspose(2, 6, 3, stride: 2, groups: 2), BatchNorm(2) }),
        ["convT1d-groups-bn (3 in, 2 out per group)"] = new(
            "[Network(6, 7)]\n[ConvTranspose1d(4, 3, Stride = 2, Padding = 1, Groups = 2, Bias = false), BatchNorm1d]",
            Net1d(6, 7),
            new[] { ConvTranspose(1, 4, 3, stride: 2, groups: 2, pad: 1) with { Bias = false }, BatchNorm(1) }),
        ["convT2d-groups-sigmoid (3 in, 1 out per group)"] = new(
            "[Network(6, 4, 3)]\n[ConvTranspose2d(2, 2, Stride = 2, Groups = 2), Sigmoid]",
            Net2d(6, 4, 3),
            new[] { ConvTranspose(2, 2, 2, stride: 2, groups: 2), Plain(LayerKind.Sigmoid) }),

        // A 1-D convolution, then Flatten, then BatchNorm1d over the C*L features: nothing may fold across Flatten.
        ["conv1d-flatten-batchnorm1d"] = new(
            "[Network(2, 8)]\n[Conv1d(4, 3), Flatten, BatchNorm1d]",
            Net1d(2, 8),
            new[] { Conv(1, 4, 1, 3), Plain(LayerKind.Flatten), BatchNorm(1) }),

        // A projection shortcut whose 1x1 convolution strides 2 vertically and 1 horizontally.
        ["projection-with-unequal-strides"] = new(
            "[Network(2, 8, 8)]\n[Save(\"s\")]\n[Conv2d(4, 3, StrideH = 2, Padding = 1)]\n[Add(\"s\", Projection = true)]",
            Net2d(2, 8, 8),
            new[] { ContractDecls.Save("s"), Conv(2, 4, 3, 3, pad: 1) with { StrideH = 2 }, new LayerDecl { Kind = LayerKind.Add, AttributeName = "Add", TensorName = "s", Projection = true } }),

        // Unequal dilations: the border (padded-window) path of max pooling and of a scalar convolution with a
        // rectangular kernel, and the vectorized convolution interior.
        ["maxpool-dilationH-2-with-padding"] = new(
            "[Network(2, 9, 9)]\n[MaxPool2d(3, Stride = 1, Padding = 1, DilationH = 2)]",
            Net2d(2, 9, 9),
            new[] { Pool(LayerKind.MaxPool, 2, 3, 3, stride: 1, pad: 1) with { DilationH = 2 } }),
        ["border-conv-3x2-dilationH-2"] = new(
            "[Network(2, 6, 4)]\n[Conv2d(3, 3, 2, Padding = 2, DilationH = 2), Tanh]",
            Net2d(2, 6, 4),
            new[] { Conv(2, 3, 3, 2, pad: 2) with { DilationH = 2 }, Plain(LayerKind.Tanh) }),
        ["vector-conv-dilationH-2"] = new(
            "[Network(2, 9, 12)]\n[Conv2d(4, 3, DilationH = 2)]",
            Net2d(2, 9, 12),
            new[] { Conv(2, 4, 3, 3) with { DilationH = 2 } }),

        // Ceil mode with count_include_pad: the last window runs past the right padding, and PyTorch divides by the
        // part of the window inside the padded input only.
        ["avgpool1d-ceil-count-include-pad"] = new(
            "[Network(2, 6)]\n[AvgPool1d(3, Stride = 2, Padding = 1, CeilMode = true)]",
            Net1d(2, 6),
            new[] { Pool(LayerKind.AvgPool, 1, 1, 3, stride: 2, pad: 1) with { CeilMode = true } }),
        ["avgpool2d-ceil-count-include-pad"] = new(
            "[Network(1, 6, 6)]\n[AvgPool2d(3, Stride = 2, Padding = 1, CeilMode = true)]",
            Net2d(1, 6, 6),
            new[] { Pool(LayerKind.AvgPool, 2, 3, 3, stride: 2, pad: 1) with { CeilMode = true } }),

        // Circular padding may be as wide as the input (PyTorch wraps around exactly once).
        ["circular-padding-as-wide-as-the-input"] = new(
            "[Network(2, 4, 4)]\n[Conv2d(3, 3, Padding = 4, PaddingMode = PaddingMode.Circular)]",
            Net2d(2, 4, 4),
            new[] { Conv(2, 3, 3, 3, pad: 4) with { BorderMode = BorderMode.Circular } }),
        ["reflect-padding-one-below-the-input"] = new(
            "[Network(2, 4)]\n[Conv1d(3, 3, Padding = 3, PaddingMode = PaddingMode.Reflect)]",
            Net1d(2, 4),
            new[] { Conv(1, 3, 1, 3, pad: 3) with { BorderMode = BorderMode.Reflect } }),
    };

    public static TheoryData<string> Names() => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(Names))]
    public void Generated_forward_matches_the_reference(string name)
    {
        var c = Cases[name];
        var plans = ReferenceNetwork.Plan(c.Network, c.Layers);
        var weights = ReferenceNetwork.CreateWeights(plans, 17);
        const int Batch = 2;
        var input = ReferenceNetwork.RandomInput(17, Batch * c.Network.InputShape.Size);
        var expected = ReferenceNetwork.Run(c.Network, plans, weights, input, Batch);

        var actual = Forward(c.Text, weights, input, Batch);
        AssertClose(expected, actual, name + "\n" + c.Text);
    }

    /// <summary>
    /// PyTorch's max pooling returns NaN for every window that holds a NaN, wherever the NaN sits in the window
    /// (not only as its first tap), on the unrolled interior path and on the padded-window path alike.
    /// </summary>
    [Theory]
    [InlineData("[Network(1, 4, 6)]\n[MaxPool2d(2)]", 0)]
    [InlineData("[Network(1, 4, 6)]\n[MaxPool2d(3, Stride = 1, Padding = 1)]", 1)]
    [InlineData("[Network(1, 4, 6)]\n[MaxPool2d(2, Stride = 1, Dilation = 2)]", 2)]
    public void Max_pooling_propagates_NaN_from_any_tap(string text, int variant)
    {
        var layer = variant switch
        {
            0 => Pool(LayerKind.MaxPool, 2, 2, 2, stride: 2, pad: 0),
            1 => Pool(LayerKind.MaxPool, 2, 3, 3, stride: 1, pad: 1),
            _ => Pool(LayerKind.MaxPool, 2, 2, 2, stride: 1, pad: 0) with { DilationH = 2, DilationW = 2 },
        };
        var network = Net2d(1, 4, 6);
        var plans = ReferenceNetwork.Plan(network, new[] { layer });
        var input = ReferenceNetwork.RandomInput(5, network.InputShape.Size);

        // Row 0, column 3 and row 3, column 4: never the first tap of the windows at column 0 of the first row.
        input[3] = float.NaN;
        input[(3 * 6) + 4] = float.NaN;
        var expected = ReferenceNetwork.Run(network, plans, new ModelWeights(), input, 1);
        Assert.Contains(expected, float.IsNaN);

        var actual = Forward(text, new ModelWeights(), input, 1);
        AssertClose(expected, actual, text);
    }

    /// <summary>
    /// ReLU and ReLU6 keep NaN as PyTorch does (max(NaN, 0) is NaN), in the vectorized convolution interior (stride 1,
    /// 10 interior columns) and in the scalar convolution and the standalone activation kernel.
    /// </summary>
    [Theory]
    [InlineData("[Network(1, 3, 12)]\n[Conv2d(2, 3), ReLU]", false, false)]
    [InlineData("[Network(1, 3, 12)]\n[Conv2d(2, 3), ReLU6]", true, false)]
    [InlineData("[Network(1, 3, 12)]\n[Conv2d(2, 3, Stride = 2), ReLU]", false, true)]
    public void Fused_ReLU_keeps_NaN(string text, bool relu6, bool strided)
    {
        var network = Net2d(1, 3, 12);
        var conv = Conv(2, 2, 3, 3);
        if (strided)
        {
            conv = conv with { StrideH = 2, StrideW = 2 };
        }

        var layers = new[] { conv, Plain(relu6 ? LayerKind.ReLU6 : LayerKind.ReLU) };
        var plans = ReferenceNetwork.Plan(network, layers);
        var weights = ReferenceNetwork.CreateWeights(plans, 9);
        var input = ReferenceNetwork.RandomInput(9, network.InputShape.Size);
        input[(1 * 12) + 5] = float.NaN;
        var expected = ReferenceNetwork.Run(network, plans, weights, input, 1);
        Assert.Contains(expected, float.IsNaN);

        var actual = Forward(text, weights, input, 1);
        AssertClose(expected, actual, text);
    }

    private static float[] Forward(string text, ModelWeights weights, float[] input, int batch)
    {
        var net = GeneratorHarness.Build(text, weights);
        var output = new float[batch * net.OutputSize];
        net.Forward(input, output, batch);
        return output;
    }

    private static void AssertClose(float[] expected, float[] actual, string context)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < actual.Length; i++)
        {
            double e = expected[i];
            bool ok = double.IsNaN(e)
                ? float.IsNaN(actual[i])
                : Math.Abs(actual[i] - e) <= 1e-4 * Math.Max(1.0, Math.Abs(e));
            Assert.True(ok, string.Create(CultureInfo.InvariantCulture, $"output[{i}] = {actual[i]:R}, reference {e:R}\n{context}"));
        }
    }

    private static LayerDecl Plain(LayerKind kind) => new() { Kind = kind, AttributeName = kind.ToString() };

    private static LayerDecl BatchNorm(int rank) => new() { Kind = LayerKind.BatchNorm, AttributeName = rank == 2 ? "BatchNorm2d" : "BatchNorm1d", Rank = rank };

    private static LayerDecl Conv(int rank, int outChannels, int kh, int kw, int pad = 0) => new()
    {
        Kind = LayerKind.Conv,
        AttributeName = rank == 2 ? "Conv2d" : "Conv1d",
        Rank = rank,
        OutChannels = outChannels,
        KernelH = rank == 2 ? kh : 1,
        KernelW = kw,
        PadTop = rank == 2 ? pad : 0,
        PadBottom = rank == 2 ? pad : 0,
        PadLeft = pad,
        PadRight = pad,
        PaddingGiven = pad > 0,
    };

    private static LayerDecl ConvTranspose(int rank, int outChannels, int k, int stride, int groups = 1, int pad = 0) => new()
    {
        Kind = LayerKind.ConvTranspose,
        AttributeName = rank == 2 ? "ConvTranspose2d" : "ConvTranspose1d",
        Rank = rank,
        OutChannels = outChannels,
        KernelH = rank == 2 ? k : 1,
        KernelW = k,
        StrideH = rank == 2 ? stride : 1,
        StrideW = stride,
        Groups = groups,
        PadTop = rank == 2 ? pad : 0,
        PadBottom = rank == 2 ? pad : 0,
        PadLeft = pad,
        PadRight = pad,
        PaddingGiven = pad > 0,
    };

    private static LayerDecl Pool(LayerKind kind, int rank, int kh, int kw, int stride, int pad) => new()
    {
        Kind = kind,
        AttributeName = (kind == LayerKind.MaxPool ? "MaxPool" : "AvgPool") + (rank == 2 ? "2d" : "1d"),
        Rank = rank,
        KernelH = rank == 2 ? kh : 1,
        KernelW = kw,
        StrideH = rank == 2 ? stride : 1,
        StrideW = stride,
        PadTop = rank == 2 ? pad : 0,
        PadBottom = rank == 2 ? pad : 0,
        PadLeft = pad,
        PadRight = pad,
        PaddingGiven = pad > 0,
    };
}
