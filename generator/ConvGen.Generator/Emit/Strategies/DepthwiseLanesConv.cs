using System.Collections.Generic;
using System.Globalization;
using ConvGen.Shapes;

namespace ConvGen.Generator.Emit.Strategies;

/// <summary>
/// Depthwise convolution (groups = C_in, any channel multiplier) with channels on the vector lanes, as NCHWc kernels
/// run it: for each block of <c>Vector&lt;float&gt;.Count</c> output channels, the input planes they read are moved onto
/// the lanes (<c>Layout.InterleaveChannels</c>, in-register transposes) into a scratch frame of padded-height ×
/// padded-width vectors whose zero border is written once, when the network is built. Every tap of every position is
/// then one vector load and one multiply-add with that tap's weight vector (held in registers), with no lane wasted on
/// a narrow row, no test at the borders, and strides and dilations only changing the addresses. A register tile of R
/// positions (R independent accumulators) is stored with the transposing stores of the channel tile. This replaces the
/// padded copy or phase planes the row tile reads, and suits small and narrow maps where positions on the lanes waste
/// most of each vector.
/// </summary>
internal sealed class DepthwiseLanesConv : ConvStrategy
{
    /// <summary>The largest scratch frame offered, in floats (4 MB): above it the frame would not stay in cache.</summary>
    private const long MaxFrame = 1 << 20;


    public override string Name => "depthwise lanes";

    public override IEnumerable<KernelChoice> Candidates(ConvProblem p)
    {
        if (p.Linear || p.Groups < 2 || p.InPerGroup != 1 || (p.Padded && p.Layer.Decl.BorderMode != BorderMode.Zeros)
            || FrameLength(p) > MaxFrame)
        {
            yield break;
        }

        int blocks = CeilDiv(p.OutChannels, 8);

        double interleave = InterleaveCycles(p);
        for (int rows = 1; rows <= System.Math.Min(12, p.Positions); rows++)
        {
            double weights = Hoists(p, rows) ? 0 : p.Taps;
            double overhead = ChannelTileConv.TransposedStoreCycles(p, rows) + 4;
            if (p.OutWidth >= rows)
            {
                // Row by row: each frame column a tile reads is loaded once per tap row and serves every tap that reads it;
                // the last tile of a row overlaps the one before it.
                double tile = TileCycles(p, rows, (p.KernelH * Columns(p, rows).Count) + weights) + overhead;
                double cycles = blocks * (interleave + (p.OutHeight * CeilDiv(p.OutWidth, rows) * tile));
                yield return new KernelChoice(this, p, Frame(p), rows, 1) { Flat = false, Cycles = cycles };
            }

            // Flattened over the output: each position's window base from a table, every tap its own load.
            double flatTile = TileCycles(p, rows, (rows * p.Taps) + weights) + overhead + (rows * 1.5);
            yield return new KernelChoice(this, p, Frame(p), rows, 1) { Flat = true, Cycles = blocks * (interleave + (CeilDiv(p.Positions, rows) * flatTile)) };
        }
    }

    /// <summary>
    /// Moving one block onto the lanes: about 3.5 cycles a position (8 loads, 24 shuffles and 8 stores per 8 positions;
    /// measured 0.11-0.14 ns a float for 8-channel blocks of 24×24 to 48×48 planes at about 3.2 GHz).
    /// </summary>
    internal static double InterleaveCycles(ConvProblem p) => p.Height * p.Width * 3.5;

    /// <summary>
    /// A tile's multiply-adds: R·taps of them at two a cycle, its loads at about 2.5 a cycle, and no faster than one chain
    /// of taps dependent multiply-adds (4 cycles each).
    /// </summary>
    private static double TileCycles(ConvProblem p, int rows, double loads)
        => System.Math.Max(System.Math.Max(rows * p.Taps / 2.0, loads / 2.5), p.Taps * 4.0);

    /// <summary>The frame columns (from the tile's first window's) that a row of R windows reads, each with the (position, tap column) pairs reading it.</summary>
    private static SortedDictionary<int, List<(int Position, int Column)>> Columns(ConvProblem p, int rows)
    {
        var columns = new SortedDictionary<int, List<(int, int)>>();
        for (int j = 0; j < rows; j++)
        {
            for (int col = 0; col < p.KernelW; col++)
            {
                int u = (j * p.StrideW) + (col * p.DilationW);
                if (!columns.TryGetValue(u, out var readers))
                {
                    columns[u] = readers = new List<(int, int)>();
                }

                readers.Add((j, col));
            }
        }

        return columns;
    }

    /// <summary>The frame the kernel reads: the padded input, one vector per position, positions stepping by the stride.</summary>
    private static ConvInput Frame(ConvProblem p) => new(false, 1, 1, p.PaddedHeight, p.PaddedWidth, p.StrideH, p.StrideW);

    private static long FrameLength(ConvProblem p) => (long)p.PaddedHeight * p.PaddedWidth * MaxLanes;

    /// <summary>The taps' weight vectors stay in registers beside the R accumulators and an input vector; else each tap row loads its own.</summary>
    private static bool Hoists(ConvProblem p, int rows) => p.Taps + rows + 1 <= 16;

    public override string Describe(KernelChoice c)
    {
        var p = c.Problem;
        string multiplier = p.OutPerGroup > 1 ? string.Format(CultureInfo.InvariantCulture, " (channel multiplier {0})", p.OutPerGroup) : "";
        string order = c.Flat
            ? "positions flattened over the output, each window's base from a table"
            : "row by row, each frame column loaded once per tap row for every tap that reads it";
        string frames = c.InputBlocks is { } blocks
            ? $"read from the zero-framed {p.PaddedHeight}×{p.PaddedWidth} channel blocks that {blocks.ProducerName} wrote"
            : $"their planes interleaved into a zero-framed {p.PaddedHeight}×{p.PaddedWidth} scratch of vectors";
        return string.Format(
            CultureInfo.InvariantCulture,
            "Strategy: {0}{1}: Vector<float>.Count channels on the lanes, {2}; {3} position(s) × 1 vector of channels = {3} accumulators, {4}; {5}.",
            Name, multiplier, frames, c.Rows, order, Hoists(p, c.Rows) ? $"the {p.Taps} tap weights held in registers" : "each tap row's weights loaded with it");
    }

    /// <summary>Output channels padded so that every block of up to 16 lanes reads inside the packed weights.</summary>
    private static int PaddedChannels(ConvProblem p) => CeilDiv(p.OutChannels, MaxLanes) * MaxLanes;

    public override string PackWeight(string weight, KernelChoice c)
    {
        var p = c.Problem;
        return $"global::ConvGen.Kernels.WeightPacking.ChannelLanes({weight}, 1, {L(p.OutChannels)}, 1, {L(p.Taps)}, {L(PaddedChannels(p))}, global::System.Numerics.Vector<float>.Count)";
    }

    public override string PackBias(string bias, KernelChoice c)
        => $"global::ConvGen.Kernels.WeightPacking.PaddedBias({bias}, 1, {L(PaddedChannels(c.Problem))})";

    public override long WeightLength(KernelChoice c) => (long)c.Problem.Taps * PaddedChannels(c.Problem);

    public override long BiasLength(KernelChoice c) => PaddedChannels(c.Problem);

    public override long ScratchLength(KernelChoice c) => c.InputBlocks is null ? FrameLength(c.Problem) : 0;

    private static string Table(Op op) => op.MethodName + "_Windows";

    public override void EmitHelpers(SourceWriter w, Op op, KernelChoice c)
    {
        if (!c.Flat)
        {
            return;
        }

        var p = c.Problem;
        var bases = new List<string>();
        for (int oh = 0; oh < p.OutHeight; oh++)
        {
            for (int ow = 0; ow < p.OutWidth; ow++)
            {
                bases.Add(L(c.Input.Base(oh, ow)));
            }
        }

        TapTable.EmitTable(w, Table(op), "The vector of the scratch frame where each output position's window starts (row-major positions).", bases);
    }

    public override void Emit(SourceWriter w, Op op, KernelChoice c)
    {
        var p = c.Problem;
        var frame = c.Input;
        int rows = c.Rows, positions = p.Positions;
        bool hoisted = Hoists(p, rows);
        Kernels.Prologue(w, op);
        if (op.BiasField is not null)
        {
            w.Line("ref float bs = ref Start(bias);");
        }

        if (c.InputBlocks is null)
        {
            w.Line("ref float t = ref Start(scratch);");
        }

        if (c.Flat)
        {
            w.Line($"ref int windows = ref Start({Table(op)});");
        }

        w.Line($"// Output channels Lanes at a time, on the lanes; {rows} position(s) per step, each tap one vector load and one multiply-add.");
        w.Open($"for (int cb = 0; cb < {L(p.OutChannels)}; cb += Lanes)");
        w.Line($"int count = global::System.Math.Min(Lanes, {L(p.OutChannels)} - cb);");
        if (c.InputBlocks is { } blocks)
        {
            w.Line($"ref float t = ref At(ref x, cb * {L(blocks.FrameSize)}); // block cb / Lanes of the frames {blocks.ProducerName} wrote");
        }
        else
        {
            string multiplier = p.OutPerGroup > 1 ? $"input channel (cb + lane) / {L(p.OutPerGroup)}" : "input channel cb + lane";
            w.Line($"// Lane l of scratch vector (r + {L(p.PadTop)})·{L(frame.PlaneWidth)} + col + {L(p.PadLeft)} := {multiplier} at (r, col); the frame around it stays 0.");
            w.Line($"global::ConvGen.Kernels.Layout.InterleaveChannels(input, scratch, cb, count, {L(p.OutPerGroup)}, {L(p.Height)}, {L(p.Width)}, {L(p.PadTop)}, {L(p.PadLeft)}, {L(frame.PlaneWidth)});");
        }

        w.Line($"ref float wb = ref At(ref w, cb * {L(p.Taps)}); // this block's weights: [{L(p.Taps)} taps][Lanes]");
        string bias = op.BiasField is null ? "Zero" : "Load(ref bs, cb)";
        if (hoisted)
        {
            for (int k = 0; k < p.Taps; k++)
            {
                w.Line($"var w{k} = Load(ref wb, {Vectors(k)});");
            }
        }

        string? flatStart = null;
        if (c.Flat)
        {
            w.Open($"for (int start = 0; start < {L(positions)}; start += {L(rows)})");
            w.Line(rows < positions ? $"int q = global::System.Math.Min(start, {L(positions - rows)}); // the last step overlaps the one before it" : "const int q = 0;");
            for (int j = 0; j < rows; j++)
            {
                w.Line($"ref float t{j} = ref At(ref t, At(ref windows, {(j == 0 ? "q" : $"q + {L(j)}")}) * Lanes);");
            }

            flatStart = "(cb * " + L(positions) + ") + q";
        }
        else
        {
            w.Open($"for (int oh = 0; oh < {L(p.OutHeight)}; oh++)");
            w.Line($"ref float tr = ref At(ref t, oh * {L(frame.StepH * frame.PlaneWidth)} * Lanes);");
            w.Open($"for (int start = 0; start < {L(p.OutWidth)}; start += {L(rows)})");
            w.Line(rows < p.OutWidth ? $"int q = global::System.Math.Min(start, {L(p.OutWidth - rows)}); // the last step of a row overlaps the one before it" : "const int q = 0;");
            string column = frame.StepW == 1 ? "q" : $"q * {L(frame.StepW)}";
            w.Line($"ref float tq = ref At(ref tr, {column} * Lanes); // the first window of the tile");
        }

        for (int j = 0; j < rows; j++)
        {
            w.Line($"var acc{j}_0 = {bias};");
        }

        string Weight(int k)
        {
            if (hoisted)
            {
                return $"w{k}";
            }

            w.Line($"var wt{k} = Load(ref wb, {Vectors(k)});");
            return $"wt{k}";
        }

        if (c.Flat)
        {
            for (int a = 0; a < p.KernelH; a++)
            {
                for (int col = 0; col < p.KernelW; col++)
                {
                    int k = (a * p.KernelW) + col;
                    int offset = frame.TapOffset(a, col, p.DilationH, p.DilationW);
                    w.Line($"// tap ({a}, {col}): vector {L(offset)} of each window");
                    string weight = Weight(k);
                    for (int j = 0; j < rows; j++)
                    {
                        w.Line($"acc{j}_0 = Fma(Load(ref t{j}, {Vectors(offset)}), {weight}, acc{j}_0);");
                    }
                }
            }
        }
        else
        {
            // Window j's tap (a, col) reads frame column j·stride + col·dilation of tap row a: each column once.
            var columns = Columns(p, rows);
            for (int a = 0; a < p.KernelH; a++)
            {
                w.Line($"// tap row {a}: {columns.Count} frame columns serve the {rows} windows' {p.KernelW} tap(s) each");
                var weights = new string[p.KernelW];
                for (int col = 0; col < p.KernelW; col++)
                {
                    weights[col] = Weight((a * p.KernelW) + col);
                }

                int row = a * p.DilationH * frame.PlaneWidth;
                foreach (var entry in columns)
                {
                    string x = $"x{a}_{entry.Key}";
                    w.Line($"var {x} = Load(ref tq, {Vectors(row + entry.Key)});");
                    foreach (var (j, col) in entry.Value)
                    {
                        w.Line($"acc{j}_0 = Fma({x}, {weights[col]}, acc{j}_0);");
                    }
                }
            }
        }

        w.Line($"// accJ_0 holds the channels from cb on of position q + J; transposed, each channel's {rows} positions leave in one store.");
        string offsetExpr = flatStart ?? Expr.Sum(0, ("cb", positions), ("oh", p.OutWidth), ("q", 1));
        ChannelTileConv.TransposedStore(w, op, rows, 0, offsetExpr, "count");
        w.Close();
        if (!c.Flat)
        {
            w.Close();
        }

        w.Close();
    }

}
