using System.Collections.Generic;
using System.Globalization;

namespace ConvGen.Generator.Emit.Strategies;

/// <summary>
/// Convolution with output channels on the vector lanes (and linear layers, its case of one position): a register tile
/// of P output positions × V vectors of output channels. Per step of the reduction (input channel × tap, from a table
/// of input offsets) the kernel loads V vectors of packed weights (per block of the tile's channels, [C_in/g][taps][block]: one contiguous stream)
/// and broadcasts one input float per position: no lane is spent on a narrow row, and strides cost nothing, since
/// each position is addressed on its own. Padded layers read the zero-padded copy. With few accumulators the
/// reduction is split into independent partial sums. The store writes each lane to its channel's place in NCHW.
/// </summary>
internal sealed class ChannelTileConv : ConvStrategy
{
    public override string Name => "channel tile";

    public override IEnumerable<KernelChoice> Candidates(ConvProblem p)
    {
        var input = p.Padded ? p.PaddedCopy : p.Unprepared;
        int positions = p.Positions;
        for (int rows = 1; rows <= System.Math.Min(8, positions); rows++)
        {
            for (int vectors = 1; vectors <= System.Math.Min(CeilDiv(p.OutPerGroup, 8), 6); vectors++)
            {
                foreach (int splits in new[] { 1, 2, 4 })
                {
                    int accumulators = rows * vectors * splits;
                    if (accumulators + vectors + 1 > 16 || (splits > 1 && rows * vectors * (splits / 2) >= 8))
                    {
                        continue;
                    }

                    double perStep = (p.Depth * PassCycles(rows * vectors, rows + vectors, splits)) + StoreCycles(p, rows, vectors) + (rows * 4) + 6;
                    int blocks = p.Groups * CeilDiv(p.OutPerGroup, vectors * 8);
                    double cycles = (blocks * CeilDiv(positions, rows) * perStep) + RowTileConv.Prepare(p, input);
                    yield return new KernelChoice(this, p, input, rows, vectors) { Splits = splits, Cycles = cycles };
                }
            }
        }
    }

    /// <summary>
    /// The epilogue stores the tile through in-register transposes (<c>TileStore</c>, pieces of 8, 4, 2 and 1
    /// positions): each channel's positions leave together (a residual is then added in place). A layer with one
    /// position per channel (a linear layer) stores its channel vectors as they are.
    /// </summary>
    private static bool Transposes(ConvProblem p) => p.Positions > 1;

    /// <summary>
    /// The tile's positions as the transposing stores take them, as (first position, count): pieces of 8, then of 4 and
    /// 2, where an odd remainder is covered by a piece moved back over positions already stored (a position written
    /// twice gets the same value), since storing one position alone goes lane by lane. Only a one-position tile does.
    /// </summary>
    internal static IEnumerable<(int Start, int Size)> Pieces(int rows)
    {
        if (rows == 1)
        {
            yield return (0, 1);
            yield break;
        }

        int start = 0;
        for (; rows - start >= 8; start += 8)
        {
            yield return (start, 8);
        }

        int left = rows - start;
        if (left >= 4)
        {
            yield return (start, 4);
            start += 4;
            left -= 4;
            if (left == 3)
            {
                yield return (rows - 4, 4);
                yield break;
            }
        }

        if (left >= 2)
        {
            yield return (start, 2);
            left -= 2;
        }

        if (left == 1)
        {
            yield return (rows - 2, 2);
        }
    }

    /// <summary>
    /// Cycles of a tile's transposing stores per vector of channels: an 8×8 transpose and its 8 stores about 16, 4×8
    /// about 8, 2×8 about 6, a single position's lanes about 24; a residual added in place about 1.5 a float; estimated
    /// from the JIT's code.
    /// </summary>
    internal static double TransposedStoreCycles(ConvProblem p, int rows)
    {
        double cycles = 0;
        foreach (var (_, size) in Pieces(rows))
        {
            cycles += size switch { 8 => 16, 4 => 8, 2 => 6, _ => 24 };
        }

        return cycles + (p.Residual ? rows * 8 * 1.5 : 0);
    }

    // A linear layer's vector store about 2 cycles (6 with the residual); other layers transpose.
    private static double StoreCycles(ConvProblem p, int rows, int vectors)
        => Transposes(p) ? vectors * TransposedStoreCycles(p, rows) : rows * vectors * (p.Residual ? 6.0 : 2.0);

    public override string Describe(KernelChoice c)
    {
        string what = c.Problem.Linear ? "linear" : c.Problem.Taps == 1 ? "pointwise" : "direct";
        string split = c.Splits > 1 ? string.Format(CultureInfo.InvariantCulture, ", the reduction split {0} ways", c.Splits) : "";
        string store = c.OutputBlocks is { } blocks
            ? string.Format(CultureInfo.InvariantCulture, " It writes {0}'s zero-framed channel blocks ({1}×{2} vectors of Lanes channels each) instead of [C, H, W]: each accumulator vector is stored at its position's cell, with no transpose.", blocks.ConsumerName, blocks.FrameHeight, blocks.FrameWidth)
            : Transposes(c.Problem) ? " The tile is transposed in registers to store each channel's positions at once." : "";
        return string.Format(
            CultureInfo.InvariantCulture,
            "Strategy: {0}, {1}: {2} position(s) × {3} vector(s) of output channels = {4} accumulators{5}; weights packed per block of {3} vector(s) as [C_in/g][taps][block], {6} channels per group with padding.{7}",
            Name, what, c.Rows, c.Vectors, c.Accumulators, split, PaddedChannels(c), store);
    }

    /// <summary>Output channels per group, padded so that every vector load stays inside the packed row at any width up to 16 lanes.</summary>
    internal static int PaddedChannels(KernelChoice c) => CeilDiv(c.Problem.OutPerGroup, c.Vectors * MaxLanes) * c.Vectors * MaxLanes;

    public override string PackWeight(string weight, KernelChoice c)
    {
        var p = c.Problem;
        return $"global::ConvGen.Kernels.WeightPacking.ChannelLanes({weight}, {L(p.Groups)}, {L(p.OutChannels)}, {L(p.InPerGroup)}, {L(p.Taps)}, {L(PaddedChannels(c))}, global::System.Numerics.Vector<float>.Count{(c.Vectors == 1 ? "" : " * " + L(c.Vectors))})";
    }

    public override string PackBias(string bias, KernelChoice c)
        => $"global::ConvGen.Kernels.WeightPacking.PaddedBias({bias}, {L(c.Problem.Groups)}, {L(PaddedChannels(c))})";

    public override long WeightLength(KernelChoice c) => (long)c.Problem.Groups * c.Problem.Depth * PaddedChannels(c);

    public override long BiasLength(KernelChoice c) => (long)c.Problem.Groups * PaddedChannels(c);

    private static string Table(Op op) => op.MethodName + "_Offsets";

    private static string StoreMethod(Op op) => op.MethodName + "_Store";

    private static string Cells(Op op) => op.MethodName + "_Cells";

    public override void EmitHelpers(SourceWriter w, Op op, KernelChoice c)
    {
        var p = c.Problem;
        if (p.Taps > 1 && !(c.Splits == 1 && RowTileConv.UnrollsTaps(op, c)))
        {
            TapTable.Emit(w, Table(op), "(input channel, tap)", TapTable.Offsets(p, c.Input, p.InPerGroup));
        }

        if (c.OutputBlocks is { } blocks)
        {
            var cells = new List<string>();
            for (int oh = 0; oh < p.OutHeight; oh++)
            {
                for (int ow = 0; ow < p.OutWidth; ow++)
                {
                    cells.Add(L(blocks.Cell(oh, ow)));
                }
            }

            TapTable.EmitTable(w, Cells(op), $"The cell (vector) of {blocks.ConsumerName}'s frame that each output position (row-major) is stored to.", cells);
        }

        if (Transposes(p))
        {
            return;
        }

        // One position per channel (a linear layer, a 1×1 map): the channels are contiguous, a whole vector stores as it is.
        bool residual = op.Skip is not null;
        w.Line();
        w.Line($"/// <summary>{Summary.XmlEscape(op.MethodName)}'s epilogue: the first <paramref name=\"count\"/> lanes (output channels) of <paramref name=\"v\"/> to their places{(residual ? ", plus the residual" : "")}{(op.Activation is null ? "" : ", activated")}.</summary>");
        w.Line("[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]");
        w.Open($"private static void {StoreMethod(op)}(global::System.Numerics.Vector<float> v, ref float y, {(residual ? "ref float s, " : "")}int offset, int count)");
        w.Open("if (count == Lanes)");
        VectorStore.Emit(w, op, "v", "y", "offset", residual: true, activation: true);
        w.Line("return;");
        w.Close();
        w.Open("for (int lane = 0; lane < count; lane++)");
        w.Line("int k = offset + lane;");
        string value = residual ? "v[lane] + At(ref s, k)" : "v[lane]";
        w.Line($"At(ref y, k) = {op.Activation?.Apply(value) ?? value};");
        w.Close();
        w.Close();
    }

    public override void Emit(SourceWriter w, Op op, KernelChoice c)
    {
        var p = c.Problem;
        int rows = c.Rows, vectors = c.Vectors, splits = c.Splits, depth = p.Depth, padded = PaddedChannels(c);
        var input = c.Input;
        Kernels.Prologue(w, op);
        if (op.BiasField is not null)
        {
            w.Line("ref float bs = ref Start(bias);");
        }

        bool unrolled = splits == 1 && RowTileConv.UnrollsTaps(op, c);
        if (p.Taps > 1 && !unrolled)
        {
            w.Line($"ref int offsets = ref Start({Table(op)});");
        }

        if (c.OutputBlocks is { } frames)
        {
            w.Line($"ref int cells = ref Start({Cells(op)});");
            w.Line($"// {frames.ConsumerName}'s padding reads the frames' borders: zero them (the tile fills every interior cell).");
            w.Line($"global::ConvGen.Kernels.Layout.ClearFrameBorders(output, ({L(p.OutChannels)} + Lanes - 1) / Lanes, {L(frames.FrameHeight)}, {L(frames.FrameWidth)}, {L(frames.Top)}, {L(frames.Left)}, {L(frames.Height)}, {L(frames.Width)});");
        }

        bool grouped = p.Groups > 1;
        if (grouped)
        {
            w.Open($"for (int g = 0; g < {L(p.Groups)}; g++)");
            w.Line($"ref float xg = ref At(ref x, g * {L(p.InPerGroup * input.ChannelStride)});");
            w.Line($"ref float wg = ref At(ref w, g * {L(depth * padded)});");
        }
        else
        {
            w.Line("ref float xg = ref x;");
            w.Line("ref float wg = ref w;");
        }

        string step = vectors == 1 ? "Lanes" : $"(Lanes * {L(vectors)})";
        w.Line($"// Output channels {step} at a time, {rows} position(s) per step; the reduction runs over {depth} {(p.Taps > 1 ? "(input channel, tap) pairs" : "input channels")}.");
        w.Open($"for (int cb = 0; cb < {L(p.OutPerGroup)}; cb += {step})");
        w.Line($"ref float wb = ref At(ref wg, cb * {L(depth)}); // this block's weights: [{L(depth)}][{step}]");
        w.Open($"for (int start = 0; start < {L(p.Positions)}; start += {L(rows)})");
        w.Line(rows < p.Positions ? $"int q = global::System.Math.Min(start, {L(p.Positions - rows)}); // the last step overlaps the one before it" : "const int q = 0;");
        // Where the input's row pitch is the output width and the stride 1, consecutive positions read consecutive floats:
        // one pointer serves the whole tile.
        bool contiguous = Contiguous(p, input);
        if (contiguous)
        {
            w.Line($"ref float x0 = ref At(ref xg, q); // positions q … q + {L(rows - 1)} read consecutive floats");
        }

        for (int j = 0; j < rows && !contiguous; j++)
        {
            string position = j == 0 ? "q" : $"(q + {L(j)})";
            w.Line(p.Positions == 1 ? $"ref float x{j} = ref xg;" : $"ref float x{j} = ref At(ref xg, {Base(p, input, position)});");
        }

        string Acc(int j, int v, int s) => splits == 1 ? $"acc{j}_{v}" : $"acc{j}_{v}_{s}";
        string Column(int v) => v == 0 ? "" : v == 1 ? " + Lanes" : $" + (Lanes * {L(v)})";
        string biasAt = grouped ? $"(g * {L(padded)}) + cb" : "cb";
        for (int s = 0; s < splits; s++)
        {
            for (int j = 0; j < rows; j++)
            {
                for (int v = 0; v < vectors; v++)
                {
                    string init = op.BiasField is not null && s == 0 ? $"Load(ref bs, {biasAt}{Column(v)})" : "Zero";
                    w.Line($"var {Acc(j, v, s)} = {init};");
                }
            }
        }

        w.Line("ref float ws = ref wb;");
        // One reduction step into partial sum s: k is the step's index, or with taps written out the tap's literal
        // input offset is given instead.
        void Step(string k, int s, int? tapOffset = null)
        {
            string offset = $"o{s}";
            if (tapOffset is null)
            {
                w.Line($"nint o{s} = {(depth == 1 ? "0" : p.Taps == 1 ? Expr.Sum(0, (k, input.ChannelStride)) : $"At(ref offsets, {k})")};");
            }

            // Position j's input float: through its own pointer, or at j past position 0's.
            string InputAt(int j) => tapOffset is int t ? L(t + (contiguous ? j : 0)) : contiguous && j > 0 ? $"{offset} + {L(j)}" : offset;

            for (int v = 0; v < vectors; v++)
            {
                w.Line($"var w{s}_{v} = Load(ref ws, {Vectors((s * vectors) + v)});");
            }

            for (int j = 0; j < rows; j++)
            {
                w.Line($"var x{s}_{j} = Splat(At(ref x{(contiguous ? 0 : j)}, {InputAt(j)}));");
                for (int v = 0; v < vectors; v++)
                {
                    w.Line($"{Acc(j, v, s)} = Fma(w{s}_{v}, x{s}_{j}, {Acc(j, v, s)});");
                }
            }
        }

        if (unrolled)
        {
            // Taps written out, their input offsets literals; the loop runs over input channels.
            if (p.InPerGroup > 1)
            {
                w.Open($"for (int ci = 0; ci < {L(p.InPerGroup)}; ci++)");
            }

            for (int a = 0; a < p.KernelH; a++)
            {
                for (int col = 0; col < p.KernelW; col++)
                {
                    int tap = (a * p.KernelW) + col;
                    w.Line($"// tap ({a}, {col})");
                    Step("", tap, tapOffset: input.TapOffset(a, col, p.DilationH, p.DilationW));
                }
            }

            if (p.InPerGroup > 1)
            {
                for (int j = 0; j < (contiguous ? 1 : rows); j++)
                {
                    w.Line($"x{j} = ref At(ref x{j}, {L(input.ChannelStride)});");
                }

                w.Line($"ws = ref At(ref ws, {Vectors(p.Taps * vectors)});");
                w.Close();
            }
        }
        else if (splits > 1)
        {
            w.Line("int k = 0;");
            w.Open($"for (; k <= {L(depth - splits)}; k += {L(splits)})");
            for (int s = 0; s < splits; s++)
            {
                Step(s == 0 ? "k" : $"(k + {L(s)})", s);
            }

            w.Line($"ws = ref At(ref ws, {Vectors(splits * vectors)});");
            w.Close();
        }

        if (!unrolled)
        {
            w.Open($"for ({(splits > 1 ? "" : "int k = 0")}; k < {L(depth)}; k++)");
            Step("k", 0);
            w.Line($"ws = ref At(ref ws, {step});");
            w.Close();
        }

        for (int j = 0; j < rows; j++)
        {
            for (int v = 0; v < vectors; v++)
            {
                if (splits > 1)
                {
                    var parts = new List<string>();
                    for (int s = 0; s < splits; s++)
                    {
                        parts.Add(Acc(j, v, s));
                    }

                    w.Line($"var acc{j}_{v} = {string.Join(" + ", parts)};");
                }
            }
        }

        if (c.OutputBlocks is { } blocks)
        {
            // Channel blocks for the depthwise kernel: accJ_V is block (cb + V·Lanes) / Lanes at position q + J's cell.
            w.Line($"// accJ_V holds the channels from cb + V·Lanes on of position q + J: a vector of block (cb + V·Lanes) / Lanes, stored at the position's cell.");
            for (int j = 0; j < rows; j++)
            {
                w.Line($"int cell{j} = At(ref cells, {(j == 0 ? "q" : $"q + {L(j)}")}) * Lanes;");
            }

            for (int v = 0; v < vectors; v++)
            {
                for (int j = 0; j < rows; j++)
                {
                    string value = op.Activation?.Apply($"acc{j}_{v}") ?? $"acc{j}_{v}";
                    string block = v == 0 ? "cb" : $"(cb{Column(v)})";
                    w.Line($"Store({value}, ref y, ({block} * {L(blocks.FrameSize)}) + cell{j});");
                }
            }
        }
        else if (Transposes(p))
        {
            w.Line($"// accJ_V holds the channels from cb + V·Lanes on of position q + J; transposed, each channel's {rows} positions leave in one store.");
        }

        for (int v = 0; v < vectors && c.OutputBlocks is null; v++)
        {
            string channel = (grouped ? $"(g * {L(p.OutPerGroup)}) + " : "") + "cb" + Column(v);
            string count = $"global::System.Math.Min(Lanes, {L(p.OutPerGroup)} - cb{(v == 0 ? "" : $" - {Column(v).Substring(3)}")})";
            string offset = Expr.Sum(0, (channel, p.Positions), ("q", 1));
            if (Transposes(p))
            {
                TransposedStore(w, op, rows, v, offset, count);
            }
            else
            {
                // One position (rows = 1): the channels are contiguous.
                w.Line($"{StoreMethod(op)}(acc0_{v}, ref y, {(op.Skip is not null ? "ref s, " : "")}{offset}, {count});");
            }
        }

        w.Close().Close();
        if (grouped)
        {
            w.Close();
        }
    }

    /// <summary>
    /// Vector column <paramref name="v"/> of the tile (positions q … q + rows − 1, each a vector of channels) to the
    /// channels' rows, activated: without a residual, the activation on the vectors before the transpose; the residual
    /// (which is in the channels' rows) and then the activation in place after it.
    /// </summary>
    internal static void TransposedStore(SourceWriter w, Op op, int rows, int v, string offset, string count)
    {
        var act = op.Activation;
        bool residual = op.Skip is not null;
        bool laneWise = !residual && act is not null;
        foreach (var (first, piece) in Pieces(rows))
        {
            var parts = new List<string>();
            for (int j = first; j < first + piece; j++)
            {
                parts.Add(laneWise ? act!.Apply($"acc{j}_{v}") : $"acc{j}_{v}");
            }

            string at = first == 0 ? offset : $"{offset} + {L(first)}";
            w.Line($"global::ConvGen.Kernels.TileStore.Channels{piece}({string.Join(", ", parts)}, ref At(ref y, {at}), {L(op.Layer.Output.Spatial)}, {count});");
        }

        if (residual || (act is not null && !laneWise))
        {
            w.Open($"for (int c = 0; c < {count}; c++)");
            w.Open($"for (int j = 0; j < {L(rows)}; j++)");
            w.Line($"int at = {offset} + (c * {L(op.Layer.Output.Spatial)}) + j;");
            string value = residual ? "At(ref y, at) + At(ref s, at)" : "At(ref y, at)";
            w.Line($"At(ref y, at) = {act?.Apply(value) ?? value};");
            w.Close().Close();
        }
    }

    /// <summary>
    /// Position p reads input offset p (plus the tap's): stride 1 along the width, and one output row or an input row
    /// pitch equal to the output width with stride 1 down.
    /// </summary>
    private static bool Contiguous(ConvProblem p, ConvInput input)
        => p.Positions > 1 && input.SplitH == 1 && input.SplitW == 1 && input.StepW == 1
            && (p.OutHeight == 1 || (input.StepH == 1 && input.PlaneWidth == p.OutWidth));


    /// <summary>The offset of position <paramref name="position"/>'s first input float, as an expression.</summary>
    private static string Base(ConvProblem p, ConvInput input, string position)
    {
        if (p.OutWidth == 1)
        {
            return Expr.Sum(0, (position, input.StepH * input.PlaneWidth));
        }

        if (p.OutHeight == 1)
        {
            return Expr.Sum(0, (position, input.StepW));
        }

        return Expr.Sum(0, ($"{position} / {L(p.OutWidth)}", input.StepH * input.PlaneWidth), ($"{position} % {L(p.OutWidth)}", input.StepW));
    }
}
