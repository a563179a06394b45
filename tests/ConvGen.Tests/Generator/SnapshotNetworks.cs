using System;
using System.Collections.Generic;
using ConvGen.Tests.Infrastructure;
using Xunit;

namespace ConvGen.Tests.Generator;

/// <summary>
/// The representative networks whose generated source is kept as a baseline. Between them they reach every
/// op kind the emitter has: folded and standalone BatchNorm, fused activations, projection shortcuts,
/// causal dilated 1-D convolutions with channels-last I/O, border-mode padding kernels, transposed
/// convolution, both upsampling modes, pixel shuffle, ceil-mode pooling and concatenation.
/// </summary>
internal static class SnapshotNetworks
{
    private static readonly Dictionary<string, string> Attributes = new(StringComparer.Ordinal)
    {
        ["LeNet5"] = """
            [Network(1, 32, 32)]
            [Conv2d(6, 5), ReLU, MaxPool2d(2)]
            [Conv2d(16, 5), ReLU, MaxPool2d(2)]
            [Flatten]
            [Linear(120), ReLU]
            [Linear(84), ReLU]
            [Linear(10)]
            """,

        // torchvision's BasicBlock with a downsampling shortcut: conv-bn-relu, conv-bn, + projected identity, relu.
        ["ResNetBasicBlock"] = """
            [Network(16, 16, 16)]
            [Save("identity")]
            [Conv2d(32, 3, Stride = 2, Padding = 1, Bias = false, Name = "conv1"), BatchNorm2d(Eps = 1e-3, Momentum = 0.05, Name = "bn1"), ReLU]
            [Conv2d(32, 3, Padding = 1, Bias = false, Name = "conv2"), BatchNorm2d(Name = "bn2")]
            [Add("identity", Projection = true, Name = "downsample"), ReLU]
            """,

        // A WaveNet/TCN-style stack: causal convolutions with growing dilation, a residual, channels-last I/O.
        ["CausalDilatedStack"] = """
            [Network(4, 64, Layout = TensorLayout.Nhwc)]
            [Conv1d(16, 3, Pad = Pad.Causal), ReLU, Save("residual")]
            [Conv1d(16, 3, Pad = Pad.Causal, Dilation = 2), BatchNorm1d(Momentum = 0.05), LeakyReLU(NegativeSlope = 0.2)]
            [Conv1d(16, 3, Pad = Pad.Causal, Dilation = 4, Groups = 4), Tanh]
            [Add("residual")]
            [Conv1d(8, 1, Bias = false)]
            """,

        // A super-resolution-style decoder: reflect/replicate padding kernels, ConvTranspose2d with
        // output_padding, bilinear and nearest upsampling, pixel shuffle.
        ["UpsamplingDecoder"] = """
            [Network(3, 8, 8)]
            [Conv2d(8, 3, Padding = 1, PaddingMode = PaddingMode.Reflect), LeakyReLU(NegativeSlope = 0.2)]
            [ConvTranspose2d(8, 3, Stride = 2, Padding = 1, OutputPadding = 1), ReLU]
            [Upsample(2, Mode = UpsampleMode.Linear)]
            [Conv2d(12, 3, Padding = 1, PaddingMode = PaddingMode.Replicate), SiLU]
            [PixelShuffle(2)]
            [Upsample(2), Sigmoid]
            """,

        // A two-level U-Net: odd input size so the ceil-mode pool and the transposed convolution must agree.
        ["TinyUNet"] = """
            [Network(1, 15, 15)]
            [Conv2d(4, 3, Padding = 1), ReLU, Save("enc1")]
            [AvgPool2d(2, CeilMode = true, CountIncludePad = false)]
            [Conv2d(8, 3, Padding = 1), BatchNorm2d, ReLU6]
            [MaxPool2d(3, Stride = 1, Padding = 1)]
            [ConvTranspose2d(4, 3, Stride = 2, Padding = 1)]
            [Concat("enc1"), BatchNorm2d(Eps = 1e-3, Momentum = 0.05)]
            [Conv2d(4, 3, Padding = 1, Groups = 2), ReLU]
            [Dropout(P = 0.25), Conv2d(1, 1), Sigmoid]
            """,
    };

    /// <summary>Snapshot names, for [MemberData].</summary>
    public static TheoryData<string> Names
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var name in Attributes.Keys)
            {
                data.Add(name);
            }

            return data;
        }
    }

    /// <summary>The user file that declares network <paramref name="name"/> as class Tests.<paramref name="name"/>.</summary>
    public static string Source(string name) => GeneratorHarness.Declare(Attributes[name], className: name);

    /// <summary>The generated file's name for network <paramref name="name"/>.</summary>
    public static string HintName(string name) => "Tests." + name + ".g.cs";

    public static IEnumerable<string> All => Attributes.Keys;
}
