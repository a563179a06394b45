using System.Linq;

namespace ConvGen.Generator.Emit.Strategies;

/// <summary>
/// The one place where a convolution or linear layer's kernel is chosen: every strategy in <see cref="Strategies"/>
/// proposes its register tiles with an estimated cost, and the cheapest wins (ties go to the earlier strategy, then to
/// the earlier tile, so the choice is deterministic). The estimates model a core with 16 vector registers of 8 floats
/// (AVX2), two FMA pipes and 4 cycles of FMA latency: the fastest hardware the kernels are tuned for here. Kernels
/// still run with any <c>Vector&lt;float&gt;</c> width; only the choice assumes 8 lanes.
/// </summary>
internal static class CostModel
{
    /// <summary>The strategy table, in order of preference on equal cost.</summary>
    public static readonly ConvStrategy[] Strategies = { new RowTileConv(), new ChannelTileConv(), new DepthwiseLanesConv(), new WinogradConv(), new PhaseTransposeConv(), new ScatterTransposeConv() };

    /// <summary>
    /// Tests only (set by reflection): restricts the candidates, on the calling thread, to those whose description
    /// (<see cref="ConvStrategy.Describe"/>) it accepts; where it accepts none, the layer is chosen as usual. So every
    /// strategy and tile can be checked on shapes it would not win.
    /// </summary>
#pragma warning disable CS0649 // assigned by reflection from the tests only
    [System.ThreadStatic]
    private static System.Func<string, bool>? testFilter;
#pragma warning restore CS0649

    /// <summary>The cheapest kernel for <paramref name="problem"/>.</summary>
    public static KernelChoice Choose(ConvProblem problem) => Choose(problem, Strategies.Where(s => s.Transposed == problem.Transposed))!;

    /// <summary>
    /// The cheapest kernel of the strategies of type <typeparamref name="T"/> for <paramref name="problem"/>, or null
    /// where it has none (the schedule weighs it against the first choice where a hand-off between kernels would save work).
    /// </summary>
    public static KernelChoice? Cheapest<T>(ConvProblem problem)
        where T : ConvStrategy
        => Choose(problem, Strategies.OfType<T>());

    private static KernelChoice? Choose(ConvProblem problem, System.Collections.Generic.IEnumerable<ConvStrategy> strategies)
    {
        var candidates = strategies.SelectMany(s => s.Candidates(problem)).ToList();
        if (candidates.Count == 0)
        {
            return null;
        }

        if (testFilter is { } filter && candidates.Any(c => filter(c.Strategy.Describe(c))))
        {
            candidates = candidates.Where(c => filter(c.Strategy.Describe(c))).ToList();
        }

        var best = candidates[0];
        foreach (var candidate in candidates)
        {
            if (candidate.Cycles < best.Cycles)
            {
                best = candidate;
            }
        }

        best.Candidates = candidates.Count;
        return best;
    }
}
