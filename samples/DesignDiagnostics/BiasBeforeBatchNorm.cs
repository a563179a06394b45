using ConvGen;

namespace DesignDiagnostics;

/// <summary>
/// CG0011 (information): a convolution with a bias directly followed by BatchNorm. BatchNorm subtracts each
/// channel's mean, so the bias cancels out; it costs 8 parameters and learns nothing.
/// </summary>
/// <remarks>
/// You see (as information, in the IDE or the SARIF log, not in <c>dotnet build</c>'s output) on the attribute:
/// "Conv2d #0: its bias is redundant: BatchNorm2d #1 right after it subtracts the per-channel mean, which cancels
/// any per-channel constant; set Bias = false (saves 8 parameters)".
/// Fix: <c>[Conv2d(8, 3, Padding = 1, Bias = false)]</c> (the code fix adds it). Weights trained in PyTorch with
/// <c>bias=True</c> then need the bias folded into BatchNorm's running mean (μ − b) before loading.
/// </remarks>
[Network(3, 32, 32)]
[Conv2d(8, 3, Padding = 1), BatchNorm2d, ReLU]
internal sealed partial class BiasBeforeBatchNorm
{
}
