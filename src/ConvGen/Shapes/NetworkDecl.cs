namespace ConvGen.Shapes;

/// <summary>The network attribute: one input sample's shape, the I/O layout, the unroll budget and the design intent.</summary>
internal sealed record NetworkDecl(int Channels, int Height, int Width, int Rank, bool ChannelsLast, int UnrollBudget)
{
    /// <summary>A sequence model: no layer may see the future.</summary>
    public bool Causal { get; init; }

    /// <summary>A dense-prediction model: the output grid must line up with the input's pixel centres.</summary>
    public bool DensePrediction { get; init; }

    public TensorShape InputShape => new(Channels, Rank == 1 ? 1 : Height, Width, Rank);
}
