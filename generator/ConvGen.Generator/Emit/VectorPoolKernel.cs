using System.Collections.Generic;

namespace ConvGen.Generator.Emit;

/// <summary>
/// The vector strategy for max and average pooling: the interior of each output row is computed a
/// <c>Vector&lt;float&gt;</c> of output columns at a time, taps unrolled and free of tests; the last step overlaps the
/// one before it instead of leaving a scalar tail. Stride 1 loads each tap at its offset. Stride 2 reads each window
/// row as two vectors (2·Lanes input columns), reduces the window's rows first, then takes neighbouring tap columns
/// apart with an even/odd lane shuffle (one shuffle with SSE, two with AVX2: see <c>ConvGen.Kernels.Simd.Evens</c>).
/// Border outputs use <see cref="PoolKernel"/>'s window helper; max pooling's lanes propagate NaN as the scalar path does.
/// Reducing rows before columns visits a stride-2 window's taps column by column, not row by row as PyTorch does: the
/// result is the same value, except that a maximum tied between −0 and +0 may keep the other zero; average pooling's
/// sum is rounded in that order too (within float rounding of the scalar sum).
/// </summary>
internal static class VectorPoolKernel
{
    /// <summary>Interior columns a row needs before the vector path is emitted: one 8-lane (AVX2) vector.</summary>
    private const int MinimumColumns = 8;

    private static string L(long value) => Literals.Int(value);

    public static bool Applies(Op op) => Rejection(op) is null;

    /// <summary>Why the vector strategy does not take <paramref name="op"/> (null: it does).</summary>
    public static string? Rejection(Op op)
    {
        var g = new PoolGeometry(op);
        if (!op.Unrolled)
        {
            return "its taps are over the network's unroll budget";
        }

        if (g.StrideW > 2)
        {
            return $"width stride {g.StrideW}; the vector kernel deinterleaves strides 1 and 2 only";
        }

        if (g.StrideW == 2 && g.KernelW == 1)
        {
            return "a one-column window at stride 2: a vector pair would read past the last window";
        }

        if (g.InteriorWidth < MinimumColumns)
        {
            return $"{g.InteriorWidth} interior output column(s) per row, fewer than one {MinimumColumns}-lane vector";
        }

        return null;
    }

    public static void Emit(SourceWriter w, Op op)
    {
        var g = new PoolGeometry(op);
        w.Line(g.StrideW == 1
            ? $"// Strategy: vector pooling, stride 1: {L(g.InteriorWidth)} interior columns per row, a Vector<float> of outputs per step, one load per tap."
            : $"// Strategy: vector pooling, stride 2: {L(g.InteriorWidth)} interior columns per row, a Vector<float> of outputs per step; rows reduced first, then tap columns taken apart by even/odd lane shuffles.");
        if (g.HasBorder)
        {
            w.Line("// Border outputs (padding, ceil_mode) go through the window helper below.");
        }

        Kernels.Prologue(w, op);

        PoolKernel.Rows(w, op, g, () =>
        {
            w.Open($"if (Lanes <= {L(g.InteriorWidth)})");
            w.Open($"for (int start = {L(g.Cols.Lo)}; start <= {L(g.Cols.Hi)}; start += Lanes)");
            w.Line($"int ow = global::System.Math.Min(start, {L(g.Cols.Hi + 1)} - Lanes); // the last step overlaps the one before it");
            w.Line($"ref float xs = ref {Kernels.At("xc", Expr.Sum(-g.PadLeft, ("ih", g.Input.Width), ("ow", g.StrideW)))};");
            if (g.StrideW == 1)
            {
                StrideOne(w, g);
            }
            else
            {
                StrideTwo(w, g);
            }

            w.Line($"Store({(g.Max ? "m" : $"m / Splat({Literals.Float(g.KernelH * g.KernelW)})")}, ref yc, {Expr.Sum(0, ("oh", g.Output.Width), ("ow", 1))});");
            w.Close().Close();
            w.Open("else");
            w.Line("// Vectors wider than the interior (possible with 512-bit Vector<float>): one column at a time.");
            PoolKernel.ScalarColumns(w, g);
            w.Close();
        });
    }

    private static void StrideOne(SourceWriter w, PoolGeometry g)
    {
        for (int a = 0; a < g.KernelH; a++)
        {
            for (int c = 0; c < g.KernelW; c++)
            {
                string load = $"Load(ref xs, {L(g.TapOffset(a, c))})";
                w.Line($"{Combine(g, "m", load, a == 0 && c == 0)} // tap ({a}, {c})");
            }
        }
    }

    /// <summary>
    /// Output lane j reads input column 2j + t for tap column offset t. Two vectors loaded at offset u hold columns
    /// u … u + 2·Lanes − 1: their even lanes are tap u, their odd lanes tap u + 1. Neighbouring taps (dilation 1) go
    /// in pairs; a lone tap takes the even lanes at its offset, or (the window's last column, where a load at its
    /// offset would read one column past the last window) the odd lanes from one column before.
    /// </summary>
    private static void StrideTwo(SourceWriter w, PoolGeometry g)
    {
        int last = g.TapOffset(0, g.KernelW - 1);
        var groups = new List<(string Taps, int Offset, string Shuffle)>();
        for (int c = 0; c < g.KernelW; c++)
        {
            int t = g.TapOffset(0, c);
            if (g.DilationW == 1 && c + 1 < g.KernelW)
            {
                groups.Add(($"columns {c} and {c + 1}", t, g.Max ? "MaxOfPairs" : "SumOfPairs"));
                c++;
            }
            else if (t < last)
            {
                groups.Add(($"column {c}", t, "Evens"));
            }
            else
            {
                groups.Add(($"column {c}", t - 1, "Odds"));
            }
        }

        string rows = g.KernelH == 1 ? "" : $", rows 0-{g.KernelH - 1} reduced";
        for (int k = 0; k < groups.Count; k++)
        {
            var (taps, offset, shuffle) = groups[k];
            w.Line($"// tap {taps}{rows}: {(shuffle == "Odds" ? $"odd lanes of the columns from {offset}" : shuffle == "Evens" ? $"even lanes of the columns from {offset}" : "each column pair combined")}");
            foreach (var (name, high) in new[] { ("lo", false), ("hi", true) })
            {
                for (int a = 0; a < g.KernelH; a++)
                {
                    int at = g.TapOffset(a, 0) + offset;
                    string load = $"Load(ref xs, {(high ? (at == 0 ? "Lanes" : $"{L(at)} + Lanes") : L(at))})";
                    w.Line(a == 0 ? $"{(k == 0 ? "var " : "")}{name} = {load};" : Combine(g, name, load, first: false));
                }
            }

            w.Line(Combine(g, "m", $"{shuffle}(lo, hi)", k == 0));
        }
    }

    /// <summary>"var m = v;" for the first tap, then "m = MaxNaN(m, v);" (max) or "m += v;" (average).</summary>
    private static string Combine(PoolGeometry g, string acc, string value, bool first)
        => first ? $"var {acc} = {value};" : g.Max ? $"{acc} = MaxNaN({acc}, {value});" : $"{acc} += {value};";
}
