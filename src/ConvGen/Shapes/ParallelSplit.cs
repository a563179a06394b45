namespace ConvGen.Shapes;

/// <summary>
/// How many cores a batch is split across: the one rule, shared by the runtime (which applies it on each call) and
/// the generator (which writes, in each network's Forward, from which batch size on it splits).
/// </summary>
internal static class ParallelSplit
{
    /// <summary>
    /// Work (in the cost model's cycles) each worker must get for a split to pay: waking a parked thread and waiting
    /// for the last one to finish costs about 10-40 µs on the machines measured (docs/performance.md), so a worker
    /// gets at least about 0.1 ms of work (300,000 cycles at 3 GHz), or the batch stays on fewer workers.
    /// </summary>
    public const long MinCyclesPerWorker = 300_000;

    /// <summary>
    /// The workers for <paramref name="batch"/> samples of <paramref name="cyclesPerSample"/> estimated cycles each:
    /// at most <paramref name="maxDegree"/>, <paramref name="processors"/> and the batch, and no more than the work
    /// keeps busy for <see cref="MinCyclesPerWorker"/> each; 1 means the caller's thread alone.
    /// </summary>
    public static int Workers(int maxDegree, int processors, int batch, long cyclesPerSample)
    {
        long byWork = (long)batch * System.Math.Max(cyclesPerSample, 1) / MinCyclesPerWorker;
        long workers = System.Math.Min(System.Math.Min(maxDegree, batch), System.Math.Min(processors, byWork));
        return (int)System.Math.Max(workers, 1);
    }

    /// <summary>The smallest batch that <see cref="Workers"/> splits across two workers (given two processors or more).</summary>
    public static long SmallestSplitBatch(long cyclesPerSample)
    {
        long perSample = System.Math.Max(cyclesPerSample, 1);
        return System.Math.Max(2, ((2 * MinCyclesPerWorker) + perSample - 1) / perSample);
    }
}
