namespace ConvGen;

/// <summary>
/// PyTorch's <c>nn.MaxPool2d</c>: the largest value in each window; padding reads as −∞.
/// </summary>
public sealed class MaxPool2dAttribute : LayerAttribute
{
    /// <summary>A square window.</summary>
    public MaxPool2dAttribute(int kernelSize)
        : this(kernelSize, kernelSize)
    {
    }

    /// <summary>A kH × kW window.</summary>
    public MaxPool2dAttribute(int kernelHeight, int kernelWidth)
    {
        KernelHeight = kernelHeight;
        KernelWidth = kernelWidth;
    }

    /// <summary>Window height.</summary>
    public int KernelHeight { get; }

    /// <summary>Window width.</summary>
    public int KernelWidth { get; }

    /// <summary>Stride in both dimensions; when not given, the window size (PyTorch's default).</summary>
    public int Stride { get; set; }

    /// <summary>Vertical stride (defaults to the window height).</summary>
    public int StrideH { get; set; }

    /// <summary>Horizontal stride (defaults to the window width).</summary>
    public int StrideW { get; set; }

    /// <summary>Symmetric padding, at most half the window.</summary>
    public int Padding { get; set; }

    /// <summary>Vertical padding.</summary>
    public int PaddingH { get; set; }

    /// <summary>Horizontal padding.</summary>
    public int PaddingW { get; set; }

    /// <summary>Use ⌈⌉ instead of ⌊⌋ in the output size; a window that would start in the right padding is dropped.</summary>
    public bool CeilMode { get; set; }

    /// <summary>Spacing between window taps in both dimensions (default 1).</summary>
    public int Dilation { get; set; } = 1;

    /// <summary>Vertical dilation.</summary>
    public int DilationH { get; set; } = 1;

    /// <summary>Horizontal dilation.</summary>
    public int DilationW { get; set; } = 1;
}
