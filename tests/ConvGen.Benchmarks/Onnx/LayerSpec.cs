using System.Collections.Generic;

namespace ConvGen.Benchmarks.Onnx;

/// <summary>
/// One slot of a <see cref="NetworkSpec"/>, as PyTorch would hold it in an <c>nn.Sequential</c>: the slot's index is its
/// state_dict prefix. Only the hyper-parameters are written here; the weights come from the state dict.
/// </summary>
/// <param name="Kind">What the slot computes.</param>
/// <param name="Features">out_channels of a convolution, out_features of a linear layer, else 0.</param>
/// <param name="Kernel">[kH, kW] of a convolution or pooling window, else empty.</param>
/// <param name="Stride">The stride of a convolution (both axes).</param>
/// <param name="Pads">[top, left, bottom, right] of a convolution (ONNX's order), else empty.</param>
/// <param name="Groups">The groups of a convolution.</param>
/// <param name="Skip">The saved tensor's name for <see cref="LayerSpecKind.Save"/> and <see cref="LayerSpecKind.Add"/>.</param>
/// <param name="Projection">Whether an Add passes the saved tensor through a 1x1 convolution and BatchNorm first.</param>
public sealed record LayerSpec(
    LayerSpecKind Kind,
    int Features = 0,
    IReadOnlyList<int>? Kernel = null,
    int Stride = 1,
    IReadOnlyList<int>? Pads = null,
    int Groups = 1,
    string? Skip = null,
    bool Projection = false)
{
    /// <summary>BatchNorm2d (eps 1e-5).</summary>
    public static LayerSpec BatchNorm2d { get; } = new(LayerSpecKind.BatchNorm2d);

    /// <summary>ReLU.</summary>
    public static LayerSpec ReLU { get; } = new(LayerSpecKind.ReLU);

    /// <summary>The mean of each channel, keeping [C, 1, 1].</summary>
    public static LayerSpec GlobalAvgPool { get; } = new(LayerSpecKind.GlobalAvgPool);

    /// <summary>Flatten from axis 1.</summary>
    public static LayerSpec Flatten { get; } = new(LayerSpecKind.Flatten);

    /// <summary>A square convolution with the same padding on every side.</summary>
    public static LayerSpec Conv2d(int outChannels, int kernel, int stride = 1, int padding = 0, int groups = 1) =>
        new(LayerSpecKind.Conv2d, outChannels, [kernel, kernel], stride, [padding, padding, padding, padding], groups);

    /// <summary>A convolution with a [kH, kW] kernel and one padding per side, [top, left, bottom, right].</summary>
    public static LayerSpec Conv2d(int outChannels, IReadOnlyList<int> kernel, int stride, IReadOnlyList<int> pads) =>
        new(LayerSpecKind.Conv2d, outChannels, kernel, stride, pads);

    /// <summary>nn.ConvTranspose2d with bias, square kernel, stride and padding.</summary>
    public static LayerSpec ConvTranspose2d(int outChannels, int kernel, int stride, int padding) =>
        new(LayerSpecKind.ConvTranspose2d, outChannels, [kernel, kernel], stride, [padding, padding, padding, padding]);

    /// <summary>Max pooling with a square window and stride = window.</summary>
    public static LayerSpec MaxPool2d(int kernel) => new(LayerSpecKind.MaxPool2d, Kernel: [kernel, kernel]);

    /// <summary>A linear layer to <paramref name="outFeatures"/>.</summary>
    public static LayerSpec Linear(int outFeatures) => new(LayerSpecKind.Linear, outFeatures);

    /// <summary>Names the current tensor.</summary>
    public static LayerSpec Save(string name) => new(LayerSpecKind.Save, Skip: name);

    /// <summary>Adds the tensor saved as <paramref name="name"/>, through a 1x1 conv + BatchNorm when <paramref name="projection"/>.</summary>
    public static LayerSpec Add(string name, bool projection = false) => new(LayerSpecKind.Add, Skip: name, Projection: projection);
}
