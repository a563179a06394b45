namespace ConvGen;

/// <summary>What <see cref="MaxPool1dAttribute"/> and <see cref="AvgPool1dAttribute"/> share: window, stride, padding, ceil mode.</summary>
public abstract class Pool1dLayerAttribute : LayerAttribute
{
    /// <summary>A window of <paramref name="kernelSize"/> samples.</summary>
    private protected Pool1dLayerAttribute(int kernelSize)
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
}
