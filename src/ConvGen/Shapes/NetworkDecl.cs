namespace ConvGen.Shapes;

/// <summary>The network attribute: one input sample's shape, the I/O layout and the unroll budget.</summary>
internal sealed record NetworkDecl(int Channels, int Height, int Width, int Rank, bool ChannelsLast, int UnrollBudget)
{
    public TensorShape InputShape => new(Channels, Rank == 1 ? 1 : Height, Width, Rank);
}
