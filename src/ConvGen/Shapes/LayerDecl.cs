namespace ConvGen.Shapes;

/// <summary>
/// One declared layer with every hyper-parameter resolved from its attribute (per-dimension values
/// already chosen over the general ones). Plain, equatable data: it is part of the generator's
/// incremental model, so it holds no arrays, symbols or syntax.
/// A 1-D layer uses the width fields; its heights are 1 and its vertical padding 0.
/// </summary>
internal sealed record LayerDecl
{
    public LayerKind Kind { get; init; }

    /// <summary>The attribute's spelling without "Attribute" ("Conv2d"), for messages and comments.</summary>
    public string AttributeName { get; init; } = "";

    /// <summary>1 or 2 for a layer tied to a dimensionality, 0 for one that works on any.</summary>
    public int Rank { get; init; }

    public string? Name { get; init; }

    /// <summary>Output channels (convolutions) or output features (Linear).</summary>
    public int OutChannels { get; init; }

    public int KernelH { get; init; } = 1;
    public int KernelW { get; init; } = 1;
    public int StrideH { get; init; } = 1;
    public int StrideW { get; init; } = 1;
    public int DilationH { get; init; } = 1;
    public int DilationW { get; init; } = 1;
    public int Groups { get; init; } = 1;
    public bool Bias { get; init; } = true;

    /// <summary>Explicit padding as declared (symmetric values already spread to both sides).</summary>
    public int PadTop { get; init; }
    public int PadBottom { get; init; }
    public int PadLeft { get; init; }
    public int PadRight { get; init; }

    /// <summary>Whether any padding number was written in the declaration.</summary>
    public bool PaddingGiven { get; init; }

    public PadRule PadRule { get; init; }
    public BorderMode BorderMode { get; init; }
    public int OutputPaddingH { get; init; }
    public int OutputPaddingW { get; init; }
    public bool CeilMode { get; init; }
    public bool CountIncludePad { get; init; } = true;
    public double Eps { get; init; } = 1e-5;
    public double Momentum { get; init; } = 0.1;
    public bool Affine { get; init; } = true;
    public double NegativeSlope { get; init; } = 0.01;
    public double DropoutP { get; init; } = 0.5;

    /// <summary>Upsample scale or pixel (un)shuffle factor.</summary>
    public int Factor { get; init; } = 1;

    /// <summary>Upsample: linear/bilinear instead of nearest.</summary>
    public bool LinearInterpolation { get; init; }

    /// <summary>Save/Add/Concat: the skip tensor's name.</summary>
    public string? TensorName { get; init; }

    /// <summary>Add: project the saved tensor with 1×1 conv + BatchNorm.</summary>
    public bool Projection { get; init; }

    /// <summary>The attribute derives from ConvGen.LayerAttribute but is not one of ConvGen's layers.</summary>
    public bool Unknown { get; init; }

    /// <summary>The argument holding an enum value its enum does not define (e.g. "(Pad)42"), or null.</summary>
    public string? UndefinedEnum { get; init; }
}
