using System.Globalization;

namespace ConvGen.Generator.Emit.Strategies;

/// <summary>
/// One way to compute a convolution or linear layer: a strategy, its register tile and the input layout it reads,
/// with the cost model's estimate. The cheapest candidate becomes the op's kernel (see <see cref="CostModel"/>).
/// </summary>
internal sealed class KernelChoice
{
    public KernelChoice(ConvStrategy strategy, ConvProblem problem, ConvInput input, int rows, int vectors)
    {
        Strategy = strategy;
        Problem = problem;
        Input = input;
        Rows = rows;
        Vectors = vectors;
    }

    public ConvStrategy Strategy { get; }

    public ConvProblem Problem { get; }

    public ConvInput Input { get; }

    /// <summary>Tile rows: output channels (row tile) or output positions (channel tile).</summary>
    public int Rows { get; }

    /// <summary>Tile columns, in vectors: of output positions (row tile) or of output channels (channel tile).</summary>
    public int Vectors { get; }

    /// <summary>Channel tile: independent partial sums per accumulator (the reduction is split to hide FMA latency).</summary>
    public int Splits { get; init; } = 1;

    /// <summary>Row tile: positions run as one flattened range over the plane's row pitch instead of row by row.</summary>
    public bool Flat { get; init; }

    /// <summary>Estimated cycles for one sample (the cost model's unit; only comparisons between candidates matter).</summary>
    public double Cycles { get; init; }

    public int Accumulators => Rows * Vectors * Splits;

    /// <summary>Row tile, flat: the flattened range has row pitch above the output width, so results go through a scratch tile.</summary>
    public bool Compacts => Flat && Input.PlaneWidth != Problem.OutWidth;

    /// <summary>Row tile, flat: output positions computed, from the first to the last valid one ((H_out − 1)·pitch + W_out).</summary>
    public int FlatLength => ((Problem.OutHeight - 1) * Input.PlaneWidth) + Problem.OutWidth;

    /// <summary>The sentence the generated kernel's comment gives for this choice.</summary>
    public string Describe() => Strategy.Describe(this) + (Note is null
        ? string.Format(CultureInfo.InvariantCulture, " Cost model: about {0:0.##} k cycles per sample, the lowest of {1} candidates.", Cycles / 1000, Candidates)
        : string.Format(CultureInfo.InvariantCulture, " Cost model: about {0:0.##} k cycles per sample, {1}.", Cycles / 1000, Note));

    /// <summary>Why the schedule took this candidate over the cost model's first choice (null: it did not).</summary>
    public string? Note { get; set; }

    /// <summary>How many candidates the cost model compared.</summary>
    public int Candidates { get; set; }

    /// <summary>The kernel writes its output as channel blocks for the next kernel (set after the choice, by the schedule).</summary>
    public ChannelBlocks? OutputBlocks { get; set; }

    /// <summary>The kernel reads its input as channel blocks the kernel before it wrote (set after the choice, by the schedule).</summary>
    public ChannelBlocks? InputBlocks { get; set; }
}
