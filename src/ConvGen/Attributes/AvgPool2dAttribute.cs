namespace ConvGen;

/// <summary>
/// PyTorch's <c>nn.AvgPool2d</c>: the mean of each window.
/// </summary>
public sealed class AvgPool2dAttribute : Pool2dLayerAttribute
{
    /// <summary>A square window.</summary>
    public AvgPool2dAttribute(int kernelSize)
        : base(kernelSize, kernelSize)
    {
    }

    /// <summary>A kH × kW window.</summary>
    public AvgPool2dAttribute(int kernelHeight, int kernelWidth)
        : base(kernelHeight, kernelWidth)
    {
    }

    /// <summary>Whether padded zeros count in the divisor (default true, as in PyTorch).</summary>
    public bool CountIncludePad { get; set; } = true;
}
