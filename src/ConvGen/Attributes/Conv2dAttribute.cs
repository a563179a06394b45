namespace ConvGen;

/// <summary>
/// PyTorch's <c>nn.Conv2d</c>: cross-correlation with weight <c>[C_out, C_in/groups, kH, kW]</c>,
/// output size ⌊(n + pad_before + pad_after − d(k−1) − 1)/s⌋ + 1 per dimension.
/// Per-dimension properties (<c>StrideH</c>, <c>PaddingW</c>, <c>PadLeft</c>...) override the general ones.
/// </summary>
public sealed class Conv2dAttribute : Convolution2dLayerAttribute
{
    /// <summary>A square kernel.</summary>
    public Conv2dAttribute(int outChannels, int kernelSize)
        : base(outChannels, kernelSize, kernelSize)
    {
    }

    /// <summary>A kH × kW kernel.</summary>
    public Conv2dAttribute(int outChannels, int kernelHeight, int kernelWidth)
        : base(outChannels, kernelHeight, kernelWidth)
    {
    }

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
}
