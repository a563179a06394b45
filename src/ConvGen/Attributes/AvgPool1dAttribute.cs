namespace ConvGen;

/// <summary>
/// PyTorch's <c>nn.AvgPool1d</c>: the mean of each window.
/// </summary>
public sealed class AvgPool1dAttribute : Pool1dLayerAttribute
{
    /// <summary>A window of <paramref name="kernelSize"/> samples.</summary>
    public AvgPool1dAttribute(int kernelSize)
        : base(kernelSize)
    {
    }

    /// <summary>Whether padded zeros count in the divisor (default true, as in PyTorch).</summary>
    public bool CountIncludePad { get; set; } = true;
}
