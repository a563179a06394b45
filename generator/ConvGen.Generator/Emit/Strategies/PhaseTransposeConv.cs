using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace ConvGen.Generator.Emit.Strategies;

/// <summary>
/// Transposed convolution as a gather: split by output phase (<see cref="TransposedAxis"/>), a stride-s layer is
/// s_h × s_w stride-1 convolutions, one per phase (φh, φw) of the output (rows φh + s_h·j, columns φw + s_w·i), each
/// with only the taps that land on that phase, at integer input offsets. None multiplies the zeros that a
/// zero-stuffed input would hold, and each output is written once instead of being accumulated tap by tap in memory.
/// <para>
/// Each phase runs like <see cref="RowTileConv"/>'s direct convolution: a register tile of R output channels × V
/// vectors of consecutive phase columns; per reduction step (input channel × phase tap) V input vectors are loaded
/// and R packed weights broadcast. The input is first copied with a zero border into the kernel's scratch, so every
/// tap of every phase reads inside. Weights are packed as [C_out/R][C_in/g][taps][R] (C_in and C_out swapped back, as
/// in the convolution computed). With stride 1 along the width, wide rows are stored straight into the output; else
/// each phase's row goes to a scratch row, and the s_w phase rows are interleaved into the output row (two phases:
/// by vector shuffles), applying the fused activation on the way.
/// </para>
/// </summary>
internal sealed class PhaseTransposeConv : ConvStrategy
{

    /// <summary>The most output phases written out (each has its own code), and the most kernel taps per axis.</summary>
    private const int MaxPhases = 16, MaxKernel = 1 << 12;

    /// <summary>The largest zero-bordered input copy the kernel makes, in floats (as the Trainer caps its patch matrices).</summary>
    private const long MaxScratch = 1L << 26;

    /// <summary>Floats after the padded input and after the row scratch: a tile may read or write up to 4 vectors past a row.</summary>
    private const int Slack = 4 * MaxLanes;

    public override string Name => "phase gather";

    public override bool Transposed => true;

    public static bool Applies(ConvProblem p)
        => p.StrideH * p.StrideW <= MaxPhases && p.KernelH <= MaxKernel && p.KernelW <= MaxKernel;

    /// <summary>The phases along the height and the width (a 1-D layer has one phase of one row along the height).</summary>
    internal static (TransposedAxis H, TransposedAxis W) Axes(ConvProblem p) => (
        new TransposedAxis(p.Height, p.OutHeight, p.KernelH, p.StrideH, p.PadTop, p.DilationH),
        new TransposedAxis(p.Width, p.OutWidth, p.KernelW, p.StrideW, p.PadLeft, p.DilationW));

    public override IEnumerable<KernelChoice> Candidates(ConvProblem p)
    {
        if (!Applies(p))
        {
            yield break;
        }

        var (ah, aw) = Axes(p);
        var input = new ConvInput(true, 1, 1, ah.PaddedSize, aw.PaddedSize, 1, 1);
        if ((long)p.InChannels * ah.PaddedSize * aw.PaddedSize > MaxScratch)
        {
            yield break; // a huge dilation would pad the input far beyond the tensors themselves
        }

        double prepare = p.InChannels * ((input.PlaneSize * 0.25) + (p.Height * p.Width * 0.25));
        foreach (int rows in Shapes.ShapeMath.Divisors(p.OutPerGroup))
        {
            for (int vectors = 1; vectors <= 4 && rows <= 12; vectors++)
            {
                int accumulators = rows * vectors;
                if (accumulators + vectors + 1 > 16 || (vectors > 1 && vectors * 8 > aw.MaxOutputs))
                {
                    continue;
                }

                var choice = new KernelChoice(this, p, input, rows, vectors);
                double perPass = PassCycles(accumulators, vectors + rows, 1);
                double cycles = prepare;
                foreach (var ph in ah.Phases)
                {
                    foreach (var pw in aw.Phases)
                    {
                        int steps = ph.Outputs * CeilDiv(pw.Outputs, vectors * 8);
                        cycles += p.OutChannels / rows * steps * ((p.InPerGroup * ph.Taps.Count * pw.Taps.Count * perPass) + (accumulators * 1.5) + 6);
                    }
                }

                // Moving a row from the scratch rows: a load and a store per vector, shuffles for two phases, lane by lane beyond.
                if (!StoresDirectly(choice))
                {
                    cycles += (double)p.OutChannels * p.OutHeight * CeilDiv(p.OutWidth, 8) * (p.StrideW switch { 1 => 1.0, 2 => 2.0, _ => 8.0 });
                }

                yield return new KernelChoice(this, p, input, rows, vectors) { Cycles = cycles };
            }
        }
    }

    /// <summary>Stride 1 along the width and rows wide enough for the tile at any vector width: no scratch row.</summary>
    private static bool StoresDirectly(KernelChoice c) => c.Problem.StrideW == 1 && c.Problem.OutWidth >= c.Vectors * MaxLanes;

    public override string Describe(KernelChoice c)
    {
        var p = c.Problem;
        var (ah, aw) = Axes(p);
        string phases = p.StrideH * p.StrideW == 1
            ? "one output phase (stride 1): a convolution with the taps flipped"
            : string.Format(CultureInfo.InvariantCulture, "{0} stride-1 convolutions, one per output phase, with {1} taps", p.StrideH * p.StrideW, TapCounts(ah, aw));
        string store = StoresDirectly(c) ? "stored straight into the output rows"
            : p.StrideW == 1 ? "through a scratch row (rows narrower than the tile)"
            : p.StrideW == 2 ? "the 2 column phases interleaved into each output row by vector shuffles"
            : string.Format(CultureInfo.InvariantCulture, "the {0} column phases interleaved into each output row", p.StrideW);
        return string.Format(
            CultureInfo.InvariantCulture,
            "Strategy: {0}, transposed convolution as {1} (a scatter would add each product into memory): {2} output channel(s) × {3} vector(s) of a phase's columns = {4} accumulators, {5}; input copied with a zero border of {6}×{7}.",
            Name, phases, c.Rows, c.Vectors, c.Accumulators, store, ah.PaddedSize, aw.PaddedSize);
    }

    /// <summary>"4, 2, 2 and 1": each phase's tap count, in phase order.</summary>
    private static string TapCounts(TransposedAxis ah, TransposedAxis aw)
    {
        var counts = ah.Phases.SelectMany(ph => aw.Phases.Select(pw => (ph.Taps.Count * pw.Taps.Count).ToString(CultureInfo.InvariantCulture))).ToList();
        return counts.Count == 1 ? counts[0] : string.Join(", ", counts.Take(counts.Count - 1)) + " and " + counts[counts.Count - 1];
    }

    public override string PackWeight(string weight, KernelChoice c)
    {
        var p = c.Problem;
        return $"global::ConvGen.Kernels.WeightPacking.TransposedChannelBlocks({weight}, {L(p.Groups)}, {L(p.InChannels)}, {L(p.OutPerGroup)}, {L(p.Taps)}, {L(c.Rows)})";
    }

    /// <summary>The padded input, then (unless rows are stored directly) R × s_w scratch rows.</summary>
    public override long ScratchLength(KernelChoice c) => RowScratchAt(c) + (StoresDirectly(c) ? 0 : ((long)c.Rows * c.Problem.StrideW * RowPitch(c)) + Slack);

    private static long RowScratchAt(KernelChoice c) => ((long)c.Problem.InChannels * c.Input.PlaneSize) + Slack;

    /// <summary>Floats between two scratch rows: the widest phase row, or a whole tile.</summary>
    private static int RowPitch(KernelChoice c) => System.Math.Max(CeilDiv(c.Problem.OutWidth, c.Problem.StrideW), c.Vectors * MaxLanes);

    private static string Table(Op op) => op.MethodName + "_PhaseTaps";

    /// <summary>Taps are written out when the unroll budget allows; else each phase loops over its part of a table.</summary>
    private static bool UnrollsTaps(Op op) => op.Unrolled && op.Choice!.Problem.Taps <= 256;

    public override void EmitHelpers(SourceWriter w, Op op, KernelChoice c)
    {
        if (UnrollsTaps(op))
        {
            return;
        }

        // Pairs (input offset, weight offset) per phase tap, phase after phase as the kernel runs them.
        var (ah, aw) = Axes(c.Problem);
        var entries = new List<string>();
        foreach (var ph in ah.Phases.Where(ph => ph.Outputs > 0))
        {
            foreach (var pw in aw.Phases.Where(pw => pw.Outputs > 0))
            {
                foreach (var (tap, offset) in PhaseTaps(c, ph, pw))
                {
                    entries.Add(L(offset));
                    entries.Add(L(tap * c.Rows));
                }
            }
        }

        if (entries.Count > 0)
        {
            TapTable.Emit(w, Table(op), "(phase tap: input offset, weight offset)", entries);
        }
    }

    /// <summary>Phase (ph, pw)'s taps: the weight tap index and the input offset from the phase position's base.</summary>
    private static IEnumerable<(int Tap, int Offset)> PhaseTaps(KernelChoice c, TransposedAxis.Phase ph, TransposedAxis.Phase pw)
    {
        foreach (var (kh, oh) in ph.Taps)
        {
            foreach (var (kw, ow) in pw.Taps)
            {
                yield return ((kh * c.Problem.KernelW) + kw, (oh * c.Input.PlaneWidth) + ow);
            }
        }
    }

    public override void Emit(SourceWriter w, Op op, KernelChoice c)
    {
        var p = c.Problem;
        var (ah, aw) = Axes(p);
        var input = c.Input;
        int rows = c.Rows, vectors = c.Vectors, outSize = p.Positions;
        bool direct = StoresDirectly(c), unrolled = UnrollsTaps(op);
        Kernels.Prologue(w, op);
        if (op.BiasField is not null)
        {
            w.Line("ref float bs = ref Start(bias);");
        }

        w.Line("ref float xp = ref Start(scratch);");
        if (!direct)
        {
            w.Line($"ref float t = ref At(ref xp, {L(RowScratchAt(c))}); // the phase rows of the tile's channels, {L(RowPitch(c))} floats apart");
        }

        if (!unrolled)
        {
            w.Line($"ref int taps = ref Start({Table(op)});");
        }

        w.Line($"// The input with a zero border ({ah.PadBefore} rows above, {ah.PadAfter} below, {aw.PadBefore} columns left, {aw.PadAfter} right): every phase tap reads inside.");
        w.Line($"scratch.Slice(0, {L(p.InChannels * input.PlaneSize)}).Clear();");
        w.Open($"for (int c = 0; c < {L(p.InChannels)}; c++)");
        if (p.Height > 1)
        {
            w.Open($"for (int r = 0; r < {L(p.Height)}; r++)");
        }

        string r = p.Height > 1 ? "r" : "0";
        w.Line($"input.Slice({Expr.Sum(0, ("c", p.Height * p.Width), (r, p.Width))}, {L(p.Width)}).CopyTo(scratch.Slice({Expr.Sum((ah.PadBefore * input.PlaneWidth) + aw.PadBefore, ("c", input.PlaneSize), (r, input.PlaneWidth))}, {L(p.Width)}));");
        if (p.Height > 1)
        {
            w.Close();
        }

        w.Close();
        w.Line($"// Output channels {rows} at a time; each output phase reduces over C_in/g = {p.InPerGroup} input channel(s) × its taps.");
        w.Open($"for (int co = 0; co < {L(p.OutChannels)}; co += {L(rows)})");
        w.Line(p.Groups > 1 ? $"ref float xg = ref At(ref xp, co / {L(p.OutPerGroup)} * {L(p.InPerGroup * input.PlaneSize)}); // this block's group" : "ref float xg = ref xp;");
        w.Line($"ref float wb = ref At(ref w, co * {L(p.Depth)});");
        int tableAt = 0;
        foreach (var ph in ah.Phases.Where(ph => ph.Outputs > 0))
        {
            bool oneRow = ph.Outputs == 1;
            string rowsComment = p.StrideH == 1
                ? $"// Every output row, taps kh ∈ {{{Taps(ph)}}}."
                : $"// Output rows {ph.Index} + {p.StrideH}·j (row phase {ph.Index}), taps kh ∈ {{{Taps(ph)}}}.";
            if (!oneRow)
            {
                w.Line(rowsComment);
            }

            w.Open(oneRow ? rowsComment.Replace("rows", "row").Replace(" + " + L(p.StrideH) + "·j", "") : $"for (int j = 0; j < {L(ph.Outputs)}; j++)");
            string j = oneRow ? "0" : "j";
            w.Line($"ref float xr = ref At(ref xg, {Expr.Sum(0, (j, input.PlaneWidth))});");
            w.Line($"int row = {Expr.Sum(ph.Index * p.OutWidth, ("co", outSize), (j, p.StrideH * p.OutWidth))};");
            foreach (var pw in aw.Phases.Where(pw => pw.Outputs > 0))
            {
                int count = ph.Taps.Count * pw.Taps.Count;
                if (p.StrideW > 1)
                {
                    w.Line($"// Column phase {pw.Index} (output columns {pw.Index} + {p.StrideW}·i), taps kw ∈ {{{Taps(pw)}}}: {count} tap(s).");
                }

                Phase(w, op, c, ph, pw, direct, unrolled, tableAt);
                tableAt += count;
            }

            if (!direct)
            {
                RowFromScratch(w, op, c, aw);
            }

            w.Close();
        }

        w.Close();
    }

    private static string Taps(TransposedAxis.Phase phase)
        => phase.Taps.Count == 0 ? "" : string.Join(", ", phase.Taps.Select(t => t.Tap.ToString(CultureInfo.InvariantCulture)));

    /// <summary>One phase's positions along a row, a register tile at a time: bias, reduction, store.</summary>
    private static void Phase(SourceWriter w, Op op, KernelChoice c, TransposedAxis.Phase ph, TransposedAxis.Phase pw, bool direct, bool unrolled, int tableAt)
    {
        var p = c.Problem;
        int rows = c.Rows, vectors = c.Vectors, width = pw.Outputs;
        string step = vectors == 1 ? "Lanes" : $"(Lanes * {L(vectors)})";
        string Acc(int m, int v) => $"acc{m}_{v}";
        string Column(int v) => v == 0 ? "" : v == 1 ? " + Lanes" : $" + (Lanes * {L(v)})";
        w.Open($"for (int start = 0; start < {L(width)}; start += {step})");
        w.Line(direct
            ? $"int q = global::System.Math.Min(start, {L(width)} - {step}); // the last step overlaps the one before it"
            : $"int q = global::System.Math.Max(0, global::System.Math.Min(start, {L(width)} - {step})); // the last step overlaps the one before it");
        for (int m = 0; m < rows; m++)
        {
            string init = op.BiasField is null ? "Zero" : $"Splat(At(ref bs, {Expr.Sum(m, ("co", 1))}))";
            for (int v = 0; v < vectors; v++)
            {
                w.Line($"var {Acc(m, v)} = {init};");
            }
        }

        var taps = PhaseTaps(c, ph, pw).ToList();
        if (taps.Count > 0)
        {
            w.Line($"ref float xs = ref At(ref xr, q);");
            w.Line("ref float ws = ref wb;");
            bool declared = false;
            void Step(string offset, string weights, int weight)
            {
                for (int v = 0; v < vectors; v++)
                {
                    w.Line($"{(declared ? "" : "var ")}x{v} = Load(ref xs, {offset}{Column(v)});");
                }

                for (int m = 0; m < rows; m++)
                {
                    w.Line($"{(declared || m > 0 ? "" : "var ")}wm = Splat(At(ref {weights}, {L(weight + m)}));");
                    for (int v = 0; v < vectors; v++)
                    {
                        w.Line($"{Acc(m, v)} = Fma(x{v}, wm, {Acc(m, v)});");
                    }
                }

                declared = true;
            }

            if (p.InPerGroup > 1)
            {
                w.Open($"for (int ci = 0; ci < {L(p.InPerGroup)}; ci++)");
            }

            if (unrolled)
            {
                foreach (var (tap, offset) in taps)
                {
                    w.Line($"// tap ({tap / p.KernelW}, {tap % p.KernelW})");
                    Step(L(offset), "ws", tap * rows);
                }
            }
            else
            {
                w.Open($"for (int k = {L(2 * tableAt)}; k < {L(2 * (tableAt + taps.Count))}; k += 2)");
                w.Line("nint o = At(ref taps, k);");
                w.Line("ref float wk = ref At(ref ws, At(ref taps, k + 1));");
                Step("o", "wk", 0);
                w.Close();
            }

            if (p.InPerGroup > 1)
            {
                w.Line($"xs = ref At(ref xs, {L(c.Input.PlaneSize)});");
                w.Line($"ws = ref At(ref ws, {L(p.Taps * rows)});");
                w.Close();
            }
        }

        for (int m = 0; m < rows; m++)
        {
            for (int v = 0; v < vectors; v++)
            {
                if (direct)
                {
                    VectorStore.Emit(w, op, Acc(m, v), "y", Expr.Sum(m * p.Positions, ("row", 1), ("q", 1)) + Column(v), residual: false, activation: true);
                }
                else
                {
                    w.Line($"Store({Acc(m, v)}, ref t, {Expr.Sum(((m * p.StrideW) + pw.Index) * RowPitch(c), ("q", 1))}{Column(v)});");
                }
            }
        }

        w.Close();
    }

    /// <summary>The tile's scratch rows into output row <c>row</c> of each of its channels, the column phases interleaved, activated.</summary>
    private static void RowFromScratch(SourceWriter w, Op op, KernelChoice c, TransposedAxis aw)
    {
        var p = c.Problem;
        int width = p.OutWidth, pitch = RowPitch(c), s = p.StrideW;
        string Act(string v) => op.Activation?.Apply(v) ?? v;
        w.Open($"for (int m = 0; m < {L(c.Rows)}; m++)");
        w.Line($"ref float tm = ref At(ref t, m * {L(s * pitch)});");
        w.Line($"ref float yr = ref At(ref y, row + (m * {L(p.Positions)}));");
        if (s == 1)
        {
            w.Line("// Rows of at least a vector: vector copies, the last overlapping the one before it.");
            w.Open($"if ({L(width)} >= Lanes)");
            w.Open($"for (int col = 0; col < {L(width)}; col += Lanes)");
            w.Line($"int at = global::System.Math.Min(col, {L(width)} - Lanes);");
            VectorStore.Emit(w, op, "Load(ref tm, at)", "yr", "at", residual: false, activation: true);
            w.Close().Close();
            w.Open("else");
            w.Open($"for (int col = 0; col < {L(width)}; col++)");
            w.Line($"At(ref yr, col) = {Act("At(ref tm, col)")};");
            w.Close().Close();
        }
        else if (s == 2)
        {
            int pairs = width / 2;
            if (pairs > 0)
            {
                w.Line($"// Phase 0 holds the even output columns, phase 1 the odd ones: {pairs} pair(s), interleaved a vector of pairs at a time.");
                w.Open($"if ({L(pairs)} >= Lanes)");
                w.Open($"for (int col = 0; col < {L(pairs)}; col += Lanes)");
                w.Line($"int at = global::System.Math.Min(col, {L(pairs)} - Lanes); // the last step overlaps the one before it");
                w.Line($"Interleave(Load(ref tm, at), Load(ref tm, at + {L(pitch)}), out var low, out var high);");
                VectorStore.Emit(w, op, "low", "yr", "2 * at", residual: false, activation: true);
                VectorStore.Emit(w, op, "high", "yr", "(2 * at) + Lanes", residual: false, activation: true);
                w.Close().Close();
                w.Open("else");
                w.Open($"for (int col = 0; col < {L(pairs)}; col++)");
                w.Line($"At(ref yr, 2 * col) = {Act("At(ref tm, col)")};");
                w.Line($"At(ref yr, (2 * col) + 1) = {Act($"At(ref tm, col + {L(pitch)})")};");
                w.Close().Close();
            }

            if (width % 2 == 1)
            {
                w.Line($"At(ref yr, {L(width - 1)}) = {Act($"At(ref tm, {L(pairs)})")};");
            }
        }
        else
        {
            foreach (var pw in aw.Phases.Where(pw => pw.Outputs > 0))
            {
                w.Open($"for (int i = 0; i < {L(pw.Outputs)}; i++)");
                w.Line($"At(ref yr, {Expr.Sum(pw.Index, ("i", s))}) = {Act($"At(ref tm, {Expr.Sum(pw.Index * pitch, ("i", 1))})")};");
                w.Close();
            }
        }

        w.Close();
    }
}
