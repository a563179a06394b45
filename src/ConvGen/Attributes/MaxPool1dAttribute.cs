namespace ConvGen;

/// <summary>
/// PyTorch's <c>nn.MaxPool1d</c>: the largest value in each window; padding reads as −∞.
/// </summary>
public sealed class MaxPool1dAttribute : Pool1dLayerAttribute
{
    /// <summary>A window of <paramref name="kernelSize"/> samples.</summary>
    public MaxPool1dAttribute(int kernelSize)
        : base(kernelSize)
    {
    }

    /// <summary>Spacing between window taps (default 1).</summary>
    public int Dilation { get; set; } = 1;
}
