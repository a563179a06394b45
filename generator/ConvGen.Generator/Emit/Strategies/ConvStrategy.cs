using System.Collections.Generic;

namespace ConvGen.Generator.Emit.Strategies;

/// <summary>
/// A way to compute convolutions (and linear layers, which are 1×1 convolutions on a 1×1 map): it proposes register
/// tiles with a cost estimate, packs the weights the way its micro-kernel reads them, and writes the kernel.
/// <see cref="CostModel"/> holds the table of strategies and picks one per layer; a new strategy is a new subclass
/// added to that table.
/// </summary>
internal abstract class ConvStrategy
{
    /// <summary>Short name, written into the generated comment.</summary>
    public abstract string Name { get; }

    /// <summary>Whether it computes transposed convolutions; the cost model offers a problem only the strategies of its kind.</summary>
    public virtual bool Transposed => false;

    /// <summary>Every tile this strategy can run the problem with, each with its estimated cost (none: not applicable).</summary>
    public abstract IEnumerable<KernelChoice> Candidates(ConvProblem problem);

    /// <summary>What the chosen tile does, in a sentence or two for the generated comment.</summary>
    public abstract string Describe(KernelChoice choice);

    /// <summary>The kernel method's body.</summary>
    public abstract void Emit(SourceWriter w, Op op, KernelChoice choice);

    /// <summary>Members the kernel uses besides itself (tap tables, the store epilogue), written after it.</summary>
    public abstract void EmitHelpers(SourceWriter w, Op op, KernelChoice choice);

    /// <summary>The C# expression that repacks <paramref name="weight"/> (PyTorch layout, folded) for the kernel.</summary>
    public abstract string PackWeight(string weight, KernelChoice choice);

    /// <summary>The C# expression that repacks <paramref name="bias"/>, or the field itself when the kernel reads it as it is.</summary>
    public virtual string PackBias(string bias, KernelChoice choice) => bias;

    /// <summary>Floats of the packed weight array.</summary>
    public virtual long WeightLength(KernelChoice choice)
        => (long)choice.Problem.OutChannels * choice.Problem.Depth;

    /// <summary>Floats of the packed bias array.</summary>
    public virtual long BiasLength(KernelChoice choice) => choice.Problem.OutChannels;

    /// <summary>Floats of the kernel's own scratch buffer (0: none).</summary>
    public virtual long ScratchLength(KernelChoice choice) => 0;

    /// <summary>
    /// Cycles of one pass of the micro-kernel's reduction loop with <paramref name="fmas"/> vector multiply-adds and
    /// <paramref name="loads"/> loads or broadcasts, on a core with two FMA pipes of 4 cycles' latency and about 2.5
    /// loads per cycle: throughput-bound with enough accumulators, latency-bound (4 cycles) with fewer than 8.
    /// </summary>
    protected static double PassCycles(int fmas, int loads, int chains)
        => System.Math.Max(System.Math.Max(fmas / 2.0, loads / 2.5), 4.0 / chains) + 0.75;

    protected static int CeilDiv(int a, int b) => (a + b - 1) / b;

    /// <summary>Vector lanes the kernels may have at run time at most (Vector&lt;float&gt; with 512 bits).</summary>
    protected const int MaxLanes = 16;

    /// <summary>The length of <paramref name="count"/> vectors, as an expression.</summary>
    protected static string Vectors(int count) => count switch { 0 => "0", 1 => "Lanes", _ => $"Lanes * {L(count)}" };

    protected static string L(long value) => Literals.Int(value);
}
