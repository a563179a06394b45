namespace ConvGen.Benchmarks.Networks;

/// <summary>
/// One transposed convolution, 64 -> 32 channels, 4x4, stride 2, padding 1, on [64, 32, 32] -> [32, 64, 64]: a DCGAN
/// generator / U-Net decoder upsampling layer, 33.6 M MACs per sample. Module "0", as
/// <see cref="Onnx.ReferenceNetworks.SingleConvTransposeSpec"/> expects.
/// </summary>
[Network(64, 32, 32)]
[ConvTranspose2d(32, 4, Stride = 2, Padding = 1)]
public sealed partial class ConvTranspose4x4_64to32_32x32
{
}
