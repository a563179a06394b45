using System.Collections.Generic;
using ConvGen.Generator.Emit.Strategies;
using ConvGen.Shapes;

namespace ConvGen.Generator.Emit;

/// <summary>
/// How each kernel is computed. Convolutions and linear layers run the kernel the cost model chose for them
/// (<see cref="CostModel"/>: a strategy from its table, its register tile and input layout, see <see cref="Op.Choice"/>);
/// the other layers have one kernel each, written here: every shape, stride and padding a literal, taps unrolled
/// (within the unroll budget), the padded border and the interior as separate paths, the interior indexed through
/// refs without bounds tests.
/// </summary>
internal static class Kernels
{
    private const string Span = "global::System.ReadOnlySpan<float>";
    private const string OutSpan = "global::System.Span<float>";

    private static string L(long value) => Literals.Int(value);

    /// <summary>The parameter list of an op's kernel: input, [skip], output, [weight, bias].</summary>
    public static string Parameters(Op op)
    {
        var list = new List<string> { Span + " input" };
        if (op.Skip is not null)
        {
            list.Add(Span + " skip");
        }

        list.Add(OutSpan + " output");
        if (op.WeightField is not null)
        {
            list.Add(Span + " weight");
        }

        if (op.BiasField is not null)
        {
            list.Add(Span + " bias");
        }

        if (op.ScratchField is not null)
        {
            list.Add(OutSpan + " scratch");
        }

        return string.Join(", ", list);
    }

    public static void Emit(SourceWriter w, Op op)
    {
        switch (op.Kind)
        {
            case OpKind.Conv or OpKind.Linear: op.Choice!.Strategy.Emit(w, op, op.Choice); break;
            case OpKind.Pad: PaddedInputKernel.Emit(w, op); break;
            case OpKind.ConvTranspose: ConvTranspose(w, op); break;
            case OpKind.ScaleShift or OpKind.Activation: ElementwiseKernel.Emit(w, op); break;
            case OpKind.MaxPool or OpKind.AvgPool when VectorPoolKernel.Applies(op): VectorPoolKernel.Emit(w, op); break;
            case OpKind.MaxPool or OpKind.AvgPool: PoolKernel.Emit(w, op); break;
            case OpKind.GlobalAvgPool: GlobalAvgPoolKernel.Emit(w, op); break;
            case OpKind.Upsample or OpKind.PixelShuffle or OpKind.PixelUnshuffle: ResampleKernel.Emit(w, op); break;
            case OpKind.Add: Add(w, op); break;
            case OpKind.Concat: Concat(w, op); break;
        }
    }

    /// <summary>Methods a kernel calls besides itself (the border paths), written after it.</summary>
    public static void EmitHelpers(SourceWriter w, Op op)
    {
        switch (op.Kind)
        {
            case OpKind.Conv or OpKind.Linear:
                op.Choice!.Strategy.EmitHelpers(w, op, op.Choice);
                break;
            case OpKind.MaxPool or OpKind.AvgPool:
                PoolKernel.EmitHelpers(w, op);
                break;
        }
    }


    internal static void Prologue(SourceWriter w, Op op)
    {
        w.Line($"ref float x = ref Start(input);");
        w.Line($"ref float y = ref Start(output);");
        if (op.Skip is not null)
        {
            w.Line($"ref float s = ref Start(skip);");
        }

        if (op.WeightField is not null)
        {
            w.Line($"ref float w = ref Start(weight);");
        }
    }

    private static string Store(Op op, string value) => op.Activation?.Apply(value) ?? value;

    /// <summary>The element <paramref name="offset"/> floats after <paramref name="baseRef"/>, with no bounds test.</summary>
    internal static string At(string baseRef, string offset) => $"At(ref {baseRef}, {offset})";


    /// <summary>
    /// Transposed convolution as a scatter: every input x[ci, ih, iw] adds x·w[ci, j, kh, kw] to
    /// y[g·C_out/g + j, ih·s − p + kh·d, iw·s − p + kw·d]. Inputs whose taps all land inside skip the tests.
    /// </summary>
    private static void ConvTranspose(SourceWriter w, Op op)
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
        Prologue(w, op);
        w.Open($"for (int co = 0; co < {L(o.Channels)}; co++)");
        w.Line($"output.Slice(co * {L(o.Spatial)}, {L(o.Spatial)}).Fill({(op.BiasField is null ? "0f" : "bias[co]")});");
        w.Close();
        w.Open($"for (int ci = 0; ci < {L(i.Channels)}; ci++)");
        w.Line(d.Groups == 1 ? "const int co0 = 0;" : $"int co0 = ci / {L(cinG)} * {L(coutG)}; // first output channel of this input's group");
        w.Open($"for (int j = 0; j < {L(coutG)}; j++)");
        w.Line($"ref float ws = ref {At("w", $"((ci * {L(coutG)}) + j) * {L(taps)}")};");
        w.Line($"ref float yc = ref {At("y", $"(co0 + j) * {L(o.Spatial)}")};");
        w.Open($"for (int ih = 0; ih < {L(i.Height)}; ih++)");
        w.Line($"int oh = {Expr.Sum(-p.PadTop, ("ih", d.StrideH))};");
        w.Open($"for (int iw = 0; iw < {L(i.Width)}; iw++)");
        w.Line($"float v = {At("x", $"(ci * {L(i.Spatial)}) + (ih * {L(i.Width)}) + iw")};");
        w.Line($"int ow = {Expr.Sum(-p.PadLeft, ("iw", d.StrideW))};");
        bool anyInterior = rowLo <= rowHi && colLo <= colHi;
        if (anyInterior && op.Unrolled)
        {
            w.Open($"if (ih >= {L(rowLo)} && ih <= {L(rowHi)} && iw >= {L(colLo)} && iw <= {L(colHi)})");
            w.Line($"ref float yo = ref {At("yc", $"(oh * {L(o.Width)}) + ow")};");
            for (int a = 0; a < kh; a++)
            {
                for (int c = 0; c < kw; c++)
                {
                    w.Line($"{At("yo", L((a * d.DilationH * o.Width) + (c * d.DilationW)))} += v * {At("ws", L((a * kw) + c))}; // tap ({a}, {c})");
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
        w.Line($"{At("yc", $"(r * {L(o.Width)}) + col")} += v * {At("ws", $"(a * {L(kw)}) + c")};");
        w.Close().Close().Close();
        w.Close().Close().Close().Close();
        if (op.Activation is not null)
        {
            ActivationPass(w, op, o.Size);
        }
    }

    private static void ActivationPass(SourceWriter w, Op op, int size)
    {
        w.Open($"for (int k = 0; k < {L(size)}; k++)");
        w.Line($"float v = {At("y", "k")};");
        w.Line($"{At("y", "k")} = {Store(op, "v")};");
        w.Close();
    }

    /// <summary>Residual add, y = x + skip, where no convolution before it could add it in its epilogue (a projection always runs as a convolution).</summary>
    private static void Add(SourceWriter w, Op op)
    {
        var p = op.Layer;
        var o = p.Output;
        Prologue(w, op);
        w.Open($"for (int k = 0; k < {L(o.Size)}; k++)");
        w.Line($"float v = {At("x", "k")} + {At("s", "k")};");
        w.Line($"{At("y", "k")} = {Store(op, "v")};");
        w.Close();
    }

    /// <summary>Concatenation along channels: the current tensor's channels, then the saved tensor's.</summary>
    private static void Concat(SourceWriter w, Op op)
    {
        var p = op.Layer;
        w.Line($"input.Slice(0, {L(p.Input.Size)}).CopyTo(output);");
        w.Line($"skip.Slice(0, {L(p.Skip.Size)}).CopyTo(output.Slice({L(p.Input.Size)}));");
    }
}
