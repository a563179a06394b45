namespace ConvGen;

/// <summary>
/// PyTorch's <c>nn.Conv2d</c>: cross-correlation with weight <c>[C_out, C_in/groups, kH, kW]</c>,
/// output size ⌊(n + pad_before + pad_after − d(k−1) − 1)/s⌋ + 1 per dimension.
/// Per-dimension properties (<c>StrideH</c>, <c>PaddingW</c>, <c>PadLeft</c>...) override the general ones.
/// </summary>
public sealed class Conv2dAttribute : LayerAttribute
{
    /// <summary>A square kernel.</summary>
    public Conv2dAttribute(int outChannels, int kernelSize)
        : this(outChannels, kernelSize, kernelSize)
    {
    }

    /// <summary>A kH × kW kernel.</summary>
    public Conv2dAttribute(int outChannels, int kernelHeight, int kernelWidth)
    {
        OutChannels = outChannels;
        KernelHeight = kernelHeight;
        KernelWidth = kernelWidth;
    }

    /// <summary>Output channels.</summary>
    public int OutChannels { get; }

    /// <summary>Kernel height.</summary>
    public int KernelHeight { get; }

    /// <summary>Kernel width.</summary>
    public int KernelWidth { get; }

    /// <summary>Stride in both dimensions (default 1).</summary>
    public int Stride { get; set; } = 1;

    /// <summary>Vertical stride.</summary>
    public int StrideH { get; set; } = 1;

    /// <summary>Horizontal stride.</summary>
    public int StrideW { get; set; } = 1;

    /// <summary>Dilation in both dimensions (default 1).</summary>
    public int Dilation { get; set; } = 1;

    /// <summary>Vertical dilation.</summary>
    public int DilationH { get; set; } = 1;

    /// <summary>Horizontal dilation.</summary>
    public int DilationW { get; set; } = 1;

    /// <summary>Channel groups (default 1); groups = C_in is depthwise, C_out = m·C_in adds a channel multiplier.</summary>
    public int Groups { get; set; } = 1;

    /// <summary>Whether the layer has a bias (default true).</summary>
    public bool Bias { get; set; } = true;

    /// <summary>Symmetric padding on all four sides.</summary>
    public int Padding { get; set; }

    /// <summary>Padding above and below.</summary>
    public int PaddingH { get; set; }

    /// <summary>Padding left and right.</summary>
    public int PaddingW { get; set; }

    /// <summary>Padding on the left (defaults to <c>PaddingW</c>).</summary>
    public int PadLeft { get; set; }

    /// <summary>Padding on the right (defaults to <c>PaddingW</c>).</summary>
    public int PadRight { get; set; }

    /// <summary>Padding on the top (defaults to <c>PaddingH</c>).</summary>
    public int PadTop { get; set; }

    /// <summary>Padding on the bottom (defaults to <c>PaddingH</c>).</summary>
    public int PadBottom { get; set; }

    /// <summary>'same', 'valid', or the explicit numbers (default).</summary>
    public Pad Pad { get; set; }

    /// <summary>What is read outside the input (default zeros).</summary>
    public PaddingMode PaddingMode { get; set; }
}
