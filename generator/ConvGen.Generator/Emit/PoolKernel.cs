using System.Collections.Generic;

namespace ConvGen.Generator.Emit;

/// <summary>
/// The scalar pooling strategy, and the parts every pooling strategy shares: the loops over channels and rows that
/// send border outputs (windows reaching into the padding, or past the input with ceil_mode) to a window helper,
/// the unrolled scalar taps, and that helper. Max pooling reads the padding as −∞ and propagates NaN as PyTorch does;
/// average pooling divides by PyTorch's divisor (the window clipped to the padded input with count_include_pad,
/// else the valid taps). <see cref="VectorPoolKernel"/> is the faster strategy for the interior.
/// </summary>
internal static class PoolKernel
{
    private static string L(long value) => Literals.Int(value);

    /// <summary>Whether some output goes through the window helper (a border, or taps over the unroll budget).</summary>
    public static bool NeedsWindow(Op op) => !op.Unrolled || new PoolGeometry(op).HasBorder;

    public static void Emit(SourceWriter w, Op op)
    {
        var g = new PoolGeometry(op);
        w.Line($"// Strategy: scalar pooling, one output at a time: {VectorPoolKernel.Rejection(op)}.");
        Kernels.Prologue(w, op);
        bool interior = g.HasInterior && op.Unrolled;
        Rows(w, op, g, interior ? () => ScalarColumns(w, g) : null);
    }

    /// <summary>
    /// The loops over channels and output rows. Border rows and columns call the window helper; the interior
    /// columns of interior rows are written by <paramref name="interior"/> (null: every output calls the helper).
    /// </summary>
    internal static void Rows(SourceWriter w, Op op, PoolGeometry g, System.Action? interior)
    {
        var i = g.Input;
        var o = g.Output;
        w.Open($"for (int c = 0; c < {L(i.Channels)}; c++)");
        w.Line($"ref float xc = ref {Kernels.At("x", $"c * {L(i.Spatial)}")};");
        w.Line($"ref float yc = ref {Kernels.At("y", $"c * {L(o.Spatial)}")};");
        w.Open($"for (int oh = 0; oh < {L(o.Height)}; oh++)");
        w.Line($"int ih = {Expr.Sum(-g.PadTop, ("oh", g.StrideH))};");
        if (interior is null)
        {
            WindowColumns(w, op, g, 0, o.Width);
            w.Close().Close();
            return;
        }

        var outside = new List<string>();
        if (g.Rows.Lo > 0)
        {
            outside.Add($"oh < {L(g.Rows.Lo)}");
        }

        if (g.Rows.Hi < o.Height - 1)
        {
            outside.Add($"oh > {L(g.Rows.Hi)}");
        }

        if (outside.Count > 0)
        {
            w.Open($"if ({string.Join(" || ", outside)})");
            WindowColumns(w, op, g, 0, o.Width);
            w.Line("continue;");
            w.Close();
        }

        if (g.Cols.Lo > 0)
        {
            WindowColumns(w, op, g, 0, g.Cols.Lo);
        }

        interior();
        if (g.Cols.Hi < o.Width - 1)
        {
            WindowColumns(w, op, g, g.Cols.Hi + 1, o.Width);
        }

        w.Close().Close();
    }

    /// <summary>The interior columns of a row, one output at a time with the taps unrolled.</summary>
    internal static void ScalarColumns(SourceWriter w, PoolGeometry g)
    {
        w.Open($"for (int ow = {L(g.Cols.Lo)}; ow <= {L(g.Cols.Hi)}; ow++)");
        w.Line($"ref float xs = ref {Kernels.At("xc", Expr.Sum(-g.PadLeft, ("ih", g.Input.Width), ("ow", g.StrideW)))};");
        for (int a = 0; a < g.KernelH; a++)
        {
            for (int c = 0; c < g.KernelW; c++)
            {
                string tap = Kernels.At("xs", L(g.TapOffset(a, c)));
                string line = a == 0 && c == 0 ? $"float m = {tap};" : g.Max ? $"m = MaxNaN(m, {tap});" : $"m += {tap};";
                w.Line($"{line} // tap ({a}, {c})");
            }
        }

        w.Line($"{Kernels.At("yc", Expr.Sum(0, ("oh", g.Output.Width), ("ow", 1)))} = {(g.Max ? "m" : $"m / {Literals.Float(g.KernelH * g.KernelW)}")};");
        w.Close();
    }

    private static void WindowColumns(SourceWriter w, Op op, PoolGeometry g, int from, int to)
    {
        w.Open($"for (int ow = {L(from)}; ow < {L(to)}; ow++)");
        w.Line($"{Kernels.At("yc", Expr.Sum(0, ("oh", g.Output.Width), ("ow", 1)))} = {op.MethodName}_Window(ref xc, ih, {Expr.Sum(-g.PadLeft, ("ow", g.StrideW))});");
        w.Close();
    }

    /// <summary>The window helper: one output whose window may reach into the padding or past the input.</summary>
    public static void EmitHelpers(SourceWriter w, Op op)
    {
        if (!NeedsWindow(op))
        {
            return;
        }

        var p = op.Layer;
        var g = new PoolGeometry(op);
        var i = g.Input;
        w.Line();
        w.Line($"/// <summary>{Summary.XmlEscape(p.Label)} over a window that may reach into the padding or past the input.</summary>");
        w.Open($"private static float {op.MethodName}_Window(ref float xc, int ih, int iw)");
        if (g.Max)
        {
            w.Line("float m = float.NegativeInfinity;");
            w.Open($"for (int a = 0; a < {L(g.KernelH)}; a++)");
            w.Line($"int r = {Expr.Sum(0, ("ih", 1), ("a", g.DilationH))};");
            w.Open($"if ((uint)r >= {L(i.Height)}u)");
            w.Line("continue;").Close();
            w.Open($"for (int c = 0; c < {L(g.KernelW)}; c++)");
            w.Line($"int col = {Expr.Sum(0, ("iw", 1), ("c", g.DilationW))};");
            w.Open($"if ((uint)col < {L(i.Width)}u)");
            w.Line($"m = MaxNaN(m, {Kernels.At("xc", $"(r * {L(i.Width)}) + col")});");
            w.Close().Close().Close();
            w.Line("return m;");
        }
        else
        {
            int padH = i.Rank == 2 ? g.PadTop : 0;
            w.Line($"int r0 = ih, r1 = global::System.Math.Min(ih + {L(g.KernelH)}, {L(i.Height + padH)});");
            w.Line($"int c0 = iw, c1 = global::System.Math.Min(iw + {L(g.KernelW)}, {L(i.Width + g.PadLeft)});");
            w.Line("int divisor = (r1 - r0) * (c1 - c0);");
            w.Line($"r0 = global::System.Math.Max(r0, 0); r1 = global::System.Math.Min(r1, {L(i.Height)});");
            w.Line($"c0 = global::System.Math.Max(c0, 0); c1 = global::System.Math.Min(c1, {L(i.Width)});");
            if (!p.Decl.CountIncludePad)
            {
                w.Line("divisor = (r1 - r0) * (c1 - c0);");
            }

            w.Line("float sum = 0f;");
            w.Open("for (int r = r0; r < r1; r++)");
            w.Open("for (int col = c0; col < c1; col++)");
            w.Line($"sum += {Kernels.At("xc", $"(r * {L(i.Width)}) + col")};");
            w.Close().Close();
            w.Line("return sum / divisor;");
        }

        w.Close();
    }
}
