namespace ConvGen;

/// <summary>
/// What <see cref="Conv1dAttribute"/> and <see cref="ConvTranspose1dAttribute"/> share: channels, kernel,
/// stride, dilation, groups, bias and symmetric padding.
/// </summary>
public abstract class Convolution1dLayerAttribute : LayerAttribute
{
    /// <summary>A layer with <paramref name="outChannels"/> outputs and a kernel of <paramref name="kernelSize"/> taps.</summary>
    private protected Convolution1dLayerAttribute(int outChannels, int kernelSize)
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

    /// <summary>Symmetric padding (default 0).</summary>
    public int Padding { get; set; }

    /// <summary>What is read outside the input (default zeros).</summary>
    public PaddingMode PaddingMode { get; set; }
}
