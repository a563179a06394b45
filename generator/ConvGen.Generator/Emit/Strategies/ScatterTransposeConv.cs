using System.Collections.Generic;
using System.Globalization;
using ConvGen.Shapes;

namespace ConvGen.Generator.Emit.Strategies;

/// <summary>
/// Transposed convolution as a scalar scatter: every input x[ci, ih, iw] adds x·w[ci, j, kh, kw] to
/// y[g·C_out/g + j, ih·s − p + kh·d, iw·s − p + kw·d]. Inputs whose taps all land inside skip the tests. It reads the
/// weights in PyTorch's layout. The fallback for what <see cref="PhaseTransposeConv"/> does not take (its cost is far
/// above the gather's, so it never wins where both apply).
/// </summary>
internal sealed class ScatterTransposeConv : ConvStrategy
{
    public override string Name => "scatter";

    public override bool Transposed => true;

    public override IEnumerable<KernelChoice> Candidates(ConvProblem p)
    {
        // About 1.5 cycles per scalar multiply-add (a load, an add and a store each), plus clearing the output.
        double cycles = ((double)p.InChannels * p.OutPerGroup * p.Taps * p.Height * p.Width * 1.5) + ((double)p.OutChannels * p.Positions * 0.25);
        yield return new KernelChoice(this, p, p.Unprepared, 1, 1) { Cycles = cycles };
    }

    public override string Describe(KernelChoice choice) => string.Format(
        CultureInfo.InvariantCulture,
        "Strategy: {0}, scalar: each input adds its contribution to one output per tap (the phase gather takes at most 16 output phases, here {1}, kernels up to 4096 per axis and input copies up to 2^26 floats).",
        Name,
        choice.Problem.StrideH * choice.Problem.StrideW);

    public override string PackWeight(string weight, KernelChoice choice) => weight;

    public override void EmitHelpers(SourceWriter w, Op op, KernelChoice choice)
    {
    }

    public override void Emit(SourceWriter w, Op op, KernelChoice choice)
    {
        var p = op.Layer;
        var d = p.Decl;
        var g = new ConvGeometry(op);
        var i = g.Input;
        var o = g.Output;
        int cinG = g.InPerGroup, coutG = g.OutPerGroup, kh = g.KernelH, kw = g.KernelW, taps = g.Taps;
        // Input rows whose taps all land in [0, out): ih·s − p ≥ 0 and ih·s − p + d(k − 1) ≤ out − 1.
        int rowLo = ShapeMath.CeilDiv(p.PadTop, d.StrideH), rowHi = ShapeMath.FloorDiv(o.Height - 1 + p.PadTop - (d.DilationH * (kh - 1)), d.StrideH);
        int colLo = ShapeMath.CeilDiv(p.PadLeft, d.StrideW), colHi = ShapeMath.FloorDiv(o.Width - 1 + p.PadLeft - (d.DilationW * (kw - 1)), d.StrideW);
        Kernels.Prologue(w, op);
        w.Open($"for (int co = 0; co < {L(o.Channels)}; co++)");
        w.Line($"output.Slice(co * {L(o.Spatial)}, {L(o.Spatial)}).Fill({(op.BiasField is null ? "0f" : "bias[co]")});");
        w.Close();
        w.Open($"for (int ci = 0; ci < {L(i.Channels)}; ci++)");
        w.Line(d.Groups == 1 ? "const int co0 = 0;" : $"int co0 = ci / {L(cinG)} * {L(coutG)}; // first output channel of this input's group");
        w.Open($"for (int j = 0; j < {L(coutG)}; j++)");
        w.Line($"ref float ws = ref {Kernels.At("w", $"((ci * {L(coutG)}) + j) * {L(taps)}")};");
        w.Line($"ref float yc = ref {Kernels.At("y", $"(co0 + j) * {L(o.Spatial)}")};");
        w.Open($"for (int ih = 0; ih < {L(i.Height)}; ih++)");
        w.Line($"int oh = {Expr.Sum(-p.PadTop, ("ih", d.StrideH))};");
        w.Open($"for (int iw = 0; iw < {L(i.Width)}; iw++)");
        w.Line($"float v = {Kernels.At("x", $"(ci * {L(i.Spatial)}) + (ih * {L(i.Width)}) + iw")};");
        w.Line($"int ow = {Expr.Sum(-p.PadLeft, ("iw", d.StrideW))};");
        bool anyInterior = rowLo <= rowHi && colLo <= colHi;
        if (anyInterior && op.Unrolled)
        {
            w.Open($"if (ih >= {L(rowLo)} && ih <= {L(rowHi)} && iw >= {L(colLo)} && iw <= {L(colHi)})");
            w.Line($"ref float yo = ref {Kernels.At("yc", $"(oh * {L(o.Width)}) + ow")};");
            for (int a = 0; a < kh; a++)
            {
                for (int c = 0; c < kw; c++)
                {
                    w.Line($"{Kernels.At("yo", L((a * d.DilationH * o.Width) + (c * d.DilationW)))} += v * {Kernels.At("ws", L((a * kw) + c))}; // tap ({a}, {c})");
                }
            }

            w.Line("continue;");
            w.Close();
        }

        w.Open($"for (int a = 0; a < {L(kh)}; a++)");
        w.Line($"int r = {Expr.Sum(0, ("oh", 1), ("a", d.DilationH))};");
        w.Open($"if ((uint)r >= {L(o.Height)}u)");
        w.Line("continue;").Close();
        w.Open($"for (int c = 0; c < {L(kw)}; c++)");
        w.Line($"int col = {Expr.Sum(0, ("ow", 1), ("c", d.DilationW))};");
        w.Open($"if ((uint)col < {L(o.Width)}u)");
        w.Line($"{Kernels.At("yc", $"(r * {L(o.Width)}) + col")} += v * {Kernels.At("ws", $"(a * {L(kw)}) + c")};");
        w.Close().Close().Close();
        w.Close().Close().Close().Close();
        if (op.Activation is not null)
        {
            w.Open($"for (int k = 0; k < {L(o.Size)}; k++)");
            w.Line($"float v = {Kernels.At("y", "k")};");
            w.Line($"{Kernels.At("y", "k")} = {op.Activation.Apply("v")};");
            w.Close();
        }
    }
}
