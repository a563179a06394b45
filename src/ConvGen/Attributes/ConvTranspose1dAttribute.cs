namespace ConvGen;

/// <summary>
/// PyTorch's <c>nn.ConvTranspose1d</c>: weight <c>[C_in, C_out/groups, k]</c>, output length
/// (n − 1)s − 2p + d(k − 1) + output_padding + 1. Zeros padding only.
/// </summary>
public sealed class ConvTranspose1dAttribute : LayerAttribute
{
    /// <summary>A transposed convolution with <paramref name="outChannels"/> outputs and <paramref name="kernelSize"/> taps.</summary>
    public ConvTranspose1dAttribute(int outChannels, int kernelSize)
    {
        OutChannels = outChannels;
        KernelSize = kernelSize;
    }

    /// <summary>Output channels.</summary>
    public int OutChannels { get; }

    /// <summary>Kernel taps.</summary>
    public int KernelSize { get; }

    /// <summary>Stride (default 1).</summary>
    public int Stride { get; set; } = 1;

    /// <summary>Dilation (default 1).</summary>
    public int Dilation { get; set; } = 1;

    /// <summary>Channel groups (default 1).</summary>
    public int Groups { get; set; } = 1;

    /// <summary>Whether the layer has a bias (default true).</summary>
    public bool Bias { get; set; } = true;

    /// <summary>Implicit padding removed from both ends of the output (default 0).</summary>
    public int Padding { get; set; }

    /// <summary>Extra samples added on the right to pick one of the possible output lengths.</summary>
    public int OutputPadding { get; set; }

    /// <summary>Only <see cref="ConvGen.PaddingMode.Zeros"/> is valid, as in PyTorch.</summary>
    public PaddingMode PaddingMode { get; set; }
}
