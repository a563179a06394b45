using System.Collections.Generic;
using System.Globalization;

namespace ConvGen.Generator.Emit.Strategies;

/// <summary>
/// Convolution with output channels on the vector lanes (and linear layers, its case of one position): a register tile
/// of P output positions × V vectors of output channels. Per step of the reduction (input channel × tap, from a table
/// of input offsets) the kernel loads V vectors of packed weights ([C_in/g][taps][channels padded to whole vectors])
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

                    // Each lane is stored on its own (channels lie Positions floats apart): about 1.5 cycles a lane, 3 with a residual to add.
                    double perStep = (p.Depth * PassCycles(rows * vectors, rows + vectors, splits)) + (rows * vectors * 8 * (p.Residual ? 3.0 : 1.5)) + (rows * 4) + 6;
                    int blocks = p.Groups * CeilDiv(p.OutPerGroup, vectors * 8);
                    double cycles = (blocks * CeilDiv(positions, rows) * perStep) + RowTileConv.Prepare(p, input);
                    yield return new KernelChoice(this, p, input, rows, vectors) { Splits = splits, Cycles = cycles };
                }
            }
        }
    }

    public override string Describe(KernelChoice c)
    {
        string what = c.Problem.Linear ? "linear" : c.Problem.Taps == 1 ? "pointwise" : "direct";
        string split = c.Splits > 1 ? string.Format(CultureInfo.InvariantCulture, ", the reduction split {0} ways", c.Splits) : "";
        return string.Format(
            CultureInfo.InvariantCulture,
            "Strategy: {0}, {1}: {2} position(s) × {3} vector(s) of output channels = {4} accumulators{5}; weights packed as [C_in/g][taps][{6} channels].",
            Name, what, c.Rows, c.Vectors, c.Accumulators, split, PaddedChannels(c));
    }

    /// <summary>Output channels per group, padded so that every vector load stays inside the packed row at any width up to 16 lanes.</summary>
    private static int PaddedChannels(KernelChoice c) => CeilDiv(c.Problem.OutPerGroup, c.Vectors * 16) * c.Vectors * 16;

    public override string PackWeight(string weight, KernelChoice c)
    {
        var p = c.Problem;
        return $"global::ConvGen.Kernels.WeightPacking.ChannelLanes({weight}, {L(p.Groups)}, {L(p.OutChannels)}, {L(p.InPerGroup)}, {L(p.Taps)}, {L(PaddedChannels(c))})";
    }

    public override string PackBias(string bias, KernelChoice c)
        => $"global::ConvGen.Kernels.WeightPacking.PaddedBias({bias}, {L(c.Problem.Groups)}, {L(PaddedChannels(c))})";

    public override long WeightLength(KernelChoice c) => (long)c.Problem.Groups * c.Problem.Depth * PaddedChannels(c);

    public override long BiasLength(KernelChoice c) => (long)c.Problem.Groups * PaddedChannels(c);

    private static string Table(Op op) => op.MethodName + "_Offsets";

    private static string StoreMethod(Op op) => op.MethodName + "_Store";

    public override void EmitHelpers(SourceWriter w, Op op, KernelChoice c)
    {
        var p = c.Problem;
        if (p.Taps > 1 && !(c.Splits == 1 && RowTileConv.UnrollsTaps(op, c)))
        {
            TapTable.Emit(w, Table(op), "(input channel, tap)", TapTable.Offsets(p, c.Input, p.InPerGroup));
        }

        bool residual = op.Skip is not null;
        int positions = p.Positions;
        w.Line();
        w.Line($"/// <summary>{Summary.XmlEscape(op.MethodName)}'s epilogue: the first <paramref name=\"count\"/> lanes (output channels) of <paramref name=\"v\"/> to their places, {positions} float(s) apart{(residual ? ", plus the residual" : "")}{(op.Activation is null ? "" : ", activated")}.</summary>");
        w.Line("[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]");
        w.Open($"private static void {StoreMethod(op)}(global::System.Numerics.Vector<float> v, ref float y, {(residual ? "ref float s, " : "")}int offset, int count)");
        if (positions == 1)
        {
            w.Open("if (count == Lanes)");
            VectorStore.Emit(w, op, "v", "y", "offset", residual: true, activation: true);
            w.Line("return;");
            w.Close();
        }

        w.Open("for (int lane = 0; lane < count; lane++)");
        w.Line($"int k = {Expr.Sum(0, ("offset", 1), ("lane", positions))};");
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
        w.Line("ref float wb = ref At(ref wg, cb);");
        w.Open($"for (int start = 0; start < {L(p.Positions)}; start += {L(rows)})");
        w.Line(rows < p.Positions ? $"int q = global::System.Math.Min(start, {L(p.Positions - rows)}); // the last step overlaps the one before it" : "const int q = 0;");
        for (int j = 0; j < rows; j++)
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
        // One reduction step into partial sum s: k is the step's index, or with taps written out the tap's literal input offset.
        void Step(string k, int s)
        {
            string offset = $"o{s}";
            if (unrolled)
            {
                offset = k;
            }
            else
            {
                w.Line($"nint o{s} = {(depth == 1 ? "0" : p.Taps == 1 ? Expr.Sum(0, (k, input.ChannelStride)) : $"At(ref offsets, {k})")};");
            }

            string weights = s == 0 ? "" : L(s * padded);
            for (int v = 0; v < vectors; v++)
            {
                string at = weights.Length == 0 ? (v == 0 ? "0" : Column(v).Substring(3)) : weights + Column(v);
                w.Line($"var w{s}_{v} = Load(ref ws, {at});");
            }

            for (int j = 0; j < rows; j++)
            {
                w.Line($"var x{s}_{j} = Splat(At(ref x{j}, {offset}));");
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
                    Step(L(input.TapOffset(a, col, p.DilationH, p.DilationW)), tap);
                }
            }

            if (p.InPerGroup > 1)
            {
                for (int j = 0; j < rows; j++)
                {
                    w.Line($"x{j} = ref At(ref x{j}, {L(input.ChannelStride)});");
                }

                w.Line($"ws = ref At(ref ws, {L(p.Taps * padded)});");
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

            w.Line($"ws = ref At(ref ws, {L(splits * padded)});");
            w.Close();
        }

        if (!unrolled)
        {
            w.Open($"for ({(splits > 1 ? "" : "int k = 0")}; k < {L(depth)}; k++)");
            Step("k", 0);
            w.Line($"ws = ref At(ref ws, {L(padded)});");
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

                string channel = (grouped ? $"(g * {L(p.OutPerGroup)}) + " : "") + "cb" + Column(v);
                string offset = Expr.Sum(j, (channel, p.Positions), ("q", 1));
                string count = $"global::System.Math.Min(Lanes, {L(p.OutPerGroup)} - cb{(v == 0 ? "" : $" - {Column(v).Substring(3)}")})";
                w.Line($"{StoreMethod(op)}(acc{j}_{v}, ref y, {(op.Skip is not null ? "ref s, " : "")}{offset}, {count});");
            }
        }

        w.Close().Close();
        if (grouped)
        {
            w.Close();
        }
    }

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
