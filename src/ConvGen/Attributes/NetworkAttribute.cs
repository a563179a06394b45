using System;

namespace ConvGen;

/// <summary>
/// Marks a <c>partial class</c> as a ConvGen network and gives the shape of one input sample.
/// The layers follow as layer attributes on the same class; the batch size is a run-time argument.
/// </summary>
/// <example><code>
/// [Network(1, 28, 28)]
/// [Conv2d(6, 5, Padding = 2), ReLU, MaxPool2d(2)]
/// public partial class LeNet5 { }
/// </code></example>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class NetworkAttribute : Attribute
{
    /// <summary>A 1-D network: input samples are <c>[channels, length]</c>.</summary>
    public NetworkAttribute(int channels, int length)
    {
        Channels = channels;
        Width = length;
        Height = 1;
        SpatialRank = 1;
    }

    /// <summary>A 2-D network: input samples are <c>[channels, height, width]</c>.</summary>
    public NetworkAttribute(int channels, int height, int width)
    {
        Channels = channels;
        Height = height;
        Width = width;
        SpatialRank = 2;
    }

    /// <summary>Input channels.</summary>
    public int Channels { get; }

    /// <summary>Input height (1 for a 1-D network).</summary>
    public int Height { get; }

    /// <summary>Input width, or the length of a 1-D network.</summary>
    public int Width { get; }

    /// <summary>1 for a sequence network, 2 for an image network.</summary>
    public int SpatialRank { get; }

    /// <summary>Memory layout of the input and output spans. Inside, the network always works in NCHW.</summary>
    public TensorLayout Layout { get; set; } = TensorLayout.Nchw;

    /// <summary>
    /// Upper bound on the kernel taps the generator unrolls in this network (default 20000); above it the
    /// kernels with the most taps fall back to compact loops, and the generated comment says so.
    /// </summary>
    public int UnrollBudget { get; set; } = 20000;

    /// <summary>
    /// Declares a sequence model whose output t may depend only on inputs up to t: every layer that sees the
    /// future is an error (CG0004), and the network's causal receptive field is reported (CG0014, info).
    /// </summary>
    public bool Causal { get; set; }

    /// <summary>
    /// Declares a dense-prediction network (segmentation, restoration): its output grid must line up with the
    /// input's pixel centres, and a half- or one-pixel shift is reported (CG0013).
    /// </summary>
    public bool DensePrediction { get; set; }
}
