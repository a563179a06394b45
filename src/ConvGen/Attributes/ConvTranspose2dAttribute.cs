namespace ConvGen;

/// <summary>
/// PyTorch's <c>nn.ConvTranspose2d</c>: weight <c>[C_in, C_out/groups, kH, kW]</c>, output size
/// (n − 1)s − 2p + d(k − 1) + output_padding + 1 per dimension, where the padding is removed from both
/// sides of the output. Zeros padding only.
/// </summary>
public sealed class ConvTranspose2dAttribute : Convolution2dLayerAttribute
{
    /// <summary>A square kernel.</summary>
    public ConvTranspose2dAttribute(int outChannels, int kernelSize)
        : base(outChannels, kernelSize, kernelSize)
    {
    }

    /// <summary>A kH × kW kernel.</summary>
    public ConvTranspose2dAttribute(int outChannels, int kernelHeight, int kernelWidth)
        : base(outChannels, kernelHeight, kernelWidth)
    {
    }

    /// <summary>Extra rows/columns added on the bottom/right to pick one of the possible output sizes.</summary>
    public int OutputPadding { get; set; }

    /// <summary>Vertical output padding.</summary>
    public int OutputPaddingH { get; set; }

    /// <summary>Horizontal output padding.</summary>
    public int OutputPaddingW { get; set; }
}
