using System.Collections.Generic;
using System.Linq;

namespace ConvGen.Generator.Emit.Strategies;

/// <summary>
/// A network's linear head (the linear layers at its end, after the last tensor with a map) run over a chunk of up to
/// <see cref="Chunk"/> samples at once when <c>Forward</c> gets a batch. For one sample a linear layer is a
/// matrix-vector product: every packed weight vector is loaded for a single multiply-add, so the layer streams its
/// whole weight matrix from cache per sample. Over a chunk, each weight vector loaded serves a tile of S samples, the
/// samples' inputs broadcast as a channel tile broadcasts positions. The per-sample kernel's packed weights and store
/// epilogue are reused as they are, and each output is computed by the very same operations in the same order (bias
/// first, the same split of the reduction into partial sums, the same sum of them): a sample's result is bitwise the
/// same whether it ran alone or in a chunk, at any batch size and on any worker.
/// </summary>
internal static class BatchedLinear
{
    /// <summary>Samples per chunk: the head's activations of a chunk are a few rows per layer in the workspace.</summary>
    public const int Chunk = 8;

    private static string L(long value) => Literals.Int(value);

    /// <summary>
    /// Where the linear head starts in <paramref name="ops"/>: the first of the trailing linear layers that read one
    /// vector per sample and add no residual, or <c>ops.Count</c> when the network does not end in one.
    /// </summary>
    public static int HeadStart(IReadOnlyList<Op> ops)
    {
        int start = ops.Count;
        while (start > 0 && Fits(ops[start - 1]))
        {
            start--;
        }

        return start;
    }

    private static bool Fits(Op op)
        => op.Kind == OpKind.Linear && op.Skip is null && op.Part is null
            && op.Choice is { Strategy: ChannelTileConv, OutputBlocks: null } c
            && c.Problem.Positions == 1 && c.Problem.Groups == 1 && !c.Input.Prepared && c.Input.ChannelStride == 1;

    /// <summary>Vectors of output channels a register tile holds: each broadcast input then feeds three multiply-adds.</summary>
    public const int TileVectors = 3;

    /// <summary>
    /// Samples a register tile holds: with <see cref="TileVectors"/> vectors, S × 3 × splits accumulators within 12
    /// (with 3 weight vectors and a broadcast, the 16 registers of AVX2), and S divides <see cref="Chunk"/>.
    /// </summary>
    public static int TileSamples(KernelChoice c) => c.Splits switch { 1 => 4, 2 => 2, _ => 1 };

    /// <summary>The chunk kernel's name.</summary>
    public static string MethodName(Op op) => op.MethodName + "_Chunk";

    public static string Parameters(Op op)
        => "global::System.ReadOnlySpan<float> input, global::System.Span<float> output, global::System.ReadOnlySpan<float> weight"
            + (op.BiasField is null ? "" : ", global::System.ReadOnlySpan<float> bias") + ", int count";

    /// <summary>The comment of the chunk kernel.</summary>
    public static string Describe(Op op)
    {
        var c = op.Choice!;
        var p = c.Problem;
        return string.Format(
            System.Globalization.CultureInfo.InvariantCulture,
            "{0} over count (1 to {1}) samples at once: rows of {2} floats in, rows of {3} out. Register tile {4} sample(s) × {7} vectors of output channels (1 sample for fewer than {4}): each weight vector loaded serves {4} samples, each input broadcast {7} vectors. {5}'s packed weights, {6} and store, so every output is bitwise what {5} computes for its sample alone.",
            op.MethodName,
            Chunk,
            p.InChannels,
            p.OutChannels,
            TileSamples(c),
            op.MethodName,
            c.Splits > 1 ? $"its reduction split {c.Splits} ways" : "its reduction in order",
            TileVectors);
    }

    public static void Emit(SourceWriter w, Op op)
    {
        var c = op.Choice!;
        var p = c.Problem;
        int k = p.InChannels, m = p.OutChannels, samples = TileSamples(c);
        string block = c.Vectors == 1 ? "Lanes" : $"(Lanes * {L(c.Vectors)})";
        w.Line("ref float x = ref Start(input);");
        w.Line("ref float y = ref Start(output);");
        w.Line("ref float w = ref Start(weight);");
        if (op.BiasField is not null)
        {
            w.Line("ref float bs = ref Start(bias);");
        }

        w.Line($"int last = ({L(m - 1)} / Lanes) * Lanes; // the first channel of the last vector");
        w.Line($"// {TileVectors} vectors of output channels at a time (the last group repeats vectors of the one before it where the channels run out),");
        w.Line($"// each read from its packed block of {block} channels: [block][{L(k)}][{block}].");
        w.Open($"for (int cg = 0; cg < {L(m)}; cg += {TileVectors} * Lanes)");
        for (int v = 0; v < TileVectors; v++)
        {
            w.Line($"int cv{v} = global::System.Math.Min(cg{(v == 0 ? "" : v == 1 ? " + Lanes" : $" + ({v} * Lanes)")}, last);");
            w.Line($"int lanes{v} = global::System.Math.Min(Lanes, {L(m)} - cv{v});");
            w.Line($"ref float wv{v} = ref At(ref w, ((cv{v} / {block}) * {L(k)} * {block}) + (cv{v} % {block}));");
        }

        if (samples > 1)
        {
            w.Open($"if (count >= {L(samples)})");
            w.Open($"for (int n = 0; n < count; n += {L(samples)})");
            w.Line($"int q = global::System.Math.Min(n, count - {L(samples)}); // the last tile overlaps the one before it");
            Tile(w, op, samples, block);
            w.Close().Close();
            w.Open("else");
        }

        w.Open("for (int q = 0; q < count; q++)");
        Tile(w, op, 1, block);
        w.Close();
        if (samples > 1)
        {
            w.Close();
        }

        w.Close();
    }

    /// <summary>Samples q … q + <paramref name="samples"/> − 1 of three channel vectors, each output reduced exactly as the per-sample kernel reduces it.</summary>
    private static void Tile(SourceWriter w, Op op, int samples, string block)
    {
        var c = op.Choice!;
        var p = c.Problem;
        int k = p.InChannels, m = p.OutChannels, splits = c.Splits;
        string Acc(int j, int v, int s) => splits == 1 ? $"acc{j}_{v}" : $"acc{j}_{v}_{s}";
        for (int j = 0; j < samples; j++)
        {
            w.Line($"ref float x{j} = ref At(ref x, {(j == 0 ? "q" : $"(q + {L(j)})")} * {L(k)});");
        }

        for (int s = 0; s < splits; s++)
        {
            for (int j = 0; j < samples; j++)
            {
                for (int v = 0; v < TileVectors; v++)
                {
                    w.Line($"var {Acc(j, v, s)} = {(op.BiasField is not null && s == 0 ? $"Load(ref bs, cv{v})" : "Zero")};");
                }
            }
        }

        w.Line("nint o = 0; // the reduction step's offset into each packed weight row");
        void Step(string index, int s)
        {
            for (int v = 0; v < TileVectors; v++)
            {
                w.Line($"var w{s}_{v} = Load(ref wv{v}, o{(s == 0 ? "" : $" + ({block} * {L(s)})")});");
            }

            for (int j = 0; j < samples; j++)
            {
                w.Line($"var x{s}_{j} = Splat(At(ref x{j}, {index}));");
                for (int v = 0; v < TileVectors; v++)
                {
                    w.Line($"{Acc(j, v, s)} = Fma(w{s}_{v}, x{s}_{j}, {Acc(j, v, s)});");
                }
            }
        }

        if (splits > 1)
        {
            w.Line("int k = 0;");
            w.Open($"for (; k <= {L(k - splits)}; k += {L(splits)})");
            for (int s = 0; s < splits; s++)
            {
                Step(s == 0 ? "k" : $"k + {L(s)}", s);
            }

            w.Line($"o += {block} * {L(splits)};");
            w.Close();
        }

        w.Open($"for ({(splits > 1 ? "" : "int k = 0")}; k < {L(k)}; k++)");
        Step("k", 0);
        w.Line($"o += {block};");
        w.Close();
        string store = op.MethodName + "_Store";
        for (int j = 0; j < samples; j++)
        {
            string row = j == 0 ? "q" : $"(q + {L(j)})";
            for (int v = 0; v < TileVectors; v++)
            {
                string value = splits == 1 ? Acc(j, v, 0) : string.Join(" + ", Enumerable.Range(0, splits).Select(s => Acc(j, v, s)));
                w.Line($"{store}({value}, ref y, ({row} * {L(m)}) + cv{v}, lanes{v});");
            }
        }
    }
}
