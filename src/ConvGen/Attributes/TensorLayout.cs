namespace ConvGen;

/// <summary>Memory layout of a network's input and output spans.</summary>
public enum TensorLayout
{
    /// <summary>Batch, channels, height, width (PyTorch's contiguous layout).</summary>
    Nchw = 0,

    /// <summary>Batch, height, width, channels (PyTorch's channels_last).</summary>
    Nhwc = 1,
}
