namespace ConvGen.Benchmarks.Onnx;

/// <summary>
/// What one slot of a <see cref="NetworkSpec"/> computes. The names are ConvGen's attribute spellings (its layer table's
/// <c>Kind</c>), so a description can be checked slot by slot against the generated network it stands for.
/// </summary>
public enum LayerSpecKind
{
    /// <summary>nn.Conv2d.</summary>
    Conv2d,

    /// <summary>nn.ConvTranspose2d (square kernel, stride and padding).</summary>
    ConvTranspose2d,

    /// <summary>nn.BatchNorm2d in eval mode (running statistics).</summary>
    BatchNorm2d,

    /// <summary>nn.ReLU.</summary>
    ReLU,

    /// <summary>nn.MaxPool2d with stride = kernel.</summary>
    MaxPool2d,

    /// <summary>nn.AdaptiveAvgPool2d(1).</summary>
    GlobalAvgPool,

    /// <summary>nn.Flatten.</summary>
    Flatten,

    /// <summary>nn.Linear.</summary>
    Linear,

    /// <summary>Names the current tensor for a later <see cref="Add"/>; computes nothing.</summary>
    Save,

    /// <summary>Adds a saved tensor, optionally through a 1x1 convolution (no bias) and a BatchNorm.</summary>
    Add,
}
