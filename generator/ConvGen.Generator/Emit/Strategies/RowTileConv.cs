using System.Collections.Generic;
using System.Globalization;
using ConvGen.Shapes;

namespace ConvGen.Generator.Emit.Strategies;

/// <summary>
/// Direct convolution with output positions on the vector lanes: a register tile of R output channels × V vectors of
/// consecutive output positions. Per step of the reduction (input channel × tap, read from a table of input offsets
/// instead of copying patches) the kernel loads V input vectors and broadcasts R packed weights, R·V multiply-adds.
/// Padded and strided layers read a copy that the padding kernel prepared (zero border, phase planes), so every
/// window lies inside it and every tap reads consecutive floats. Depthwise layers (one input channel per output
/// channel) give each of the R channels its own input vectors.
/// <para>
/// Positions run row by row when rows hold at least two 8-lane vectors per tile column (the last step of a row
/// overlaps the one before it, never a scalar tail), or as one flattened range over the plane's row pitch for narrow
/// maps: then the columns between the last output column and the pitch are computed and dropped while a scratch tile
/// is copied into the output rows.
/// </para>
/// </summary>
internal sealed class RowTileConv : ConvStrategy
{

    public override string Name => "row tile";

    public override IEnumerable<KernelChoice> Candidates(ConvProblem p)
    {
        if (p.Linear)
        {
            yield break;
        }

        bool depthwise = p.Depthwise;
        int channels = depthwise ? p.OutChannels : p.OutPerGroup;
        var input = p.Padded || p.StrideH > 1 || p.StrideW > 1 ? p.PhasePlanes : p.Unprepared;
        int k = depthwise ? p.Taps : p.Depth;
        foreach (int rows in ShapeMath.Divisors(channels))
        {
            for (int vectors = 1; vectors <= 4 && rows <= 12; vectors++)
            {
                int accumulators = rows * vectors;
                if (accumulators + (depthwise ? 2 : vectors + 1) > 16)
                {
                    continue;
                }

                int loads = depthwise ? accumulators + rows : vectors + rows;
                double perStep = (k * PassCycles(accumulators, loads, 1)) + (accumulators * 1.5) + 6;
                int blocks = depthwise ? channels / rows : p.Groups * (channels / rows);
                if (vectors * MaxLanes <= p.OutWidth)
                {
                    int steps = p.OutHeight * CeilDiv(p.OutWidth, vectors * 8);
                    yield return Choice(p, input, rows, vectors, flat: false, (blocks * steps * perStep) + Prepare(p, input));
                }

                var flat = Choice(p, input, rows, vectors, flat: true, 0);
                int length = flat.FlatLength;
                if ((vectors > 1 && vectors * MaxLanes > length) || (flat.Compacts && p.ResidualFromCaller))
                {
                    continue;
                }

                // Reading the caller's span: a range shorter than a vector would read past its end, so copy it first.
                var flatInput = !input.Prepared && p.InputFromCaller && length < MaxLanes ? p.PhasePlanes : input;
                int flatSteps = CeilDiv(length, vectors * 8);
                double compaction = flat.Compacts ? p.OutChannels * p.OutHeight * CeilDiv(p.OutWidth, 8) * 4.0 : 0;
                yield return Choice(p, flatInput, rows, vectors, flat: true, (blocks * flatSteps * perStep) + compaction + Prepare(p, flatInput));
            }
        }
    }

    private KernelChoice Choice(ConvProblem p, ConvInput input, int rows, int vectors, bool flat, double cycles)
        => new(this, p, input, rows, vectors) { Flat = flat, Cycles = cycles };

    /// <summary>The padding kernel's cost: clear the copy, then one read and write per input float (per float with phase planes).</summary>
    internal static double Prepare(ConvProblem p, ConvInput input)
        => !input.Prepared ? 0 : p.InChannels * ((input.ChannelStride * 0.25) + (p.Height * p.Width * (input.SplitW > 1 ? 0.5 : 0.25)));

    public override string Describe(KernelChoice c)
    {
        var p = c.Problem;
        string what = p.Depthwise ? "depthwise" : p.Taps == 1 ? "pointwise" : "direct";
        string tile = string.Format(CultureInfo.InvariantCulture, "{0} output channel(s) × {1} vector(s) of positions = {2} accumulators", c.Rows, c.Vectors, c.Accumulators);
        string order = c.Flat
            ? string.Format(CultureInfo.InvariantCulture, "positions flattened over the row pitch {0} ({1} computed for {2} outputs per channel{3})", c.Input.PlaneWidth, c.FlatLength, p.Positions, c.Compacts ? ", through a scratch tile" : "")
            : string.Format(CultureInfo.InvariantCulture, "row by row ({0} columns)", p.OutWidth);
        return $"Strategy: {Name}, {what}: {tile}, {order}.";
    }

    public override string PackWeight(string weight, KernelChoice c)
    {
        var p = c.Problem;
        return $"global::ConvGen.Kernels.WeightPacking.ChannelBlocks({weight}, {L(p.OutChannels)}, {L(p.InPerGroup)}, {L(p.Taps)}, {L(c.Rows)})";
    }

    /// <summary>The flat tile's scratch: each of its channels' flattened range plus a vector of slack.</summary>
    public override long ScratchLength(KernelChoice c) => c.Compacts ? (long)c.Rows * ScratchPitch(c) : 0;

    private static int ScratchPitch(KernelChoice c) => c.FlatLength + MaxLanes;

    private static string Table(Op op) => op.MethodName + "_Offsets";

    /// <summary>Taps are written out (literal offsets) when there are a few of them and the unroll budget allows; else an offset table.</summary>
    internal static bool UnrollsTaps(Op op, KernelChoice c) => op.Unrolled && c.Problem.Taps > 1 && c.Problem.Taps <= MaxUnrolledTaps;

    /// <summary>The most taps a tiled kernel writes out (a 5×5 kernel).</summary>
    internal const int MaxUnrolledTaps = 25;

    public override void EmitHelpers(SourceWriter w, Op op, KernelChoice c)
    {
        var p = c.Problem;
        if (p.Depth == 1 || UnrollsTaps(op, c))
        {
            return;
        }

        TapTable.Emit(w, Table(op), p.Depthwise ? "tap" : "(input channel, tap)", TapTable.Offsets(p, c.Input, p.Depthwise ? 1 : p.InPerGroup));
    }

    public override void Emit(SourceWriter w, Op op, KernelChoice c)
    {
        var p = c.Problem;
        bool depthwise = p.Depthwise;
        int rows = c.Rows, vectors = c.Vectors;
        int depth = depthwise ? p.Taps : p.Depth;
        int channelStride = c.Input.ChannelStride, outSize = p.Positions;
        Kernels.Prologue(w, op);
        if (op.BiasField is not null)
        {
            w.Line("ref float bs = ref Start(bias);");
        }

        if (c.Compacts)
        {
            w.Line("ref float t = ref Start(scratch);");
        }

        bool table = depth > 1 && !UnrollsTaps(op, c);
        if (table)
        {
            w.Line($"ref int offsets = ref Start({Table(op)});");
        }

        w.Line($"// {(depthwise ? "Channels" : "Output channels")} {rows} at a time; the reduction runs over {depth} {(depthwise ? "taps" : "(input channel, tap) pairs")}, its input offsets {(table ? "from " + Table(op) : depth > 1 && p.Taps > 1 ? "written out per tap" : "one channel apart")}.");
        w.Open($"for (int co = 0; co < {L(p.OutChannels)}; co += {L(rows)})");
        if (depthwise)
        {
            w.Line($"ref float xg = ref At(ref x, co * {L(channelStride)});");
        }
        else if (p.Groups > 1)
        {
            w.Line($"ref float xg = ref At(ref x, co / {L(p.OutPerGroup)} * {L(p.InPerGroup * channelStride)}); // this block's group");
        }
        else
        {
            w.Line("ref float xg = ref x;");
        }

        w.Line($"ref float wb = ref At(ref w, co * {L(depth)});");
        string step = vectors == 1 ? "Lanes" : $"(Lanes * {L(vectors)})";
        if (!c.Flat)
        {
            w.Open($"for (int oh = 0; oh < {L(p.OutHeight)}; oh++)");
            w.Line($"ref float xr = ref At(ref xg, oh * {L(c.Input.PlaneWidth)});");
            w.Line($"int row = (co * {L(outSize)}) + (oh * {L(p.OutWidth)});");
            w.Open($"for (int start = 0; start < {L(p.OutWidth)}; start += {step})");
            w.Line($"int q = global::System.Math.Min(start, {L(p.OutWidth)} - {step}); // the last step overlaps the one before it");
            Tile(w, op, c, depth, "xr", "row");
            w.Close().Close();
        }
        else
        {
            int length = c.FlatLength;
            w.Open($"for (int start = 0; start < {L(length)}; start += {step})");
            string clamp = length < vectors * MaxLanes ? "global::System.Math.Max(0, global::System.Math.Min(start, {0} - {1}))" : "global::System.Math.Min(start, {0} - {1})";
            w.Line($"int q = {string.Format(CultureInfo.InvariantCulture, clamp, L(length), step)}; // the last step overlaps the one before it");
            Tile(w, op, c, depth, "xg", c.Compacts ? "" : $"co * {L(outSize)}");
            w.Close();
            if (c.Compacts)
            {
                Compact(w, op, c);
            }
        }

        w.Close();
    }

    /// <summary>One register tile at position q: initialize from the bias, reduce, store.</summary>
    private static void Tile(SourceWriter w, Op op, KernelChoice c, int depth, string inputRow, string outputRow)
    {
        var p = c.Problem;
        int rows = c.Rows, vectors = c.Vectors;
        string Acc(int m, int v) => $"acc{m}_{v}";
        string Column(int v) => v == 0 ? "" : v == 1 ? " + Lanes" : $" + (Lanes * {L(v)})";
        for (int m = 0; m < rows; m++)
        {
            string init = op.BiasField is null ? "Zero" : $"Splat(At(ref bs, {Expr.Sum(m, ("co", 1))}))";
            for (int v = 0; v < vectors; v++)
            {
                w.Line($"var {Acc(m, v)} = {init};");
            }
        }

        w.Line($"ref float xs = ref At(ref {inputRow}, q);");
        w.Line("ref float ws = ref wb;");
        void Step(string offset, int weight)
        {
            for (int m = 0; m < rows; m++)
            {
                string channel = p.Depthwise && m > 0 ? $" + {L(m * c.Input.ChannelStride)}" : "";
                if (p.Depthwise || m == 0)
                {
                    for (int v = 0; v < vectors; v++)
                    {
                        w.Line($"{(m == 0 && weight == 0 ? "var " : "")}x{v} = Load(ref xs, {offset}{channel}{Column(v)});");
                    }
                }

                w.Line($"{(m == 0 && weight == 0 ? "var " : "")}wm = Splat(At(ref ws, {L(weight + m)}));");
                for (int v = 0; v < vectors; v++)
                {
                    w.Line($"{Acc(m, v)} = Fma(x{v}, wm, {Acc(m, v)});");
                }
            }
        }

        if (UnrollsTaps(op, c))
        {
            // Taps written out, their input offsets literals; the loop runs over input channels.
            int channels = p.Depthwise ? 1 : p.InPerGroup;
            if (channels > 1)
            {
                w.Open($"for (int ci = 0; ci < {L(channels)}; ci++)");
            }

            for (int a = 0; a < p.KernelH; a++)
            {
                for (int col = 0; col < p.KernelW; col++)
                {
                    int tap = (a * p.KernelW) + col;
                    w.Line($"// tap ({a}, {col})");
                    Step(L(c.Input.TapOffset(a, col, p.DilationH, p.DilationW)), tap * rows);
                }
            }

            if (channels > 1)
            {
                w.Line($"xs = ref At(ref xs, {L(c.Input.ChannelStride)});");
                w.Line($"ws = ref At(ref ws, {L(p.Taps * rows)});");
                w.Close();
            }
        }
        else
        {
            w.Open($"for (int k = 0; k < {L(depth)}; k++)");
            w.Line(depth == 1 ? "const int o = 0;" : p.Taps == 1 && !p.Depthwise ? $"nint o = k * {L(c.Input.ChannelStride)};" : "nint o = At(ref offsets, k);");
            Step("o", 0);
            w.Line($"ws = ref At(ref ws, {L(rows)});");
            w.Close();
        }

        bool compacts = c.Compacts;
        for (int m = 0; m < rows; m++)
        {
            for (int v = 0; v < vectors; v++)
            {
                string at = compacts
                    ? Expr.Sum(m * ScratchPitch(c), ("q", 1)) + Column(v)
                    : Expr.Sum(m * p.Positions, (outputRow, 1), ("q", 1)) + Column(v);
                VectorStore.Emit(w, op, Acc(m, v), compacts ? "t" : "y", at, residual: !compacts, activation: !compacts);
            }
        }
    }

    /// <summary>The scratch tile's flattened rows into the output rows, adding the residual and applying the activation.</summary>
    private static void Compact(SourceWriter w, Op op, KernelChoice c)
    {
        var p = c.Problem;
        w.Line($"// The flat tile (row pitch {c.Input.PlaneWidth}) into output rows of {p.OutWidth}: each row's store may spill into the next row, which is written after it.");
        w.Open($"for (int m = 0; m < {L(c.Rows)}; m++)");
        w.Line($"ref float tm = ref At(ref t, m * {L(ScratchPitch(c))});");
        w.Line($"int channel = (co + m) * {L(p.Positions)};");
        w.Open($"for (int r = 0; r < {L(p.OutHeight)}; r++)");
        w.Open($"for (int col = 0; col < {L(p.OutWidth)}; col += Lanes)");
        w.Line($"var v = Load(ref tm, {Expr.Sum(0, ("r", c.Input.PlaneWidth), ("col", 1))});");
        VectorStore.Emit(w, op, "v", "y", Expr.Sum(0, ("channel", 1), ("r", p.OutWidth), ("col", 1)), residual: true, activation: true);
        w.Close().Close().Close();
    }
}
