using System.Collections.Generic;
using System.Globalization;
using ConvGen.Shapes;

namespace ConvGen.Generator.Emit.Training;

/// <summary>
/// Writes each training op's two kernels, <c>{stem}Forward(int batch)</c> and <c>{stem}Backward(int batch)</c>, as
/// instance methods of the trainer. Shapes are literals. Forward writes the op's output tensor; Backward adds into the
/// gradients of its inputs (a tensor read twice, such as a saved one, sums both contributions) and of its parameters.
/// </summary>
internal static class TrainingKernels
{
    private const string MathF = "global::System.MathF";

    private static string L(long v) => v.ToString(CultureInfo.InvariantCulture);

    public static void Emit(SourceWriter w, TrainOp op, TrainingNames names)
    {
        switch (op.Kind)
        {
            case TrainOpKind.Conv when UsesPatchMatrix(op): ConvolutionGemm(w, op, names); break;
            case TrainOpKind.Conv: Convolution(w, op, names, transposed: false); break;
            case TrainOpKind.ConvTranspose when UsesPatchMatrix(op): TransposedConvolutionGemm(w, op, names); break;
            case TrainOpKind.ConvTranspose: Convolution(w, op, names, transposed: true); break;
            case TrainOpKind.Linear: Linear(w, op, names); break;
            case TrainOpKind.BatchNorm: BatchNorm(w, op, names); break;
            case TrainOpKind.Activation: Activation(w, op); break;
            case TrainOpKind.Dropout: Dropout(w, op); break;
            case TrainOpKind.MaxPool: MaxPool(w, op); break;
            case TrainOpKind.AvgPool: AvgPool(w, op); break;
            case TrainOpKind.GlobalAvgPool: GlobalAvgPool(w, op); break;
            case TrainOpKind.Pad: Pad(w, op); break;
            case TrainOpKind.Upsample: Upsample(w, op); break;
            case TrainOpKind.PixelShuffle or TrainOpKind.PixelUnshuffle: PixelShuffle(w, op); break;
            case TrainOpKind.Add: Add(w, op); break;
            default: Concat(w, op); break;
        }
    }

    private static string Title(TrainOp op)
    {
        var p = op.Layer;
        string note = op.Note.Length > 0 ? " (" + op.Note + ")" : "";
        return $"{p.Label}{note}: {p.Input} -> {p.Output}";
    }

    private static void Open(SourceWriter w, TrainOp op, bool backward, string what)
    {
        w.Line();
        w.Line("/// <summary>");
        w.Doc(Summary.XmlEscape($"{Title(op)}. {(backward ? "Backward" : "Forward")}: {what}"));
        w.Line("/// </summary>");
        w.Open($"private void {op.Method}{(backward ? "Backward" : "Forward")}(int batch)");
    }

    /// <summary>The locals every kernel starts with: its tensors (and, backward, their gradients).</summary>
    private static void Tensors(SourceWriter w, TrainOp op, bool backward)
    {
        var names = new List<string> { $"x = {op.Input.Field}" };
        if (op.Skip is { } skip)
        {
            names.Add($"s = {skip.Field}");
        }

        names.Add($"y = {op.Output.Field}");
        if (backward)
        {
            names.Add($"dx = {op.Input.GradientField}");
            if (op.Skip is { } s)
            {
                names.Add($"ds = {s.GradientField}");
            }

            names.Add($"dy = {op.Output.GradientField}");
        }

        w.Line("float[] " + string.Join(", ", names) + ";");
    }

    /// <summary>Whether the op's input gradient is needed: not for the network input unless the caller asked for it.</summary>
    private static string InputGradientNeeded(TrainOp op) => op.Input.Id == 0 ? "_inputGradient" : "true";

    /// <summary>The loop over the other channel of a (co, ci) pair within a group; a block of its own when the group has one.</summary>
    private static void Inner(SourceWriter w, int count)
    {
        if (count == 1)
        {
            w.Open("// one channel per group");
            w.Line("const int j = 0;");
        }
        else
        {
            w.Open($"for (int j = 0; j < {L(count)}; j++)");
        }
    }

    /// <summary>An early return for kernels that only compute the input gradient, when it may not be wanted.</summary>
    private static void ReturnUnlessInputGradient(SourceWriter w, TrainOp op)
    {
        if (op.Input.Id == 0)
        {
            w.Open("if (!_inputGradient)");
            w.Line("return;");
            w.Close();
        }
    }

    /// <summary>
    /// Whether a convolution runs as matrix products over a per-sample patch matrix (C_in·T × output positions floats,
    /// kept three times). Above 2^26 floats it runs tap by tap on the tensors instead: slower, but without the matrix.
    /// </summary>
    public static bool UsesPatchMatrix(TrainOp op) => op.Kind is TrainOpKind.Conv or TrainOpKind.ConvTranspose && PatchElements(op) <= 1L << 26;

    public static long PatchElements(TrainOp op) => TapBlocks.PatchElements(op.Layer, op.Kind == TrainOpKind.ConvTranspose);

    /// <summary>
    /// A convolution as matrix products, sample by sample: the sample's input patches are copied into a matrix (row
    /// ci·T + tap holds channel ci's inputs under that tap for every output position, 0 where the tap reads padding),
    /// then y = W·patches (+ b), ∂W += dy·patchesᵀ, and the patches' gradient Wᵀ·dy is added back to the input positions.
    /// </summary>
    private static void ConvolutionGemm(SourceWriter w, TrainOp op, TrainingNames names)
    {
        var p = op.Layer;
        var d = p.Decl;
        int cin = p.Input.Channels, cout = p.Output.Channels, g = d.Groups;
        int cinG = cin / g, coutG = cout / g;
        int taps = TapBlocks.Taps(p);
        int rowsTotal = cin * taps, rowsG = cinG * taps, positions = p.Output.Spatial, outW = p.Output.Width;
        var blocks = TapBlocks.For(p, transposed: false);
        string id = L(op.Output.Id);
        string table = "Taps" + id;
        string weight = names.Value(op.Weight!);
        string? bias = op.Bias is null ? null : names.Value(op.Bias);
        var first = blocks.Count > 0 ? blocks[0] : new TapBlock(0, 0, 1, 1, 0, 1, 1, 0, 0);
        string inStrides = $"{L(first.InRowStride)}, {L(first.InStep)}";
        TapBlocks.Table(w, p, blocks, table, taps);

        Open(w, op, false, $"y[n, co, oh, ow] = {(bias is null ? "" : "b[co] + ")}Σ x[n, ci, oh·s − p + kh·d, ow·s − p + kw·d]·w[co, ci, kh, kw], as y[n] = W·patches per group ({coutG} × {rowsG} times {rowsG} × {positions}). Each Copy line moves one tap's block of input positions into its row of the patch matrix; the blocks are clipped at generation time, so padded positions stay 0.");
        Tensors(w, op, false);
        w.Line($"float[] w = {weight}, col = _col{id};");
        w.Open("for (int n = 0; n < batch; n++)");
        TapBlocks.Patches(w, p, blocks, table, $"(n * {L(p.Input.Size)}) + ", "Copy", "x", "col");
        w.Line($"int yb = n * {L(p.Output.Size)};");
        if (bias is not null)
        {
            w.Open($"for (int co = 0; co < {L(cout)}; co++)");
            w.Line($"Slice(y, yb + (co * {L(positions)}), {L(positions)}).Fill({bias}[co]);");
            w.Close();
        }

        TapBlocks.Groups(w, g, group => w.Line($"Multiply(w, {TapBlocks.GroupOffset(group, coutG * rowsG)}, {L(rowsG)}, 1, col, {TapBlocks.GroupOffset(group, rowsG * positions)}, {L(positions)}, y, {TapBlocks.Offset("yb", TapBlocks.GroupOffset(group, coutG * positions))}, {L(positions)}, {L(coutG)}, {L(rowsG)}, {L(positions)}, accumulate: {(bias is null ? "false" : "true")});"));
        w.Close();
        w.Close();

        Open(w, op, true, $"per sample and group, ∂W += dy·patchesᵀ{(bias is null ? "" : ", ∂b[co] += Σ dy[n, co]")}, and the patches' gradient Wᵀ·dy goes back to the input positions it was copied from (the transpose of the forward map).");
        Tensors(w, op, true);
        w.Line($"float[] w = {weight}, dw = {names.Gradient(op.Weight!)}, colT = _colT{id}, dcol = _dcol{id};");
        w.Line($"bool inputGradient = {InputGradientNeeded(op)};");
        w.Open("for (int n = 0; n < batch; n++)");
        TapBlocks.Patches(w, p, blocks, table, $"(n * {L(p.Input.Size)}) + ", "Copy", "x", "colT", transposedLayout: true);
        w.Line($"int yb = n * {L(p.Output.Size)};");
        if (bias is not null)
        {
            w.Open($"for (int co = 0; co < {L(cout)}; co++)");
            w.Line($"{names.Gradient(op.Bias!)}[co] += Sum(Slice(dy, yb + (co * {L(positions)}), {L(positions)}));");
            w.Close();
        }

        TapBlocks.Groups(w, g, group => w.Line($"Multiply(dy, {TapBlocks.Offset("yb", TapBlocks.GroupOffset(group, coutG * positions))}, {L(positions)}, 1, colT, {TapBlocks.GroupOffset(group, rowsG)}, {L(rowsTotal)}, dw, {TapBlocks.GroupOffset(group, coutG * rowsG)}, {L(rowsG)}, {L(coutG)}, {L(positions)}, {L(rowsG)}, accumulate: true);"));
        w.Open("if (inputGradient)");
        TapBlocks.Groups(w, g, group => w.Line($"Multiply(w, {TapBlocks.GroupOffset(group, coutG * rowsG)}, 1, {L(rowsG)}, dy, {TapBlocks.Offset("yb", TapBlocks.GroupOffset(group, coutG * positions))}, {L(positions)}, dcol, {TapBlocks.GroupOffset(group, rowsG * positions)}, {L(positions)}, {L(rowsG)}, {L(coutG)}, {L(positions)}, accumulate: false);"));
        w.Open($"for (int ci = 0; ci < {L(cin)}; ci++)");
        w.Line($"int xc = (n * {L(p.Input.Size)}) + (ci * {L(p.Input.Spatial)}), row = ci * {L(taps * positions)};");
        TapBlocks.PerTap(w, blocks, table, (t, i, o, r, c) => $"Axpy(1f, dcol, row + {TapBlocks.Folded(t, positions, o)}, {L(outW)}, 1, dx, xc + {i}, {inStrides}, {r}, {c});");
        w.Close();
        w.Close();
        w.Close();
        w.Close();
    }

    /// <summary>
    /// A transposed convolution as matrix products, sample by sample and group by group: its forward is the adjoint of
    /// a convolution's patch copy, so cols = Wᵀ·x ([C_out/g·T, input positions]) is scattered to the output positions
    /// tap block by tap block; backward copies dy's blocks into patch matrices, dx += W·patches(dy) and
    /// ∂W += x·patches(dy)ᵀ.
    /// </summary>
    private static void TransposedConvolutionGemm(SourceWriter w, TrainOp op, TrainingNames names)
    {
        var p = op.Layer;
        var d = p.Decl;
        int cin = p.Input.Channels, cout = p.Output.Channels, g = d.Groups;
        int cinG = cin / g, coutG = cout / g;
        int taps = TapBlocks.Taps(p);
        int rows = coutG * taps, positions = p.Input.Spatial, outPlane = p.Output.Spatial;
        var blocks = TapBlocks.For(p, transposed: true);
        string id = L(op.Output.Id);
        string table = "Taps" + id;
        string weight = names.Value(op.Weight!);
        string? bias = op.Bias is null ? null : names.Value(op.Bias);
        var first = blocks.Count > 0 ? blocks[0] : new TapBlock(0, 0, 1, 1, 0, 1, 1, 0, 0);
        string outStrides = $"{L(first.OutRowStride)}, {L(first.OutStep)}";
        TapBlocks.Table(w, p, blocks, table, taps);

        // Per group g and output channel j of it: row j·T + tap of a [C_out/g·T, P_in] matrix pairs with co = g·C_out/g + j.
        void PerChannel(string group, string statement)
        {
            w.Open($"for (int j = 0; j < {L(coutG)}; j++)");
            w.Line($"int yc = yb + (({(group == "0" ? "" : $"({TapBlocks.GroupOffset(group, coutG)}) + ")}j) * {L(outPlane)}), row = j * {L((long)taps * positions)};");
            TapBlocks.PerTap(w, blocks, table, (t, i, o, r, c) => statement
                .Replace("ROWT", $"({i} * {L(rows)}) + (j * {L(taps)}) + {t}")
                .Replace("ROW", $"row + {TapBlocks.Folded(t, positions, i)}")
                .Replace("OUT", $"yc + {o}")
                .Replace("RC", $"{r}, {c}"));
            w.Close();
        }

        Open(w, op, false, $"y[n, co, ih·s − p + kh·d, iw·s − p + kw·d] += Σ_ci x[n, ci, ih, iw]·w[ci, co, kh, kw]{(bias is null ? "" : " + b[co]")}: per group, cols = Wᵀ·x ({rows} × {cinG} times {cinG} × {positions}), then each tap's block of cols is added to its output positions.");
        Tensors(w, op, false);
        w.Line($"float[] w = {weight}, cols = _col{id};");
        w.Open("for (int n = 0; n < batch; n++)");
        w.Line($"int xb = n * {L(p.Input.Size)}, yb = n * {L(p.Output.Size)};");
        w.Open($"for (int co = 0; co < {L(cout)}; co++)");
        string plane = $"Slice(y, yb + (co * {L(outPlane)}), {L(outPlane)})";
        w.Line(bias is null ? $"{plane}.Clear();" : $"{plane}.Fill({bias}[co]);");
        w.Close();
        TapBlocks.Groups(w, g, group =>
        {
            w.Line($"Multiply(w, {TapBlocks.GroupOffset(group, (long)cinG * rows)}, 1, {L(rows)}, x, {TapBlocks.Offset("xb", TapBlocks.GroupOffset(group, (long)cinG * positions))}, {L(positions)}, cols, 0, {L(positions)}, {L(rows)}, {L(cinG)}, {L(positions)}, accumulate: false);");
            PerChannel(group, $"Axpy(1f, cols, ROW, {L(p.Input.Width)}, 1, y, OUT, {outStrides}, RC);");
        });
        w.Close();
        w.Close();

        Open(w, op, true, $"per sample and group, dy's blocks are copied into patch matrices (as rows and as columns), then dx += W·patches, ∂W += x·patchesᵀ{(bias is null ? "" : ", ∂b[co] += Σ dy[n, co]")}.");
        Tensors(w, op, true);
        w.Line($"float[] w = {weight}, dw = {names.Gradient(op.Weight!)}, patches = _dcol{id}, patchesT = _colT{id};");
        w.Line($"bool inputGradient = {InputGradientNeeded(op)};");
        w.Open("for (int n = 0; n < batch; n++)");
        w.Line($"int xb = n * {L(p.Input.Size)}, yb = n * {L(p.Output.Size)};");
        if (bias is not null)
        {
            w.Open($"for (int co = 0; co < {L(cout)}; co++)");
            w.Line($"{names.Gradient(op.Bias!)}[co] += Sum(Slice(dy, yb + (co * {L(outPlane)}), {L(outPlane)}));");
            w.Close();
        }

        TapBlocks.Groups(w, g, group =>
        {
            string weights = TapBlocks.GroupOffset(group, (long)cinG * rows), inputs = TapBlocks.Offset("xb", TapBlocks.GroupOffset(group, (long)cinG * positions));
            PerChannel(group, $"Copy(dy, OUT, {outStrides}, patches, ROW, {L(p.Input.Width)}, 1, RC);");
            PerChannel(group, $"Copy(dy, OUT, {outStrides}, patchesT, ROWT, {L((long)p.Input.Width * rows)}, {L(rows)}, RC);");
            w.Line($"Multiply(x, {inputs}, {L(positions)}, 1, patchesT, 0, {L(rows)}, dw, {weights}, {L(rows)}, {L(cinG)}, {L(positions)}, {L(rows)}, accumulate: true);");
            w.Open("if (inputGradient)");
            w.Line($"Multiply(w, {weights}, {L(rows)}, 1, patches, 0, {L(positions)}, dx, {inputs}, {L(positions)}, {L(cinG)}, {L(rows)}, {L(positions)}, accumulate: true);");
            w.Close();
        });
        w.Close();
        w.Close();
    }

    private static void Convolution(SourceWriter w, TrainOp op, TrainingNames names, bool transposed)
    {
        var p = op.Layer;
        var d = p.Decl;
        int cin = p.Input.Channels, cout = p.Output.Channels, g = d.Groups;
        int cinG = cin / g, coutG = cout / g;
        int taps = TapBlocks.Taps(p);
        int inPlane = p.Input.Spatial, outPlane = p.Output.Spatial;
        var blocks = TapBlocks.For(p, transposed);
        string table = "Taps" + L(op.Output.Id);
        string weight = names.Value(op.Weight!);
        string? bias = op.Bias is null ? null : names.Value(op.Bias);
        string shape = transposed ? $"w[ci, co mod {coutG}, tap]" : $"w[co, ci mod {cinG}, tap]";

        // The loops over (n, co, ci) pairs that share a weight; `body` writes what happens per tap block.
        void Pairs(System.Action body)
        {
            w.Open("for (int n = 0; n < batch; n++)");
            if (transposed)
            {
                w.Open($"for (int ci = 0; ci < {L(cin)}; ci++)");
                w.Line($"int xb = (n * {L(p.Input.Size)}) + (ci * {L(inPlane)});");
                Inner(w, coutG);
                w.Line(g == 1 ? "int co = j;" : $"int co = ((ci / {L(cinG)}) * {L(coutG)}) + j;");
                w.Line($"int yb = (n * {L(p.Output.Size)}) + (co * {L(outPlane)});");
                w.Line(coutG == 1 ? $"int wb = ci * {L(taps)};" : $"int wb = ((ci * {L(coutG)}) + j) * {L(taps)};");
            }
            else
            {
                w.Open($"for (int co = 0; co < {L(cout)}; co++)");
                w.Line($"int yb = (n * {L(p.Output.Size)}) + (co * {L(outPlane)});");
                Inner(w, cinG);
                w.Line(g == 1 ? "int ci = j;" : $"int ci = ((co / {L(coutG)}) * {L(cinG)}) + j;");
                w.Line($"int xb = (n * {L(p.Input.Size)}) + (ci * {L(inPlane)});");
                w.Line(cinG == 1 ? $"int wb = co * {L(taps)};" : $"int wb = ((co * {L(cinG)}) + j) * {L(taps)};");
            }

            body();
            w.Close();
            w.Close();
            w.Close();
        }

        var first = blocks.Count > 0 ? blocks[0] : new TapBlock(0, 0, 1, 1, 0, 1, 1, 0, 0);
        string inStrides = $"{L(first.InRowStride)}, {L(first.InStep)}";
        string outStrides = $"{L(first.OutRowStride)}, {L(first.OutStep)}";
        string relation = transposed
            ? "y[n, co, ih·s − p + kh·d, iw·s − p + kw·d] += x[n, ci, ih, iw]·w[ci, co, kh, kw]"
            : "y[n, co, oh, ow] = b[co] + Σ x[n, ci, oh·s − p + kh·d, ow·s − p + kw·d]·w[co, ci, kh, kw]";
        string blockNote = $"Each tap pairs a block of input positions (row stride {first.InRowStride}, step {first.InStep}) with a block of output positions (row stride {first.OutRowStride}, step {first.OutStep}); the blocks are clipped at generation time, so zero padding costs nothing.";

        TapBlocks.Table(w, p, blocks, table, taps);

        Open(w, op, false, $"{relation}. {blockNote}");
        Tensors(w, op, false);
        w.Line($"float[] w = {weight};");
        // Bias first (or zero), then every tap adds its block.
        w.Open("for (int n = 0; n < batch; n++)");
        w.Open($"for (int co = 0; co < {L(cout)}; co++)");
        string plane = $"Slice(y, (n * {L(p.Output.Size)}) + (co * {L(outPlane)}), {L(outPlane)})";
        w.Line(bias is null ? $"{plane}.Clear();" : $"{plane}.Fill({bias}[co]);");
        w.Close();
        w.Close();
        w.Line($"// y[block] += {shape} · x[block], one tap block per line.");
        Pairs(() => TapBlocks.PerTap(w, blocks, table, (t, i, o, r, c) => $"Axpy(w[wb + {t}], x, xb + {i}, {inStrides}, y, yb + {o}, {outStrides}, {r}, {c});"));
        w.Close();

        string gradients = $"∂w[tap] += Σ dy[block]·x[block]{(bias is null ? "" : ", ∂b[co] += Σ dy[n, co]")}, and dx[block] += w[tap]·dy[block] (the transpose of the forward map).";
        Open(w, op, true, gradients);
        Tensors(w, op, true);
        w.Line($"float[] w = {weight}, dw = {names.Gradient(op.Weight!)};");
        w.Line($"bool inputGradient = {InputGradientNeeded(op)};");
        if (bias is not null)
        {
            w.Line($"float[] db = {names.Gradient(op.Bias!)};");
            w.Open("for (int n = 0; n < batch; n++)");
            w.Open($"for (int co = 0; co < {L(cout)}; co++)");
            w.Line($"db[co] += Sum(Slice(dy, (n * {L(p.Output.Size)}) + (co * {L(outPlane)}), {L(outPlane)}));");
            w.Close();
            w.Close();
        }

        Pairs(() =>
        {
            TapBlocks.PerTap(w, blocks, table, (t, i, o, r, c) => $"dw[wb + {t}] += Dot(dy, yb + {o}, {outStrides}, x, xb + {i}, {inStrides}, {r}, {c});");
            w.Open("if (inputGradient)");
            TapBlocks.PerTap(w, blocks, table, (t, i, o, r, c) => $"Axpy(w[wb + {t}], dy, yb + {o}, {outStrides}, dx, xb + {i}, {inStrides}, {r}, {c});");
            w.Close();
        });
        w.Close();
    }

    private static void Linear(SourceWriter w, TrainOp op, TrainingNames names)
    {
        var p = op.Layer;
        int fin = p.Input.Size, fout = p.Output.Size;
        string? bias = op.Bias is null ? null : names.Value(op.Bias);
        Open(w, op, false, $"y[n, o] = {(bias is null ? "" : "b[o] + ")}Σ_i w[o, i]·x[n, i].");
        Tensors(w, op, false);
        w.Line($"float[] w = {names.Value(op.Weight!)};");
        w.Open("for (int n = 0; n < batch; n++)");
        w.Open($"for (int o = 0; o < {L(fout)}; o++)");
        w.Line($"y[(n * {L(fout)}) + o] = {(bias is null ? "" : $"{bias}[o] + ")}Dot(w, o * {L(fin)}, 0, 1, x, n * {L(fin)}, 0, 1, 1, {L(fin)});");
        w.Close();
        w.Close();
        w.Close();

        Open(w, op, true, $"∂w[o, :] += dy[n, o]·x[n, :]{(bias is null ? "" : ", ∂b[o] += dy[n, o]")}, dx[n, :] += dy[n, o]·w[o, :].");
        Tensors(w, op, true);
        w.Line($"float[] w = {names.Value(op.Weight!)}, dw = {names.Gradient(op.Weight!)};");
        if (bias is not null)
        {
            w.Line($"float[] db = {names.Gradient(op.Bias!)};");
        }

        w.Line($"bool inputGradient = {InputGradientNeeded(op)};");
        w.Open("for (int n = 0; n < batch; n++)");
        w.Open($"for (int o = 0; o < {L(fout)}; o++)");
        w.Line($"float g = dy[(n * {L(fout)}) + o];");
        if (bias is not null)
        {
            w.Line("db[o] += g;");
        }

        w.Line($"Axpy(g, Slice(x, n * {L(fin)}, {L(fin)}), Slice(dw, o * {L(fin)}, {L(fin)}));");
        w.Open("if (inputGradient)");
        w.Line($"Axpy(g, Slice(w, o * {L(fin)}, {L(fin)}), Slice(dx, n * {L(fin)}, {L(fin)}));");
        w.Close();
        w.Close();
        w.Close();
        w.Close();
    }

    private static void BatchNorm(SourceWriter w, TrainOp op, TrainingNames names)
    {
        var p = op.Layer;
        var d = p.Decl;
        int c = p.Input.Channels, plane = p.Input.Spatial, size = p.Input.Size;
        string stats = op.Statistics!;
        string mean = names.Mean(stats), invStd = names.InvStd(stats);
        string gamma = op.Weight is null ? "1f" : $"{names.Value(op.Weight)}[c]";
        string beta = op.Bias is null ? "0f" : $"{names.Value(op.Bias)}[c]";
        Open(w, op, false, $"training: normalize each channel with the batch's mean and biased variance over N·{(p.Input.Rank == 0 ? "" : "H·W")} values, y = γ·(x − μ)/√(σ² + ε) + β, and update the running statistics (momentum {Literals.Double(d.Momentum)}, unbiased variance); eval: the running statistics instead.");
        Tensors(w, op, false);
        w.Line($"int count = batch * {L(plane)};");
        w.Open("if (_training && count < 2)");
        w.Line($"throw new global::System.ArgumentException({Literals.String(p.Label + " needs more than one value per channel in training mode, as in PyTorch; batch × " + L(plane) + " = ")} + count.ToString(global::System.Globalization.CultureInfo.InvariantCulture) + \".\", nameof(batch));");
        w.Close();
        w.Open($"for (int c = 0; c < {L(c)}; c++)");
        w.Open("if (_training)");
        w.Line("// Two passes in double: the mean, then Σ (x − μ)², which stays exact-ish however far the data sits from 0.");
        w.Line("double sum = 0, squares = 0;");
        PerSample(w, size, plane, "sum += Sums(Slice(x, start, PLANE), Slice(x, start, PLANE), 0).Sum;");
        w.Line("double mu = sum / count;");
        PerSample(w, size, plane, "squares += SquaredDeviations(Slice(x, start, PLANE), mu);");
        w.Line("double variance = squares / count;");
        w.Line($"{mean}[c] = mu;");
        w.Line($"{invStd}[c] = (float)(1.0 / global::System.Math.Sqrt(variance + {Literals.Double(d.Eps)}));");
        w.Line($"{names.RunningMean(stats)}[c] = (float)(({Literals.Double(1 - d.Momentum)} * {names.RunningMean(stats)}[c]) + ({Literals.Double(d.Momentum)} * mu));");
        w.Line($"{names.RunningVar(stats)}[c] = (float)(({Literals.Double(1 - d.Momentum)} * {names.RunningVar(stats)}[c]) + ({Literals.Double(d.Momentum)} * variance * count / (count - 1)));");
        w.Close();
        w.Open("else");
        w.Line($"{mean}[c] = {names.RunningMean(stats)}[c];");
        w.Line($"{invStd}[c] = (float)(1.0 / global::System.Math.Sqrt({names.RunningVar(stats)}[c] + {Literals.Double(d.Eps)}));");
        w.Close();
        w.Line($"float scale = {gamma} * {invStd}[c], shift = {beta};");
        PerSample(w, size, plane, $"Affine(Slice(x, start, PLANE), {mean}[c], scale, shift, Slice(y, start, PLANE));");
        w.Close();
        w.Open("if (_training)");
        w.Line($"{names.Tracked(stats)}++;");
        w.Close();
        w.Close();

        Open(w, op, true, "training: ∂β = Σ dy, ∂γ = Σ dy·x̂, dx = γ/σ·(dy − mean(dy) − x̂·mean(dy·x̂)) with x̂ = (x − μ)/σ; eval (μ, σ fixed): dx = γ/σ·dy.");
        Tensors(w, op, true);
        w.Line("int count = batch * " + L(plane) + ";");
        w.Line($"bool inputGradient = {InputGradientNeeded(op)};");
        w.Open($"for (int c = 0; c < {L(c)}; c++)");
        w.Line($"double mu = {mean}[c];");
        w.Line($"float inv = {invStd}[c];");
        w.Line("double sumDy = 0, sumDyXhat = 0;");
        PerSample(w, size, plane, "var (s, p) = Sums(Slice(dy, start, PLANE), Slice(x, start, PLANE), mu);", "sumDy += s;", "sumDyXhat += p * inv;");
        if (op.Weight is not null)
        {
            w.Line($"{names.Gradient(op.Weight)}[c] += (float)sumDyXhat;");
            w.Line($"{names.Gradient(op.Bias!)}[c] += (float)sumDy;");
        }

        w.Open("if (inputGradient)");
        w.Line($"float k = {gamma} * inv;");
        w.Open("if (_trainedForward)");
        w.Line("// dx += k·dy − k·mean(dy) − k·x̂·mean(dy·x̂), with x̂ = (x − μ)·inv");
        w.Line("float meanDy = (float)(sumDy / count), meanDyXhat = (float)(sumDyXhat / count);");
        PerSample(w, size, plane, "AffineAdd(Slice(dy, start, PLANE), Slice(x, start, PLANE), mu, k, -k * inv * meanDyXhat, -k * meanDy, Slice(dx, start, PLANE));");
        w.Close();
        w.Open("else");
        PerSample(w, size, plane, "Axpy(k, Slice(dy, start, PLANE), Slice(dx, start, PLANE));");
        w.Close();
        w.Close();
        w.Close();
        w.Close();
    }

    /// <summary>Statements run on one channel's plane in every sample of the batch (PLANE: its length, start: its offset).</summary>
    private static void PerSample(SourceWriter w, int size, int plane, params string[] body)
    {
        w.Open("for (int n = 0; n < batch; n++)");
        w.Line($"int start = (n * {L(size)}) + (c * {L(plane)});");
        foreach (var line in body)
        {
            w.Line(line.Replace("PLANE", L(plane)));
        }

        w.Close();
    }

    private static void Activation(SourceWriter w, TrainOp op)
    {
        var d = op.Layer.Decl;
        string slope = Literals.Float(d.NegativeSlope);
        (string Forward, string Backward, string Text) f = d.Kind switch
        {
            LayerKind.ReLU => ($"{MathF}.Max(v, 0f)", "v <= 0f ? 0f : g", "relu(v) = max(v, 0); relu' = 0 for v ≤ 0, else 1"),
            LayerKind.LeakyReLU => ($"v >= 0f ? v : v * {slope}", $"v > 0f ? g : g * {slope}", $"v for v ≥ 0, else {Literals.Double(d.NegativeSlope)}·v; slope 1 for v > 0, else {Literals.Double(d.NegativeSlope)}"),
            LayerKind.ReLU6 => ($"{MathF}.Min({MathF}.Max(v, 0f), 6f)", "v <= 0f || v >= 6f ? 0f : g", "min(max(v, 0), 6); slope 1 strictly inside (0, 6)"),
            LayerKind.Sigmoid => ($"1f / (1f + {MathF}.Exp(-v))", "g * u * (1f - u)", "σ(v) = 1/(1 + e^−v); σ' = σ(1 − σ), from the output u"),
            LayerKind.Tanh => ($"{MathF}.Tanh(v)", "g * (1f - (u * u))", "tanh; tanh' = 1 − tanh², from the output u"),
            _ => ($"v / (1f + {MathF}.Exp(-v))", $"g * (1f / (1f + {MathF}.Exp(-v))) * (1f + (v * (1f - (1f / (1f + {MathF}.Exp(-v))))))", "silu(v) = v·σ(v); silu' = σ(v)(1 + v(1 − σ(v)))"),
        };
        int size = op.Layer.Input.Size;
        bool relu = d.Kind == LayerKind.ReLU;
        Open(w, op, false, f.Text + ".");
        Tensors(w, op, false);
        if (relu)
        {
            w.Line($"Relu(Slice(x, 0, batch * {L(size)}), y);");
        }
        else
        {
            w.Open($"for (int i = 0; i < batch * {L(size)}; i++)");
            w.Line("float v = x[i];");
            w.Line($"y[i] = {f.Forward};");
            w.Close();
        }

        w.Close();
        Open(w, op, true, "dx += f'(x)·dy, elementwise.");
        Tensors(w, op, true);
        ReturnUnlessInputGradient(w, op);
        if (relu)
        {
            w.Line($"ReluBackward(Slice(x, 0, batch * {L(size)}), dy, dx);");
        }
        else
        {
            w.Open($"for (int i = 0; i < batch * {L(size)}; i++)");
            w.Line("float v = x[i], u = y[i], g = dy[i];");
            w.Line($"dx[i] += {f.Backward};");
            w.Close();
        }

        w.Close();
    }

    private static void Dropout(SourceWriter w, TrainOp op)
    {
        int size = op.Layer.Input.Size;
        string mask = "_mask" + L(op.Output.Id);
        double p = op.Layer.Decl.DropoutP;
        Open(w, op, false, $"training: y = x·m with m = 0 (probability {Literals.Double(p)}) or 1/(1 − p), a fresh mask from the trainer's seeded generator; eval: y = x.");
        Tensors(w, op, false);
        w.Line($"var count = batch * {L(size)};");
        w.Open("if (_training)");
        w.Line($"global::ConvGen.Kernels.DropoutMask.Fill(Slice({mask}, 0, count), {Literals.Double(p)}, ref _random);");
        w.Line($"MaskMultiply(Slice(x, 0, count), {mask}, y);");
        w.Close();
        w.Open("else");
        w.Line("Slice(x, 0, count).CopyTo(y);");
        w.Close();
        w.Close();
        Open(w, op, true, "dx += dy·m with the forward's mask (dx += dy in eval).");
        Tensors(w, op, true);
        ReturnUnlessInputGradient(w, op);
        w.Line($"var count = batch * {L(size)};");
        w.Open("if (_trainedForward)");
        w.Line($"MaskMultiplyAdd(Slice(dy, 0, count), {mask}, dx);");
        w.Close();
        w.Open("else");
        w.Line("Add(Slice(dy, 0, count), dx);");
        w.Close();
        w.Close();
    }

    /// <summary>The loops over every output position of every channel plane: n, c, oh, ow with xb/yb plane offsets.</summary>
    private static void OutputPositions(SourceWriter w, LayerPlan p, System.Action body)
    {
        w.Open("for (int n = 0; n < batch; n++)");
        w.Open($"for (int c = 0; c < {L(p.Input.Channels)}; c++)");
        w.Line($"int xb = (n * {L(p.Input.Size)}) + (c * {L(p.Input.Spatial)}), yb = (n * {L(p.Output.Size)}) + (c * {L(p.Output.Spatial)});");
        w.Open($"for (int oh = 0; oh < {L(p.Output.Height)}; oh++)");
        w.Open($"for (int ow = 0; ow < {L(p.Output.Width)}; ow++)");
        body();
        w.Close();
        w.Close();
        w.Close();
        w.Close();
    }

    private static void MaxPool(SourceWriter w, TrainOp op)
    {
        var p = op.Layer;
        var d = p.Decl;
        bool twoD = p.Input.Rank == 2;
        int kh = twoD ? d.KernelH : 1, sh = twoD ? d.StrideH : 1, dh = twoD ? d.DilationH : 1, pt = twoD ? p.PadTop : 0;
        string argmax = "_argmax" + L(op.Output.Id);
        Open(w, op, false, "the window's maximum (the first one on ties; NaN wins, as PyTorch), and where it was, for the backward pass.");
        Tensors(w, op, false);
        OutputPositions(w, p, () =>
        {
            w.Line("float max = float.NegativeInfinity;");
            w.Line("int at = -1;");
            w.Open($"for (int a = 0; a < {L(kh)}; a++)");
            w.Line($"int ih = (oh * {L(sh)}) - {L(pt)} + (a * {L(dh)});");
            w.Open($"for (int e = 0; e < {L(d.KernelW)}; e++)");
            w.Line($"int iw = (ow * {L(d.StrideW)}) - {L(p.PadLeft)} + (e * {L(d.DilationW)});");
            w.Open($"if ((uint)ih < {L(p.Input.Height)}u && (uint)iw < {L(p.Input.Width)}u)");
            w.Line($"float v = x[xb + (ih * {L(p.Input.Width)}) + iw];");
            w.Open("if (at < 0 || v > max || float.IsNaN(v))");
            w.Line("max = v;");
            w.Line($"at = (ih * {L(p.Input.Width)}) + iw;");
            w.Close();
            w.Close();
            w.Close();
            w.Close();
            w.Line($"y[yb + (oh * {L(p.Output.Width)}) + ow] = max;");
            w.Line($"{argmax}[yb + (oh * {L(p.Output.Width)}) + ow] = at;");
        });
        w.Close();
        Open(w, op, true, "each output's gradient goes to the input position its maximum came from.");
        Tensors(w, op, true);
        ReturnUnlessInputGradient(w, op);
        OutputPositions(w, p, () =>
        {
            w.Line($"int at = {argmax}[yb + (oh * {L(p.Output.Width)}) + ow];");
            w.Open("if (at >= 0)");
            w.Line($"dx[xb + at] += dy[yb + (oh * {L(p.Output.Width)}) + ow];");
            w.Close();
        });
        w.Close();
    }

    private static void AvgPool(SourceWriter w, TrainOp op)
    {
        var p = op.Layer;
        var d = p.Decl;
        bool twoD = p.Input.Rank == 2;
        int kh = twoD ? d.KernelH : 1, sh = twoD ? d.StrideH : 1, pt = twoD ? p.PadTop : 0, pb = twoD ? p.PadBottom : 0; // pooling pads symmetrically
        string divisor = d.CountIncludePad ? "the window clipped to the padded input" : "the real input positions in the window";

        // The window of output (oh, ow), clipped as PyTorch clips it, and its divisor.
        void Window()
        {
            w.Line($"int h0 = (oh * {L(sh)}) - {L(pt)}, w0 = (ow * {L(d.StrideW)}) - {L(p.PadLeft)};");
            w.Line($"int h1 = global::System.Math.Min(h0 + {L(kh)}, {L(p.Input.Height + pb)}), w1 = global::System.Math.Min(w0 + {L(d.KernelW)}, {L(p.Input.Width + p.PadLeft)});");
            w.Line("int padded = (h1 - h0) * (w1 - w0);");
            w.Line($"h0 = global::System.Math.Max(h0, 0); w0 = global::System.Math.Max(w0, 0); h1 = global::System.Math.Min(h1, {L(p.Input.Height)}); w1 = global::System.Math.Min(w1, {L(p.Input.Width)});");
            w.Line(d.CountIncludePad ? "int divisor = padded;" : "int divisor = (h1 - h0) * (w1 - w0);");
        }

        Open(w, op, false, $"the window's mean; the divisor counts {divisor}.");
        Tensors(w, op, false);
        OutputPositions(w, p, () =>
        {
            Window();
            w.Line("float sum = 0f;");
            w.Open("for (int ih = h0; ih < h1; ih++)");
            w.Open("for (int iw = w0; iw < w1; iw++)");
            w.Line($"sum += x[xb + (ih * {L(p.Input.Width)}) + iw];");
            w.Close();
            w.Close();
            w.Line($"y[yb + (oh * {L(p.Output.Width)}) + ow] = h0 < h1 && w0 < w1 ? sum / divisor : 0f;");
        });
        w.Close();
        Open(w, op, true, "each output's gradient, divided by its divisor, goes to every input position of its window.");
        Tensors(w, op, true);
        ReturnUnlessInputGradient(w, op);
        OutputPositions(w, p, () =>
        {
            Window();
            w.Line($"float g = dy[yb + (oh * {L(p.Output.Width)}) + ow] / divisor;");
            w.Open("for (int ih = h0; ih < h1; ih++)");
            w.Open("for (int iw = w0; iw < w1; iw++)");
            w.Line($"dx[xb + (ih * {L(p.Input.Width)}) + iw] += g;");
            w.Close();
            w.Close();
        });
        w.Close();
    }

    private static void GlobalAvgPool(SourceWriter w, TrainOp op)
    {
        var p = op.Layer;
        int c = p.Input.Channels, plane = p.Input.Spatial;
        Open(w, op, false, "each channel's mean.");
        Tensors(w, op, false);
        w.Open($"for (int i = 0; i < batch * {L(c)}; i++)");
        w.Line($"y[i] = Sum(Slice(x, i * {L(plane)}, {L(plane)})) / {L(plane)};");
        w.Close();
        w.Close();
        Open(w, op, true, $"every position of a channel receives its mean's gradient / {plane}.");
        Tensors(w, op, true);
        ReturnUnlessInputGradient(w, op);
        w.Open($"for (int i = 0; i < batch * {L(c)}; i++)");
        w.Line($"float g = dy[i] / {L(plane)};");
        w.Open($"for (int j = i * {L(plane)}; j < (i + 1) * {L(plane)}; j++)");
        w.Line("dx[j] += g;");
        w.Close();
        w.Close();
        w.Close();
    }

    private static void Pad(SourceWriter w, TrainOp op)
    {
        var p = op.Layer;
        var mode = p.Decl.BorderMode;
        string map = mode switch { BorderMode.Reflect => "Reflect", BorderMode.Replicate => "Replicate", _ => "Circular" };
        bool twoD = p.Input.Rank == 2;
        string sourceRow = twoD ? $"{map}(oh - {L(p.PadTop)}, {L(p.Input.Height)})" : "0";
        string source = $"xb + ({sourceRow} * {L(p.Input.Width)}) + {map}(ow - {L(p.PadLeft)}, {L(p.Input.Width)})";
        Open(w, op, false, $"{mode.ToString().ToLowerInvariant()} padding (top {p.PadTop}, bottom {p.PadBottom}, left {p.PadLeft}, right {p.PadRight}) into a copy the convolution reads.");
        Tensors(w, op, false);
        OutputPositions(w, p, () => w.Line($"y[yb + (oh * {L(p.Output.Width)}) + ow] = x[{source}];"));
        w.Close();
        Open(w, op, true, "each padded position's gradient goes back to the input position it was copied from.");
        Tensors(w, op, true);
        ReturnUnlessInputGradient(w, op);
        OutputPositions(w, p, () => w.Line($"dx[{source}] += dy[yb + (oh * {L(p.Output.Width)}) + ow];"));
        w.Close();
    }

    private static void Upsample(SourceWriter w, TrainOp op)
    {
        var p = op.Layer;
        int s = p.Decl.Factor;
        bool twoD = p.Input.Rank == 2;
        int iw = p.Input.Width;
        if (!p.Decl.LinearInterpolation)
        {
            string source = $"xb + ({(twoD ? $"(oh / {L(s)})" : "0")} * {L(iw)}) + (ow / {L(s)})";
            Open(w, op, false, $"nearest: y[oh, ow] = x[oh / {s}, ow / {s}].");
            Tensors(w, op, false);
            OutputPositions(w, p, () => w.Line($"y[yb + (oh * {L(p.Output.Width)}) + ow] = x[{source}];"));
            w.Close();
            Open(w, op, true, "every output's gradient goes to its source position.");
            Tensors(w, op, true);
            ReturnUnlessInputGradient(w, op);
            OutputPositions(w, p, () => w.Line($"dx[{source}] += dy[yb + (oh * {L(p.Output.Width)}) + ow];"));
            w.Close();
            return;
        }

        string scale = Literals.Float(1.0 / s);
        // The source coordinates and weights of output (oh, ow): align_corners = false, clamped at 0, as the inference kernel.
        void Source()
        {
            if (twoD)
            {
                w.Line($"float sh = {MathF}.Max(({scale} * (oh + 0.5f)) - 0.5f, 0f);");
                w.Line($"int h0 = (int)sh, hp = h0 < {L(p.Input.Height - 1)} ? 1 : 0;");
                w.Line("float lh1 = sh - h0, lh0 = 1f - lh1;");
            }
            else
            {
                w.Line("const int h0 = 0, hp = 0;");
                w.Line("const float lh1 = 0f, lh0 = 1f;");
            }

            w.Line($"float sw = {MathF}.Max(({scale} * (ow + 0.5f)) - 0.5f, 0f);");
            w.Line($"int w0 = (int)sw, wp = w0 < {L(iw - 1)} ? 1 : 0;");
            w.Line("float lw1 = sw - w0, lw0 = 1f - lw1;");
            w.Line($"int i00 = xb + (h0 * {L(iw)}) + w0, i10 = i00 + (hp * {L(iw)});");
        }

        Open(w, op, false, "linear interpolation (align_corners = false): each output mixes its four nearest inputs.");
        Tensors(w, op, false);
        OutputPositions(w, p, () =>
        {
            Source();
            w.Line($"y[yb + (oh * {L(p.Output.Width)}) + ow] = (lh0 * ((lw0 * x[i00]) + (lw1 * x[i00 + wp]))) + (lh1 * ((lw0 * x[i10]) + (lw1 * x[i10 + wp])));");
        });
        w.Close();
        Open(w, op, true, "each output's gradient goes to its four inputs with the forward's weights.");
        Tensors(w, op, true);
        ReturnUnlessInputGradient(w, op);
        OutputPositions(w, p, () =>
        {
            Source();
            w.Line($"float g = dy[yb + (oh * {L(p.Output.Width)}) + ow];");
            w.Line("dx[i00] += lh0 * lw0 * g;");
            w.Line("dx[i00 + wp] += lh0 * lw1 * g;");
            w.Line("dx[i10] += lh1 * lw0 * g;");
            w.Line("dx[i10 + wp] += lh1 * lw1 * g;");
        });
        w.Close();
    }

    private static void PixelShuffle(SourceWriter w, TrainOp op)
    {
        var p = op.Layer;
        int r = p.Decl.Factor;
        bool shuffle = op.Kind == TrainOpKind.PixelShuffle;
        // Shuffle: y[n, c, h, w] = x[n, c·r² + (h mod r)·r + (w mod r), h / r, w / r]; unshuffle is its inverse.
        var big = shuffle ? p.Output : p.Input;
        var small = shuffle ? p.Input : p.Output;
        string bigIndex = $"(n * {L(big.Size)}) + (c * {L(big.Spatial)}) + (h * {L(big.Width)}) + w";
        string smallIndex = $"(n * {L(small.Size)}) + ((((c * {L(r * r)}) + ((h % {L(r)}) * {L(r)}) + (w % {L(r)})) * {L(small.Spatial)})) + ((h / {L(r)}) * {L(small.Width)}) + (w / {L(r)})";
        string yIndex = shuffle ? bigIndex : smallIndex;
        string xIndex = shuffle ? smallIndex : bigIndex;
        void Positions(string line)
        {
            w.Open("for (int n = 0; n < batch; n++)");
            w.Open($"for (int c = 0; c < {L(big.Channels)}; c++)");
            w.Open($"for (int h = 0; h < {L(big.Height)}; h++)");
            w.Open($"for (int w = 0; w < {L(big.Width)}; w++)");
            w.Line(line);
            w.Close();
            w.Close();
            w.Close();
            w.Close();
        }

        Open(w, op, false, shuffle ? $"y[c, h, w] = x[c·{r * r} + (h mod {r})·{r} + (w mod {r}), h / {r}, w / {r}]." : $"y[c·{r * r} + (h mod {r})·{r} + (w mod {r}), h / {r}, w / {r}] = x[c, h, w].");
        Tensors(w, op, false);
        Positions($"y[{yIndex}] = x[{xIndex}];");
        w.Close();
        Open(w, op, true, "the same permutation, backwards.");
        Tensors(w, op, true);
        ReturnUnlessInputGradient(w, op);
        Positions($"dx[{xIndex}] += dy[{yIndex}];");
        w.Close();
    }

    private static void Add(SourceWriter w, TrainOp op)
    {
        int size = op.Layer.Output.Size;
        Open(w, op, false, "y = x + s (s: the saved tensor" + (op.Layer.Decl.Projection ? ", projected" : "") + ").");
        Tensors(w, op, false);
        w.Open($"for (int i = 0; i < batch * {L(size)}; i++)");
        w.Line("y[i] = x[i] + s[i];");
        w.Close();
        w.Close();
        Open(w, op, true, "dx += dy and ds += dy.");
        Tensors(w, op, true);
        w.Line($"int count = batch * {L(size)};");
        w.Line($"Add(Slice(dy, 0, count), ds);");
        w.Open($"if ({InputGradientNeeded(op)})");
        w.Line($"Add(Slice(dy, 0, count), dx);");
        w.Close();
        w.Close();
    }

    private static void Concat(SourceWriter w, TrainOp op)
    {
        var p = op.Layer;
        int a = p.Input.Size, b = p.Skip.Size, o = p.Output.Size;
        Open(w, op, false, $"y = cat([x, s]) along the channels ({p.Input.Channels} + {p.Skip.Channels}).");
        Tensors(w, op, false);
        w.Open("for (int n = 0; n < batch; n++)");
        w.Line($"Slice(x, n * {L(a)}, {L(a)}).CopyTo(Slice(y, n * {L(o)}, {L(a)}));");
        w.Line($"Slice(s, n * {L(b)}, {L(b)}).CopyTo(Slice(y, (n * {L(o)}) + {L(a)}, {L(b)}));");
        w.Close();
        w.Close();
        Open(w, op, true, "the output gradient splits back into its two parts.");
        Tensors(w, op, true);
        w.Open("for (int n = 0; n < batch; n++)");
        w.Line($"Add(Slice(dy, (n * {L(o)}) + {L(a)}, {L(b)}), Slice(ds, n * {L(b)}, {L(b)}));");
        w.Open($"if ({InputGradientNeeded(op)})");
        w.Line($"Add(Slice(dy, n * {L(o)}, {L(a)}), Slice(dx, n * {L(a)}, {L(a)}));");
        w.Close();
        w.Close();
        w.Close();
    }
}
