namespace ConvGen;

/// <summary>
/// PyTorch's <c>nn.AvgPool1d</c>: the mean of each window.
/// </summary>
public sealed class AvgPool1dAttribute : LayerAttribute
{
    /// <summary>A window of <paramref name="kernelSize"/> samples.</summary>
    public AvgPool1dAttribute(int kernelSize)
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

    /// <summary>Whether padded zeros count in the divisor (default true, as in PyTorch).</summary>
    public bool CountIncludePad { get; set; } = true;
}
