namespace ConvGen;

/// <summary>
/// PyTorch's <c>nn.MaxPool2d</c>: the largest value in each window; padding reads as −∞.
/// </summary>
public sealed class MaxPool2dAttribute : Pool2dLayerAttribute
{
    /// <summary>A square window.</summary>
    public MaxPool2dAttribute(int kernelSize)
        : base(kernelSize, kernelSize)
    {
    }

    /// <summary>A kH × kW window.</summary>
    public MaxPool2dAttribute(int kernelHeight, int kernelWidth)
        : base(kernelHeight, kernelWidth)
    {
    }

    /// <summary>Spacing between window taps in both dimensions (default 1).</summary>
    public int Dilation { get; set; } = 1;

    /// <summary>Vertical dilation.</summary>
    public int DilationH { get; set; } = 1;

    /// <summary>Horizontal dilation.</summary>
    public int DilationW { get; set; } = 1;
}
