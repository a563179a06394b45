using System;
using System.Collections.Generic;
using ConvGen.Shapes;

namespace ConvGen.Tests.Forward;

/// <summary>
/// The shape-module objects of <see cref="ForwardContractTests"/>' declarations, written by hand from the attribute
/// text, so that <see cref="Infrastructure.ReferenceNetwork"/> can interpret them.
/// </summary>
internal static class ContractDecls
{
    public static (NetworkDecl Network, IReadOnlyList<LayerDecl> Layers) For(string key) => key switch
    {
        "lenet5" => (new NetworkDecl(1, 32, 32, 2, false, 20000), new[]
        {
            Conv2d(6, 5), Plain(LayerKind.ReLU, "ReLU"), MaxPool2d(2, 2, 0, ceil: false),
            Conv2d(16, 5), Plain(LayerKind.ReLU, "ReLU"), MaxPool2d(2, 2, 0, ceil: false),
            Plain(LayerKind.Flatten, "Flatten"),
            Linear(120), Plain(LayerKind.ReLU, "ReLU"),
            Linear(84), Plain(LayerKind.ReLU, "ReLU"),
            Linear(10),
        }),
        "mixed" => (new NetworkDecl(3, 12, 12, 2, true, 20000), new[]
        {
            Conv2d(8, 3, padding: 1) with { Bias = false, PaddingGiven = true }, BatchNorm(2), Plain(LayerKind.ReLU, "ReLU"),
            Save("a"),
            Conv2d(8, 3) with { PadRule = PadRule.Same, BorderMode = BorderMode.Reflect }, BatchNorm(2), Plain(LayerKind.ReLU6, "ReLU6"),
            new LayerDecl { Kind = LayerKind.Add, AttributeName = "Add", TensorName = "a" },
            Save("b"),
            Conv2d(12, 3, padding: 1) with { StrideH = 2, StrideW = 2, PaddingGiven = true }, BatchNorm(2) with { Affine = false },
            new LayerDecl { Kind = LayerKind.Add, AttributeName = "Add", TensorName = "b", Projection = true }, Plain(LayerKind.SiLU, "SiLU"),
            BatchNorm(2),
            new LayerDecl { Kind = LayerKind.ConvTranspose, AttributeName = "ConvTranspose2d", Rank = 2, OutChannels = 6, KernelH = 2, KernelW = 2, StrideH = 2, StrideW = 2 },
            new LayerDecl { Kind = LayerKind.Concat, AttributeName = "Concat", TensorName = "a" },
            MaxPool2d(3, 2, 1, ceil: true),
            new LayerDecl
            {
                Kind = LayerKind.AvgPool, AttributeName = "AvgPool2d", Rank = 2, KernelH = 2, KernelW = 2, StrideH = 2, StrideW = 2,
                PadTop = 1, PadBottom = 1, PadLeft = 1, PadRight = 1, PaddingGiven = true, CountIncludePad = false,
            },
            new LayerDecl { Kind = LayerKind.Upsample, AttributeName = "Upsample", Factor = 2, LinearInterpolation = true },
            Conv2d(4, 1),
        }),
        "sequence" => (new NetworkDecl(2, 1, 16, 1, true, 20000), new[]
        {
            new LayerDecl { Kind = LayerKind.Conv, AttributeName = "Conv1d", Rank = 1, OutChannels = 4, KernelW = 3, DilationW = 2, PadRule = PadRule.Causal },
            BatchNorm(1), Plain(LayerKind.Tanh, "Tanh"),
            new LayerDecl
            {
                Kind = LayerKind.ConvTranspose, AttributeName = "ConvTranspose1d", Rank = 1, OutChannels = 3, KernelW = 3, StrideW = 2,
                PadLeft = 1, PadRight = 1, PaddingGiven = true, OutputPaddingW = 1,
            },
            new LayerDecl { Kind = LayerKind.MaxPool, AttributeName = "MaxPool1d", Rank = 1, KernelW = 2, StrideW = 2 },
            Plain(LayerKind.Flatten, "Flatten"),
            Linear(5) with { Bias = false },
        }),
        "wide" => (new NetworkDecl(4, 6, 41, 2, false, 20000), new[]
        {
            Conv2d(4, 3, padding: 1) with { Groups = 4, PaddingGiven = true }, Plain(LayerKind.ReLU6, "ReLU6"),
            Conv2d(6, 3) with { KernelW = 5 }, Plain(LayerKind.Sigmoid, "Sigmoid"),
            Conv2d(2, 1) with { KernelW = 3, DilationH = 2, DilationW = 2, Bias = false },
            Plain(LayerKind.LeakyReLU, "LeakyReLU") with { NegativeSlope = 0.2 },
        }),
        _ => throw new ArgumentException("unknown contract network " + key, nameof(key)),
    };

    internal static LayerDecl Plain(LayerKind kind, string attribute) => new() { Kind = kind, AttributeName = attribute };

    internal static LayerDecl Save(string name) => new() { Kind = LayerKind.Save, AttributeName = "Save", TensorName = name };

    internal static LayerDecl Conv2d(int outChannels, int kernel, int padding = 0) => new()
    {
        Kind = LayerKind.Conv,
        AttributeName = "Conv2d",
        Rank = 2,
        OutChannels = outChannels,
        KernelH = kernel,
        KernelW = kernel,
        PadTop = padding,
        PadBottom = padding,
        PadLeft = padding,
        PadRight = padding,
    };

    private static LayerDecl MaxPool2d(int kernel, int stride, int padding, bool ceil) => new()
    {
        Kind = LayerKind.MaxPool,
        AttributeName = "MaxPool2d",
        Rank = 2,
        KernelH = kernel,
        KernelW = kernel,
        StrideH = stride,
        StrideW = stride,
        PadTop = padding,
        PadBottom = padding,
        PadLeft = padding,
        PadRight = padding,
        PaddingGiven = padding > 0,
        CeilMode = ceil,
    };

    private static LayerDecl Linear(int outFeatures) => new() { Kind = LayerKind.Linear, AttributeName = "Linear", OutChannels = outFeatures };

    private static LayerDecl BatchNorm(int rank) => new() { Kind = LayerKind.BatchNorm, AttributeName = rank == 2 ? "BatchNorm2d" : "BatchNorm1d", Rank = rank };
}
