namespace ConvGen;

/// <summary>
/// What <see cref="Conv2dAttribute"/> and <see cref="ConvTranspose2dAttribute"/> share: channels, kernel,
/// stride, dilation, groups, bias and symmetric padding. Per-dimension properties (<c>StrideH</c>,
/// <c>PaddingW</c>...) override the general ones.
/// </summary>
public abstract class Convolution2dLayerAttribute : LayerAttribute
{
    /// <summary>A kH × kW kernel.</summary>
    private protected Convolution2dLayerAttribute(int outChannels, int kernelHeight, int kernelWidth)
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

    /// <summary>Symmetric padding in both dimensions (default 0).</summary>
    public int Padding { get; set; }

    /// <summary>Padding above and below.</summary>
    public int PaddingH { get; set; }

    /// <summary>Padding left and right.</summary>
    public int PaddingW { get; set; }

    /// <summary>What is read outside the input (default zeros).</summary>
    public PaddingMode PaddingMode { get; set; }
}
