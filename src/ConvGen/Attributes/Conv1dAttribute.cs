namespace ConvGen;

/// <summary>
/// PyTorch's <c>nn.Conv1d</c>: weight <c>[C_out, C_in/groups, k]</c>. <c>Pad = Pad.Causal</c> pads d(k−1)
/// on the left only, so output t depends on inputs up to t.
/// </summary>
public sealed class Conv1dAttribute : Convolution1dLayerAttribute
{
    /// <summary>A convolution with <paramref name="outChannels"/> outputs and a kernel of <paramref name="kernelSize"/> taps.</summary>
    public Conv1dAttribute(int outChannels, int kernelSize)
        : base(outChannels, kernelSize)
    {
    }

    /// <summary>Padding on the left (defaults to <c>Padding</c>).</summary>
    public int PadLeft { get; set; }

    /// <summary>Padding on the right (defaults to <c>Padding</c>).</summary>
    public int PadRight { get; set; }

    /// <summary>'same', 'valid', causal, or the explicit numbers (default).</summary>
    public Pad Pad { get; set; }
}
