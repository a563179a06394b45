namespace ConvGen;

/// <summary>What <see cref="MaxPool2dAttribute"/> and <see cref="AvgPool2dAttribute"/> share: window, stride, padding, ceil mode.</summary>
public abstract class Pool2dLayerAttribute : LayerAttribute
{
        /// <summary>A kH × kW window.</summary>
    private protected Pool2dLayerAttribute(int kernelHeight, int kernelWidth)
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
}
