namespace ConvGen;

/// <summary>
/// PyTorch's <c>nn.Conv1d</c>: weight <c>[C_out, C_in/groups, k]</c>. <c>Pad = Pad.Causal</c> pads d(k−1)
/// on the left only, so output t depends on inputs up to t.
/// </summary>
public sealed class Conv1dAttribute : LayerAttribute
{
    /// <summary>A convolution with <paramref name="outChannels"/> outputs and a kernel of <paramref name="kernelSize"/> taps.</summary>
    public Conv1dAttribute(int outChannels, int kernelSize)
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

    /// <summary>Symmetric padding.</summary>
    public int Padding { get; set; }

    /// <summary>Padding on the left (defaults to <c>Padding</c>).</summary>
    public int PadLeft { get; set; }

    /// <summary>Padding on the right (defaults to <c>Padding</c>).</summary>
    public int PadRight { get; set; }

    /// <summary>'same', 'valid', causal, or the explicit numbers (default).</summary>
    public Pad Pad { get; set; }

    /// <summary>What is read outside the input (default zeros).</summary>
    public PaddingMode PaddingMode { get; set; }
}
