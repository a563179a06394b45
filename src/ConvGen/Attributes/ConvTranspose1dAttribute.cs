namespace ConvGen;

/// <summary>
/// PyTorch's <c>nn.ConvTranspose1d</c>: weight <c>[C_in, C_out/groups, k]</c>, output length
/// (n − 1)s − 2p + d(k − 1) + output_padding + 1. Zeros padding only.
/// </summary>
public sealed class ConvTranspose1dAttribute : Convolution1dLayerAttribute
{
    /// <summary>A transposed convolution with <paramref name="outChannels"/> outputs and <paramref name="kernelSize"/> taps.</summary>
    public ConvTranspose1dAttribute(int outChannels, int kernelSize)
        : base(outChannels, kernelSize)
    {
    }

    /// <summary>Extra samples added on the right to pick one of the possible output lengths.</summary>
    public int OutputPadding { get; set; }
}
