namespace ConvGen;

/// <summary>
/// PyTorch's <c>nn.AvgPool2d</c>: the mean of each window.
/// </summary>
public sealed class AvgPool2dAttribute : LayerAttribute
{
    /// <summary>A square window.</summary>
    public AvgPool2dAttribute(int kernelSize)
        : this(kernelSize, kernelSize)
    {
    }

    /// <summary>A kH × kW window.</summary>
    public AvgPool2dAttribute(int kernelHeight, int kernelWidth)
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

    /// <summary>Whether padded zeros count in the divisor (default true, as in PyTorch).</summary>
    public bool CountIncludePad { get; set; } = true;
}
