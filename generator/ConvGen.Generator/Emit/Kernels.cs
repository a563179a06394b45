using System.Collections.Generic;
using ConvGen.Shapes;

namespace ConvGen.Generator.Emit;

/// <summary>
/// How each kernel is computed: the scalar direct strategy. Every shape, stride, padding, dilation and
/// group count is a literal; taps are unrolled (within the unroll budget); the padded border and the
/// interior are separate paths, and the interior indexes through refs without bounds tests.
/// <see cref="Emit"/> picks the strategy per op: a faster one is a new class beside this one (as
/// <see cref="VectorConvKernel"/> is), added to that switch.
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

        if (op.PatchField is not null)
        {
            list.Add(OutSpan + " patches");
        }

        return string.Join(", ", list);
    }

    public static void Emit(SourceWriter w, Op op)
    {
        switch (op.Kind)
        {
            case OpKind.Conv when VectorConvKernel.Applies(op): VectorConvKernel.Emit(w, op); break;
            case OpKind.Conv when op.PatchField is not null: PatchConvKernel.Emit(w, op); break;
            case OpKind.Conv: Conv(w, op); break;
            case OpKind.Pad: Pad(w, op); break;
            case OpKind.ConvTranspose: ConvTranspose(w, op); break;
            case OpKind.Linear: Linear(w, op); break;
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
            case OpKind.Conv when op.PatchField is not null:
                PatchConvKernel.EmitHelpers(w, op);
                break;
            case OpKind.Conv:
                if (new ConvGeometry(op).HasBorder)
                {
                    ConvWindow(w, op);
                }

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


    /// <summary>Convolution: y[co, oh, ow] = b[co] + Σ_ci Σ_kh Σ_kw w[co, ci, kh, kw] · x[g·C_in/g + ci, oh·s − p + kh·d, ow·s − p + kw·d].</summary>
    private static void Conv(SourceWriter w, Op op)
    {
        var p = op.Layer;
        var d = p.Decl;
        var g = new ConvGeometry(op);
        var i = g.Input;
        var o = g.Output;
        int cinG = g.InPerGroup, coutG = g.OutPerGroup, kh = g.KernelH, kw = g.KernelW, taps = g.Taps;
        int sh = d.StrideH, sw = d.StrideW, dh = d.DilationH, dw = d.DilationW;
        var rows = g.Rows;
        var cols = g.Cols;
        bool hasBorder = g.HasBorder;

        Prologue(w, op);
        w.Open($"for (int co = 0; co < {L(o.Channels)}; co++)");
        w.Line(d.Groups == 1 ? "const int ci0 = 0;" : $"int ci0 = co / {L(coutG)} * {L(cinG)}; // first input channel of this output's group");
        w.Line($"float b = {(op.BiasField is null ? "0f" : "bias[co]")};");
        w.Line($"ref float wc = ref {At("w", $"co * {L(cinG * taps)}")};");
        w.Line($"ref float yc = ref {At("y", $"co * {L(o.Spatial)}")};");
        w.Open($"for (int oh = 0; oh < {L(o.Height)}; oh++)");
        w.Line($"int ih = {Expr.Sum(-p.PadTop, ("oh", sh))};");
        if (rows.Lo <= rows.Hi && cols.Lo <= cols.Hi)
        {
            if (hasBorder)
            {
                w.Open($"if (oh < {L(rows.Lo)} || oh > {L(rows.Hi)})");
                BorderLoop(w, op, "0", L(o.Width));
                w.Line("continue;");
                w.Close();
                if (cols.Lo > 0)
                {
                    BorderLoop(w, op, "0", L(cols.Lo));
                }
            }

            w.Open($"for (int ow = {L(cols.Lo)}; ow <= {L(cols.Hi)}; ow++)");
            w.Line($"int iw = {Expr.Sum(-p.PadLeft, ("ow", sw))};");
            w.Line("float acc = b;");
            bool channelLoop = cinG > 1;
            if (channelLoop)
            {
                w.Open($"for (int ci = 0; ci < {L(cinG)}; ci++)");
            }

            string ci = channelLoop ? "ci" : "0";
            w.Line($"ref float xs = ref {At("x", Expr.Sum(0, (channelLoop ? "ci0 + ci" : "ci0", i.Spatial), ("ih", i.Width), ("iw", 1)))};");
            w.Line($"ref float ws = ref {At("wc", Expr.Sum(0, (ci, taps)))};");
            if (op.Unrolled)
            {
                for (int a = 0; a < kh; a++)
                {
                    for (int c = 0; c < kw; c++)
                    {
                        int wo = (a * kw) + c, xo = (a * dh * i.Width) + (c * dw);
                        w.Line($"acc += {At("ws", L(wo))} * {At("xs", L(xo))}; // tap ({a}, {c})");
                    }
                }
            }
            else
            {
                w.Line($"// Compact loop: {taps} taps exceed this kernel's share of the unroll budget.");
                w.Open($"for (int a = 0; a < {L(kh)}; a++)");
                w.Open($"for (int c = 0; c < {L(kw)}; c++)");
                w.Line($"acc += {At("ws", $"(a * {L(kw)}) + c")} * {At("xs", $"(a * {L(dh * i.Width)}) + (c * {L(dw)})")};");
                w.Close().Close();
            }

            if (channelLoop)
            {
                w.Close();
            }

            w.Line($"{At("yc", $"(oh * {L(o.Width)}) + ow")} = {Store(op, "acc")};");
            w.Close();
            if (cols.Hi < o.Width - 1)
            {
                BorderLoop(w, op, L(cols.Hi + 1), L(o.Width));
            }
        }
        else
        {
            BorderLoop(w, op, "0", L(o.Width));
        }

        w.Close().Close();
    }

    internal static void BorderLoop(SourceWriter w, Op op, string from, string to)
    {
        var p = op.Layer;
        w.Open($"for (int ow = {from}; ow < {to}; ow++)");
        w.Line($"float acc = b + {op.MethodName}_Border(ref x, ref wc, ci0, ih, {Expr.Sum(-p.PadLeft, ("ow", p.Decl.StrideW))});");
        w.Line($"{At("yc", $"(oh * {L(p.Output.Width)}) + ow")} = {Store(op, "acc")};");
        w.Close();
    }

    /// <summary>The border path: the same sum, skipping taps that fall in the zero padding.</summary>
    private static void ConvWindow(SourceWriter w, Op op)
    {
        var p = op.Layer;
        var d = p.Decl;
        var i = p.Input;
        int cinG = i.Channels / d.Groups;
        int kh = i.Rank == 2 ? d.KernelH : 1, kw = d.KernelW;
        w.Line();
        w.Line($"/// <summary>{Summary.XmlEscape(p.Label)} at a border position: taps outside the input read the zero padding and are skipped.</summary>");
        w.Open($"private static float {op.MethodName}_Border(ref float x, ref float wc, int ci0, int ih, int iw)");
        w.Line("float acc = 0f;");
        w.Open($"for (int ci = 0; ci < {L(cinG)}; ci++)");
        w.Open($"for (int a = 0; a < {L(kh)}; a++)");
        w.Line($"int r = {Expr.Sum(0, ("ih", 1), ("a", d.DilationH))};");
        w.Open($"if ((uint)r >= {L(i.Height)}u)");
        w.Line("continue;").Close();
        w.Open($"for (int c = 0; c < {L(kw)}; c++)");
        w.Line($"int col = {Expr.Sum(0, ("iw", 1), ("c", d.DilationW))};");
        w.Open($"if ((uint)col < {L(i.Width)}u)");
        w.Line($"acc += {At("wc", $"(ci * {L(kh * kw)}) + (a * {L(kw)}) + c")} * {At("x", $"((ci0 + ci) * {L(i.Spatial)}) + (r * {L(i.Width)}) + col")};");
        w.Close().Close().Close().Close();
        w.Line("return acc;");
        w.Close();
    }

    /// <summary>Padding into a separate buffer, as PyTorch's F.pad does before the convolution.</summary>
    private static void Pad(SourceWriter w, Op op)
    {
        var p = op.Layer;
        var i = p.Input;
        var o = op.Output.Shape;
        if (p.Decl.BorderMode == BorderMode.Zeros)
        {
            w.Line($"output.Slice(0, {L(o.Size)}).Clear();");
            w.Open($"for (int c = 0; c < {L(i.Channels)}; c++)");
            w.Open($"for (int r = 0; r < {L(i.Height)}; r++)");
            w.Line($"input.Slice({Expr.Sum(0, ("c", i.Spatial), ("r", i.Width))}, {L(i.Width)}).CopyTo(output.Slice({Expr.Sum((p.PadTop * o.Width) + p.PadLeft, ("c", o.Spatial), ("r", o.Width))}, {L(i.Width)}));");
            w.Close().Close();
            return;
        }

        string map = p.Decl.BorderMode switch
        {
            BorderMode.Reflect => "Reflect",
            BorderMode.Replicate => "Replicate",
            _ => "Circular",
        };
        Prologue(w, op);
        w.Open($"for (int c = 0; c < {L(i.Channels)}; c++)");
        w.Open($"for (int r = 0; r < {L(o.Height)}; r++)");
        w.Line($"int sr = {(i.Rank == 2 ? $"{map}(r - {L(p.PadTop)}, {L(i.Height)})" : "0")};");
        w.Open($"for (int col = 0; col < {L(o.Width)}; col++)");
        w.Line($"{At("y", $"(c * {L(o.Spatial)}) + (r * {L(o.Width)}) + col")} = {At("x", $"(c * {L(i.Spatial)}) + (sr * {L(i.Width)}) + {map}(col - {L(p.PadLeft)}, {L(i.Width)})")};");
        w.Close().Close().Close();
    }

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

    /// <summary>Linear: y[o] = b[o] + W[o, :] · x.</summary>
    private static void Linear(SourceWriter w, Op op)
    {
        var p = op.Layer;
        int inF = p.Input.Size, outF = p.Output.Size;
        Prologue(w, op);
        w.Open($"for (int o = 0; o < {L(outF)}; o++)");
        w.Line($"float acc = {(op.BiasField is null ? "0f" : "bias[o]")} + Dot(ref {At("w", $"o * {L(inF)}")}, ref x, {L(inF)});");
        w.Line($"{At("y", "o")} = {Store(op, "acc")};");
        w.Close();
    }

    /// <summary>Residual add: y = x + skip, or with projection y = x + (W'·skip[:, oh·s, ow·s] + b'), BatchNorm folded into W'.</summary>
    private static void Add(SourceWriter w, Op op)
    {
        var p = op.Layer;
        var o = p.Output;
        Prologue(w, op);
        if (!p.Decl.Projection)
        {
            w.Open($"for (int k = 0; k < {L(o.Size)}; k++)");
            w.Line($"float v = {At("x", "k")} + {At("s", "k")};");
            w.Line($"{At("y", "k")} = {Store(op, "v")};");
            w.Close();
            return;
        }

        var sk = p.Skip;
        w.Open($"for (int co = 0; co < {L(o.Channels)}; co++)");
        w.Line($"ref float wc = ref {At("w", $"co * {L(sk.Channels)}")};");
        w.Open($"for (int oh = 0; oh < {L(o.Height)}; oh++)");
        w.Open($"for (int ow = 0; ow < {L(o.Width)}; ow++)");
        w.Line("float acc = bias[co];");
        w.Line($"ref float ss = ref {At("s", $"(oh * {L(p.ProjectionStrideH * sk.Width)}) + (ow * {L(p.ProjectionStrideW)})")};");
        w.Open($"for (int ci = 0; ci < {L(sk.Channels)}; ci++)");
        w.Line($"acc += {At("wc", "ci")} * {At("ss", $"ci * {L(sk.Spatial)}")};");
        w.Close();
        w.Line($"int k = (co * {L(o.Spatial)}) + (oh * {L(o.Width)}) + ow;");
        w.Line($"float v = {At("x", "k")} + acc;");
        w.Line($"{At("y", "k")} = {Store(op, "v")};");
        w.Close().Close().Close();
    }

    /// <summary>Concatenation along channels: the current tensor's channels, then the saved tensor's.</summary>
    private static void Concat(SourceWriter w, Op op)
    {
        var p = op.Layer;
        w.Line($"input.Slice(0, {L(p.Input.Size)}).CopyTo(output);");
        w.Line($"skip.Slice(0, {L(p.Skip.Size)}).CopyTo(output.Slice({L(p.Input.Size)}));");
    }
}
