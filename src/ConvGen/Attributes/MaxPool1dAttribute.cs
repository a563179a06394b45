namespace ConvGen;

/// <summary>
/// PyTorch's <c>nn.MaxPool1d</c>: the largest value in each window; padding reads as −∞.
/// </summary>
public sealed class MaxPool1dAttribute : LayerAttribute
{
    /// <summary>A window of <paramref name="kernelSize"/> samples.</summary>
    public MaxPool1dAttribute(int kernelSize)
    {
        KernelSize = kernelSize;
    }

    /// <summary>Window size.</summary>
    public int KernelSize { get; }

    /// <summary>Stride; when not given, the window size (PyTorch's default).</summary>
    public int Stride { get; set; }

    /// <summary>Symmetric padding, at most half the window.</summary>
    public int Padding { get; set; }

    /// <summary>Use ⌈⌉ instead of ⌊⌋ in the output size; a window that would start in the right padding is dropped.</summary>
    public bool CeilMode { get; set; }

    /// <summary>Spacing between window taps (default 1).</summary>
    public int Dilation { get; set; } = 1;
}
