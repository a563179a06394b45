namespace ConvGen.Benchmarks.Networks;

/// <summary>
/// One 3x3 convolution, 64 -> 64 channels, padding 1, on [64, 56, 56] (a ResNet-18/34 stage-1 layer):
/// 115.6 M MACs per sample. Module "0", as <see cref="Onnx.ReferenceNetworks.SingleConv"/> expects.
/// </summary>
[Network(64, 56, 56)]
[Conv2d(64, 3, Padding = 1)]
public sealed partial class Conv3x3_64to64_56x56
{
}
