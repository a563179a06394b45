namespace ConvGen.Shapes;

/// <summary>
/// A layer after shape inference: its shapes, its padding with 'same'/'causal' resolved to numbers, its
/// parameter and MAC counts and its receptive-field row. <see cref="ParameterPrefix"/> is the state_dict
/// prefix ("3" or the layer's name).
/// </summary>
internal sealed record LayerPlan
{
    public int Index { get; init; }
    public string ParameterPrefix { get; init; } = "";
    public LayerDecl Decl { get; init; } = new();
    public TensorShape Input { get; init; }
    public TensorShape Output { get; init; }

    /// <summary>Resolved padding (convolutions and pooling).</summary>
    public int PadTop { get; init; }
    public int PadBottom { get; init; }
    public int PadLeft { get; init; }
    public int PadRight { get; init; }

    /// <summary>Add/Concat: the saved tensor's shape; Add with projection: the 1×1 conv's stride.</summary>
    public TensorShape Skip { get; init; }
    public int ProjectionStrideH { get; init; } = 1;
    public int ProjectionStrideW { get; init; } = 1;

    public long Parameters { get; init; }
    public long Macs { get; init; }
    public ReceptiveField FieldH { get; init; }
    public ReceptiveField FieldW { get; init; }

    /// <summary>"Conv2d #3 'conv2'" — how messages and comments name the layer.</summary>
    public string Label => LayerLabels.Of(Decl, Index);
}
