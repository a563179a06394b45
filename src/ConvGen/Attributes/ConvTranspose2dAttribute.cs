namespace ConvGen;

/// <summary>
/// PyTorch's <c>nn.ConvTranspose2d</c>: weight <c>[C_in, C_out/groups, kH, kW]</c>, output size
/// (n − 1)s − 2p + d(k − 1) + output_padding + 1 per dimension. Zeros padding only.
/// </summary>
public sealed class ConvTranspose2dAttribute : LayerAttribute
{
    /// <summary>A square kernel.</summary>
    public ConvTranspose2dAttribute(int outChannels, int kernelSize)
        : this(outChannels, kernelSize, kernelSize)
    {
    }

    /// <summary>A kH × kW kernel.</summary>
    public ConvTranspose2dAttribute(int outChannels, int kernelHeight, int kernelWidth)
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

    /// <summary>Channel groups (default 1).</summary>
    public int Groups { get; set; } = 1;

    /// <summary>Whether the layer has a bias (default true).</summary>
    public bool Bias { get; set; } = true;

    /// <summary>Implicit padding removed from both sides of the output (default 0).</summary>
    public int Padding { get; set; }

    /// <summary>Vertical padding.</summary>
    public int PaddingH { get; set; }

    /// <summary>Horizontal padding.</summary>
    public int PaddingW { get; set; }

    /// <summary>Extra rows/columns added on the bottom/right to pick one of the possible output sizes.</summary>
    public int OutputPadding { get; set; }

    /// <summary>Vertical output padding.</summary>
    public int OutputPaddingH { get; set; }

    /// <summary>Horizontal output padding.</summary>
    public int OutputPaddingW { get; set; }

    /// <summary>Only <see cref="ConvGen.PaddingMode.Zeros"/> is valid, as in PyTorch.</summary>
    public PaddingMode PaddingMode { get; set; }
}
