using System.Collections.Generic;
using System.Linq;
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
            case OpKind.ScaleShift: ScaleShift(w, op); break;
            case OpKind.Activation: Elementwise(w, op); break;
            case OpKind.MaxPool:
            case OpKind.AvgPool: Pool(w, op); break;
            case OpKind.GlobalAvgPool: GlobalAvgPool(w, op); break;
            case OpKind.Upsample: Upsample(w, op); break;
            case OpKind.PixelShuffle:
            case OpKind.PixelUnshuffle: PixelShuffle(w, op); break;
            case OpKind.Add: Add(w, op); break;
            case OpKind.Concat: Concat(w, op); break;
        }
    }

    /// <summary>Methods a kernel calls besides itself (the border paths), written after it.</summary>
    public static void EmitHelpers(SourceWriter w, Op op)
    {
        var p = op.Layer;
        var d = p.Decl;
        switch (op.Kind)
        {
            case OpKind.Conv or OpKind.Linear:
                op.Choice!.Strategy.EmitHelpers(w, op, op.Choice);
                break;
            case OpKind.MaxPool when PoolNeedsWindow(op):
                PoolWindow(w, op, p.Input.Rank == 2 ? d.KernelH : 1, d.KernelW, d.DilationH, d.DilationW);
                break;
            case OpKind.AvgPool when PoolNeedsWindow(op):
                PoolWindow(w, op, p.Input.Rank == 2 ? d.KernelH : 1, d.KernelW, 1, 1);
                break;
        }
    }


    /// <summary>Whether some pooling window reaches outside the input (or the taps are not unrolled).</summary>
    private static bool PoolNeedsWindow(Op op)
    {
        var p = op.Layer;
        var d = p.Decl;
        bool max = op.Kind == OpKind.MaxPool;
        var rows = ConvGeometry.Interior(p.Output.Height, p.Input.Height, p.Input.Rank == 2 ? d.KernelH : 1, d.StrideH, max ? d.DilationH : 1, p.PadTop);
        var cols = ConvGeometry.Interior(p.Output.Width, p.Input.Width, d.KernelW, d.StrideW, max ? d.DilationW : 1, p.PadLeft);
        return !op.Unrolled || rows.Lo > 0 || rows.Hi < p.Output.Height - 1 || cols.Lo > 0 || cols.Hi < p.Output.Width - 1;
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

    /// <summary>Standalone BatchNorm: y = x·scale[c] + shift[c] (scale and shift precomputed from the running statistics).</summary>
    private static void ScaleShift(SourceWriter w, Op op)
    {
        var s = op.Layer.Input;
        Prologue(w, op);
        w.Open($"for (int c = 0; c < {L(s.Channels)}; c++)");
        w.Line("float scale = weight[c], shift = bias[c];");
        w.Open($"for (int k = c * {L(s.Spatial)}; k < (c + 1) * {L(s.Spatial)}; k++)");
        w.Line($"float v = ({At("x", "k")} * scale) + shift;");
        w.Line($"{At("y", "k")} = {Store(op, "v")};");
        w.Close().Close();
    }

    private static void Elementwise(SourceWriter w, Op op)
    {
        Prologue(w, op);
        w.Open($"for (int k = 0; k < {L(op.Layer.Input.Size)}; k++)");
        w.Line($"float v = {At("x", "k")};");
        w.Line($"{At("y", "k")} = {Store(op, "v")};");
        w.Close();
    }

    /// <summary>
    /// Max pooling (padding reads −∞, NaN wins as in PyTorch) and average pooling (PyTorch's divisor: the
    /// window clipped to the padded input with count_include_pad, else the valid taps).
    /// </summary>
    private static void Pool(SourceWriter w, Op op)
    {
        var p = op.Layer;
        var d = p.Decl;
        var i = p.Input;
        var o = p.Output;
        bool max = op.Kind == OpKind.MaxPool;
        int kh = i.Rank == 2 ? d.KernelH : 1, kw = d.KernelW;
        int dh = max ? d.DilationH : 1, dw = max ? d.DilationW : 1;
        var rows = ConvGeometry.Interior(o.Height, i.Height, kh, d.StrideH, dh, p.PadTop);
        var cols = ConvGeometry.Interior(o.Width, i.Width, kw, d.StrideW, dw, p.PadLeft);
        Prologue(w, op);
        w.Open($"for (int c = 0; c < {L(i.Channels)}; c++)");
        w.Line($"ref float xc = ref {At("x", $"c * {L(i.Spatial)}")};");
        w.Line($"ref float yc = ref {At("y", $"c * {L(o.Spatial)}")};");
        w.Open($"for (int oh = 0; oh < {L(o.Height)}; oh++)");
        w.Line($"int ih = {Expr.Sum(-p.PadTop, ("oh", d.StrideH))};");
        w.Open($"for (int ow = 0; ow < {L(o.Width)}; ow++)");
        w.Line($"int iw = {Expr.Sum(-p.PadLeft, ("ow", d.StrideW))};");
        if (rows.Lo <= rows.Hi && cols.Lo <= cols.Hi && op.Unrolled)
        {
            string inside = string.Join(" && ", new[] { Expr.InRange("oh", rows.Lo, rows.Hi, o.Height), Expr.InRange("ow", cols.Lo, cols.Hi, o.Width) }.Where(t => t != "true"));
            bool everywhere = inside.Length == 0;
            if (!everywhere)
            {
                w.Open($"if ({inside})");
            }

            w.Line($"ref float xs = ref {At("xc", Expr.Sum(0, ("ih", i.Width), ("iw", 1)))};");
            for (int a = 0; a < kh; a++)
            {
                for (int c = 0; c < kw; c++)
                {
                    string tap = At("xs", L((a * dh * i.Width) + (c * dw)));
                    if (a == 0 && c == 0)
                    {
                        w.Line($"float m = {tap}; // tap (0, 0)");
                    }
                    else if (max)
                    {
                        w.Line($"m = MaxNaN(m, {tap}); // tap ({a}, {c})");
                    }
                    else
                    {
                        w.Line($"m += {tap}; // tap ({a}, {c})");
                    }
                }
            }

            w.Line($"{At("yc", Expr.Sum(0, ("oh", o.Width), ("ow", 1)))} = {(max ? "m" : $"m / {Literals.Float(kh * kw)}")};");
            if (everywhere)
            {
                w.Close().Close().Close();
                return;
            }

            w.Line("continue;");
            w.Close();
        }

        w.Line($"{At("yc", $"(oh * {L(o.Width)}) + ow")} = {op.MethodName}_Window(ref xc, ih, iw);");
        w.Close().Close().Close();
    }

    private static void PoolWindow(SourceWriter w, Op op, int kh, int kw, int dh, int dw)
    {
        var p = op.Layer;
        var d = p.Decl;
        var i = p.Input;
        bool max = op.Kind == OpKind.MaxPool;
        w.Line();
        w.Line($"/// <summary>{Summary.XmlEscape(p.Label)} over a window that may reach into the padding or past the input.</summary>");
        w.Open($"private static float {op.MethodName}_Window(ref float xc, int ih, int iw)");
        if (max)
        {
            w.Line("float m = float.NegativeInfinity;");
            w.Open($"for (int a = 0; a < {L(kh)}; a++)");
            w.Line($"int r = {Expr.Sum(0, ("ih", 1), ("a", dh))};");
            w.Open($"if ((uint)r >= {L(i.Height)}u)");
            w.Line("continue;").Close();
            w.Open($"for (int c = 0; c < {L(kw)}; c++)");
            w.Line($"int col = {Expr.Sum(0, ("iw", 1), ("c", dw))};");
            w.Open($"if ((uint)col < {L(i.Width)}u)");
            w.Line($"m = MaxNaN(m, {At("xc", $"(r * {L(i.Width)}) + col")});");
            w.Close().Close().Close();
            w.Line("return m;");
        }
        else
        {
            int padH = i.Rank == 2 ? p.PadTop : 0;
            w.Line($"int r0 = ih, r1 = global::System.Math.Min(ih + {L(kh)}, {L(i.Height + padH)});");
            w.Line($"int c0 = iw, c1 = global::System.Math.Min(iw + {L(kw)}, {L(i.Width + p.PadLeft)});");
            w.Line("int divisor = (r1 - r0) * (c1 - c0);");
            w.Line($"r0 = global::System.Math.Max(r0, 0); r1 = global::System.Math.Min(r1, {L(i.Height)});");
            w.Line($"c0 = global::System.Math.Max(c0, 0); c1 = global::System.Math.Min(c1, {L(i.Width)});");
            if (!d.CountIncludePad)
            {
                w.Line("divisor = (r1 - r0) * (c1 - c0);");
            }

            w.Line("float sum = 0f;");
            w.Open("for (int r = r0; r < r1; r++)");
            w.Open("for (int col = c0; col < c1; col++)");
            w.Line($"sum += {At("xc", $"(r * {L(i.Width)}) + col")};");
            w.Close().Close();
            w.Line("return sum / divisor;");
        }

        w.Close();
    }

    private static void GlobalAvgPool(SourceWriter w, Op op)
    {
        var i = op.Layer.Input;
        Prologue(w, op);
        w.Open($"for (int c = 0; c < {L(i.Channels)}; c++)");
        w.Line("float sum = 0f;");
        w.Open($"for (int k = 0; k < {L(i.Spatial)}; k++)");
        w.Line($"sum += {At("x", $"(c * {L(i.Spatial)}) + k")};");
        w.Close();
        w.Line($"{At("y", "c")} = sum / {Literals.Float(i.Spatial)};");
        w.Close();
    }

    /// <summary>
    /// Nearest: y[oh, ow] = x[oh/s, ow/s]. (Bi)linear, align_corners=false: source (o + 0.5)/s − 0.5 clamped at 0,
    /// blended with its right/lower neighbour; PyTorch's weights and order of operations.
    /// </summary>
    private static void Upsample(SourceWriter w, Op op)
    {
        var p = op.Layer;
        var i = p.Input;
        var o = p.Output;
        int s = p.Decl.Factor;
        bool twoD = i.Rank == 2;
        Prologue(w, op);
        w.Open($"for (int c = 0; c < {L(i.Channels)}; c++)");
        w.Line($"ref float xc = ref {At("x", $"c * {L(i.Spatial)}")};");
        w.Line($"ref float yc = ref {At("y", $"c * {L(o.Spatial)}")};");
        w.Open($"for (int oh = 0; oh < {L(o.Height)}; oh++)");
        if (!p.Decl.LinearInterpolation)
        {
            w.Line($"int ih = {(twoD ? $"oh / {L(s)}" : "0")};");
            w.Open($"for (int ow = 0; ow < {L(o.Width)}; ow++)");
            w.Line($"{At("yc", $"(oh * {L(o.Width)}) + ow")} = {At("xc", $"(ih * {L(i.Width)}) + (ow / {L(s)})")};");
            w.Close();
        }
        else
        {
            string scale = Literals.Float(1.0 / s);
            if (twoD)
            {
                w.Line($"float sh = global::System.MathF.Max(({scale} * (oh + 0.5f)) - 0.5f, 0f);");
                w.Line($"int h0 = (int)sh, hp = h0 < {L(i.Height - 1)} ? 1 : 0;");
                w.Line("float lh1 = sh - h0, lh0 = 1f - lh1;");
            }
            else
            {
                w.Line("const int h0 = 0, hp = 0;");
                w.Line("const float lh1 = 0f, lh0 = 1f;");
            }

            w.Open($"for (int ow = 0; ow < {L(o.Width)}; ow++)");
            w.Line($"float sw = global::System.MathF.Max(({scale} * (ow + 0.5f)) - 0.5f, 0f);");
            w.Line($"int w0 = (int)sw, wp = w0 < {L(i.Width - 1)} ? 1 : 0;");
            w.Line("float lw1 = sw - w0, lw0 = 1f - lw1;");
            w.Line($"ref float top = ref {At("xc", $"(h0 * {L(i.Width)}) + w0")};");
            w.Line($"ref float bottom = ref {At("top", $"hp * {L(i.Width)}")};");
            w.Line($"{At("yc", $"(oh * {L(o.Width)}) + ow")} = (lh0 * ((lw0 * top) + (lw1 * {At("top", "wp")}))) + (lh1 * ((lw0 * bottom) + (lw1 * {At("bottom", "wp")})));");
            w.Close();
        }

        w.Close().Close();
    }

    /// <summary>Pixel shuffle: y[c, h·r + a, w·r + b] = x[c·r² + a·r + b, h, w]; unshuffle is its inverse.</summary>
    private static void PixelShuffle(SourceWriter w, Op op)
    {
        var p = op.Layer;
        int r = p.Decl.Factor;
        bool shuffle = op.Kind == OpKind.PixelShuffle;
        var small = shuffle ? p.Input : p.Output; // the [C·r², H, W] side
        var large = shuffle ? p.Output : p.Input;
        Prologue(w, op);
        w.Open($"for (int c = 0; c < {L(large.Channels)}; c++)");
        w.Open($"for (int a = 0; a < {L(r)}; a++)");
        w.Open($"for (int b = 0; b < {L(r)}; b++)");
        w.Line($"int sub = (c * {L(r * r)}) + (a * {L(r)}) + b;");
        w.Open($"for (int h = 0; h < {L(small.Height)}; h++)");
        w.Open($"for (int col = 0; col < {L(small.Width)}; col++)");
        string smallAt = $"(sub * {L(small.Spatial)}) + (h * {L(small.Width)}) + col";
        string largeAt = $"(c * {L(large.Spatial)}) + (((h * {L(r)}) + a) * {L(large.Width)}) + (col * {L(r)}) + b";
        w.Line(shuffle
            ? $"{At("y", largeAt)} = {At("x", smallAt)};"
            : $"{At("y", smallAt)} = {At("x", largeAt)};");
        w.Close().Close().Close().Close().Close();
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
