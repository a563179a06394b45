using ConvGen.Shapes;

namespace ConvGen.Generator.Emit;

/// <summary>
/// The vector strategy for stride-1 (along the width) convolutions: the interior is computed a
/// <c>Vector&lt;float&gt;</c> of output columns at a time for a block of output channels, so each input
/// load feeds several fused multiply-adds (register blocking); taps stay unrolled. Border positions use
/// the scalar padding-aware path of <see cref="Kernels"/>.
/// </summary>
internal static class VectorConvKernel
{

    /// <summary>
    /// Vectorize when the width stride is 1 and at least 8 interior columns exist per row. Keep in step with
    /// NetworkSchedule.NeedsPaddedCopy, which gives such layers a zero-padded input so they have no border.
    /// </summary>
    public static bool Applies(Op op)
    {
        if (op.Kind != OpKind.Conv || !op.Unrolled || op.Layer.Decl.StrideW != 1)
        {
            return false;
        }

        var g = new ConvGeometry(op);
        return g.HasInterior && !g.HasBorder && g.Cols.Hi - g.Cols.Lo + 1 >= 8;
    }

    /// <summary>Output channels computed together: the largest of 8, 4, 2, 1 that divides a group's output channels.</summary>
    public static int ChannelBlock(Op op)
    {
        int coutG = op.Layer.Output.Channels / op.Layer.Decl.Groups;
        return coutG % 8 == 0 ? 8 : coutG % 4 == 0 ? 4 : coutG % 2 == 0 ? 2 : 1;
    }

    private static string L(long value) => Literals.Int(value);

    public static void Emit(SourceWriter w, Op op)
    {
        var p = op.Layer;
        var d = p.Decl;
        var g = new ConvGeometry(op);
        var i = g.Input;
        var o = g.Output;
        int cinG = g.InPerGroup, coutG = g.OutPerGroup, kh = g.KernelH, kw = g.KernelW, taps = g.Taps;
        int block = ChannelBlock(op);
        var rows = g.Rows;
        var cols = g.Cols;

        Kernels.Prologue(w, op);
        if (op.BiasField is not null)
        {
            w.Line("ref float bs = ref Start(bias);");
        }

        // No border path: a zero-padded layer reads the padded copy NetworkSchedule makes for vector kernels,
        // and an unpadded one has every window inside the input.
        int width = cols.Hi - cols.Lo + 1;
        int vectors = ColumnVectors(block, width);
        w.Line($"// Interior: {block} output channel(s) x {(vectors == 1 ? "one column vector" : $"up to {vectors} column vectors")} per step; each input vector feeds {block} multiply-add(s) per tap.");
        w.Open($"for (int co = 0; co < {L(o.Channels)}; co += {L(block)})");
        if (d.Groups > 1)
        {
            w.Line($"int ci0 = co / {L(coutG)} * {L(cinG)}; // first input channel of this block's group");
        }

        w.Line($"ref float wb = ref At(ref w, co * {L(cinG * taps)});");
        w.Open($"for (int oh = {L(rows.Lo)}; oh <= {L(rows.Hi)}; oh++)");
        w.Line($"int ih = {Expr.Sum(-p.PadTop, ("oh", d.StrideH))};");
        w.Line($"ref float xr = ref At(ref x, {Expr.Sum(-p.PadLeft, (d.Groups == 1 ? "0" : "ci0", i.Spatial), ("ih", i.Width))});");
        w.Line($"ref float yr = ref At(ref y, {Expr.Sum(0, ("co", o.Spatial), ("oh", o.Width))});");
        if (vectors > 1)
        {
            // Few output channels per block: take several column vectors per step, so enough independent
            // accumulators (channels x vectors) hide the FMA latency.
            w.Open($"if (Lanes * {L(vectors)} <= {L(width)})");
            VectorSteps(w, op, g, block, vectors, cols);
            w.Close();
            w.Open($"else if (Lanes <= {L(width)})");
        }
        else
        {
            w.Open($"if (Lanes <= {L(width)})");
        }

        VectorSteps(w, op, g, block, 1, cols);
        w.Close();
        w.Open("else");
        w.Line("// Vectors wider than the interior (possible with 512-bit Vector<float>): one column at a time.");
        ScalarColumns(w, op, g, block, cols);
        w.Close();
        w.Close().Close();
    }

    /// <summary>
    /// Column vectors per step: enough that channels × vectors gives about 8 accumulators, at most 4, and no more
    /// 8-lane vectors than the row holds (wider hardware vectors fall back to one per step at run time).
    /// </summary>
    private static int ColumnVectors(int block, int width)
        => System.Math.Max(1, System.Math.Min(width / 8, System.Math.Min(4, 8 / block)));

    /// <summary>
    /// The interior of one output row, <paramref name="vectors"/> column vectors by <paramref name="block"/>
    /// output channels per step; the last step overlaps the one before it instead of leaving a scalar tail.
    /// </summary>
    private static void VectorSteps(SourceWriter w, Op op, ConvGeometry g, int block, int vectors, (int Lo, int Hi) cols)
    {
        var d = op.Layer.Decl;
        var i = g.Input;
        int cinG = g.InPerGroup, taps = g.Taps;
        string step = vectors == 1 ? "Lanes" : $"(Lanes * {L(vectors)})";
        string Acc(int k, int v) => vectors == 1 ? $"acc{k}" : $"acc{k}_{v}";
        string Column(int v) => v == 0 ? "" : v == 1 ? " + Lanes" : $" + (Lanes * {L(v)})";
        w.Open($"for (int start = {L(cols.Lo)}; start <= {L(cols.Hi)}; start += {step})");
        w.Line($"int ow = global::System.Math.Min(start, {L(cols.Hi + 1)} - {step}); // the last step overlaps the one before it");
        for (int k = 0; k < block; k++)
        {
            for (int v = 0; v < vectors; v++)
            {
                w.Line($"var {Acc(k, v)} = {(op.BiasField is null ? "Zero" : $"Splat(At(ref bs, {Expr.Sum(k, ("co", 1))}))")};");
            }
        }

        OpenChannels(w, cinG);
        string ci = cinG > 1 ? "ci" : "0";
        w.Line($"ref float xs = ref At(ref xr, {Expr.Sum(0, (ci, i.Spatial), ("ow", 1))});");
        w.Line(cinG > 1 ? $"ref float ws = ref At(ref wb, {Expr.Sum(0, (ci, taps))});" : "ref float ws = ref wb;");
        bool declared = false;
        for (int a = 0; a < g.KernelH; a++)
        {
            for (int c = 0; c < g.KernelW; c++)
            {
                int tap = (a * g.KernelW) + c;
                int offset = (a * d.DilationH * i.Width) + (c * d.DilationW);
                for (int v = 0; v < vectors; v++)
                {
                    string name = vectors == 1 ? "v" : $"v{v}";
                    string at = offset == 0 && v > 0 ? Column(v).Substring(3) : L(offset) + Column(v);
                    w.Line($"{(declared ? "" : "var ")}{name} = Load(ref xs, {at});{(v == 0 ? $" // tap ({a}, {c})" : "")}");
                }

                declared = true;
                for (int k = 0; k < block; k++)
                {
                    string weight = $"Splat(At(ref ws, {L((k * cinG * taps) + tap)}))";
                    if (vectors == 1)
                    {
                        w.Line($"acc{k} = Fma(v, {weight}, acc{k});");
                    }
                    else
                    {
                        w.Line($"var w{k} = {weight};".Replace("var ", tap == 0 ? "var " : ""));
                        for (int v = 0; v < vectors; v++)
                        {
                            w.Line($"{Acc(k, v)} = Fma(v{v}, w{k}, {Acc(k, v)});");
                        }
                    }
                }
            }
        }

        CloseChannels(w, cinG);
        for (int k = 0; k < block; k++)
        {
            for (int v = 0; v < vectors; v++)
            {
                string offset = Expr.Sum(0, ("ow", 1)) + Column(v);
                StoreVector(w, op, Acc(k, v), k == 0 ? offset : $"{L(k * g.Output.Spatial)} + {offset}");
            }
        }

        w.Close();
    }

    /// <summary>The interior columns one at a time, for the block's output channels.</summary>
    private static void ScalarColumns(SourceWriter w, Op op, ConvGeometry g, int block, (int Lo, int Hi) cols)
    {
        var d = op.Layer.Decl;
        int cinG = g.InPerGroup, taps = g.Taps;
        string ci = cinG > 1 ? "ci" : "0";
        w.Open($"for (int ow = {L(cols.Lo)}; ow <= {L(cols.Hi)}; ow++)");
        w.Open($"for (int k = 0; k < {L(block)}; k++)");
        w.Line($"float acc = {(op.BiasField is null ? "0f" : "At(ref bs, co + k)")};");
        OpenChannels(w, cinG);
        w.Line($"ref float xs = ref At(ref xr, {Expr.Sum(0, (ci, g.Input.Spatial), ("ow", 1))});");
        w.Line($"ref float ws = ref At(ref wb, {Expr.Sum(0, ("k", cinG * taps), (ci, taps))});");
        for (int a = 0; a < g.KernelH; a++)
        {
            for (int c = 0; c < g.KernelW; c++)
            {
                w.Line($"acc += At(ref ws, {L((a * g.KernelW) + c)}) * At(ref xs, {L((a * d.DilationH * g.Input.Width) + (c * d.DilationW))});");
            }
        }

        CloseChannels(w, cinG);
        w.Line($"At(ref yr, {Expr.Sum(0, ("k", g.Output.Spatial), ("ow", 1))}) = {op.Activation?.Apply("acc") ?? "acc"};");
        w.Close().Close();
    }

    private static void OpenChannels(SourceWriter w, int cinG)
    {
        if (cinG > 1)
        {
            w.Open($"for (int ci = 0; ci < {L(cinG)}; ci++)");
        }
    }

    private static void CloseChannels(SourceWriter w, int cinG)
    {
        if (cinG > 1)
        {
            w.Close();
        }
    }

    /// <summary>Stores a vector of outputs, applying the fused activation lane-wise (or element by element for the transcendental ones).</summary>
    private static void StoreVector(SourceWriter w, Op op, string acc, string offset)
    {
        bool laneWise = op.Activation is { Kind: LayerKind.ReLU or LayerKind.ReLU6 or LayerKind.LeakyReLU };
        string value = laneWise ? op.Activation!.Apply(acc) : acc;
        w.Line($"Store({value}, ref yr, {offset});");
        if (op.Activation is { Kind: LayerKind.Sigmoid or LayerKind.Tanh or LayerKind.SiLU })
        {
            w.Open($"for (int lane = 0; lane < Lanes; lane++)");
            w.Line($"ref float t = ref At(ref yr, {offset} + lane);");
            w.Line($"t = {op.Activation.Apply("t")};");
            w.Close();
        }
    }
}
