namespace ConvGen;

/// <summary>
/// PyTorch's <c>nn.AdaptiveAvgPool1d(1)</c> / <c>nn.AdaptiveAvgPool2d(1)</c>: the mean over all positions of
/// each channel; the output keeps unit spatial dimensions (<c>[C, 1]</c> or <c>[C, 1, 1]</c>).
/// </summary>
public sealed class GlobalAvgPoolAttribute : LayerAttribute
{
}
