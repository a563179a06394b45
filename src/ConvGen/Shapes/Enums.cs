namespace ConvGen.Shapes;

/// <summary>Every layer the declaration language has. Dimensionality is carried separately.</summary>
internal enum LayerKind
{
    Conv,
    ConvTranspose,
    MaxPool,
    AvgPool,
    GlobalAvgPool,
    BatchNorm,
    ReLU,
    LeakyReLU,
    ReLU6,
    Sigmoid,
    Tanh,
    SiLU,
    Identity,
    Dropout,
    Flatten,
    Linear,
    Upsample,
    PixelShuffle,
    PixelUnshuffle,
    Save,
    Add,
    Concat,
}

/// <summary>How a convolution's padding is chosen (mirrors the public <c>ConvGen.Pad</c>).</summary>
internal enum PadRule
{
    Explicit = 0,
    Same = 1,
    Valid = 2,
    Causal = 3,
}

/// <summary>What is read outside the input (mirrors the public <c>ConvGen.PaddingMode</c>).</summary>
internal enum BorderMode
{
    Zeros = 0,
    Reflect = 1,
    Replicate = 2,
    Circular = 3,
}
