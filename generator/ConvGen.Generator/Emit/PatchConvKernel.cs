namespace ConvGen.Generator.Emit;

/// <summary>
/// Inference convolutions the vector kernel cannot take (rows narrower than a vector, width strides, borders) run as
/// one matrix product per group: the sample's input patches are copied into a workspace matrix of its own
/// ([C_in·T, P], filled tap block by tap block, padded positions left 0), then y = W·patches on
/// <c>ConvGen.Kernels.Gemm</c>, then bias and the fused activation in one pass. The scalar direct kernel stays for
/// layers whose patch matrix would exceed <see cref="MaxElements"/> floats.
/// </summary>
internal static class PatchConvKernel
{
    /// <summary>The largest patch matrix a network instance keeps for one layer (16 MB).</summary>
    public const long MaxElements = 1L << 22;

    private static string L(long value) => Literals.Int(value);

    public static bool Applies(Op op) => op.Kind == OpKind.Conv && !VectorConvKernel.Applies(op) && Elements(op) <= MaxElements;

    public static long Elements(Op op) => TapBlocks.PatchElements(op.Layer, transposed: false);

    /// <summary>The patch matrix's static tap table, when the taps are not written one per line.</summary>
    public static void EmitHelpers(SourceWriter w, Op op)
    {
        var p = op.Layer;
        TapBlocks.Table(w, p, TapBlocks.For(p, transposed: false), Table(op), TapBlocks.Taps(p), compact: !op.Unrolled);
    }

    private static string Table(Op op) => op.MethodName + "_Taps";

    public static void Emit(SourceWriter w, Op op)
    {
        var p = op.Layer;
        var d = p.Decl;
        int groups = d.Groups, cout = p.Output.Channels, positions = p.Output.Spatial;
        int coutG = cout / groups;
        int rowsG = p.Input.Channels / groups * TapBlocks.Taps(p);
        w.Line($"// Patch matrix [{p.Input.Channels}·{rowsG * groups / p.Input.Channels} taps, {positions} positions]: one copy per tap block (input offset, row stride, step → patch offset, row stride, step, rows, cols).");
        TapBlocks.Patches(w, p, TapBlocks.For(p, transposed: false), Table(op), "", "global::ConvGen.Kernels.RowOps.Copy", "input", "patches", compact: !op.Unrolled);
        w.Line($"// y = W·patches: per group, {coutG} × {rowsG} weights times {rowsG} × {positions} patches.");
        TapBlocks.Groups(w, groups, g => w.Line($"global::ConvGen.Kernels.Gemm.Multiply(weight, {TapBlocks.GroupOffset(g, (long)coutG * rowsG)}, {L(rowsG)}, 1, patches, {TapBlocks.GroupOffset(g, (long)rowsG * positions)}, {L(positions)}, output, {TapBlocks.GroupOffset(g, (long)coutG * positions)}, {L(positions)}, {L(coutG)}, {L(rowsG)}, {L(positions)}, accumulate: false);"));

        if (op.BiasField is null && op.Activation is null)
        {
            return;
        }

        w.Line("ref float y = ref Start(output);");
        w.Open($"for (int co = 0; co < {L(cout)}; co++)");
        w.Line(op.BiasField is null ? "const float b = 0f;" : "float b = bias[co];");
        w.Open($"for (int k = co * {L(positions)}; k < (co + 1) * {L(positions)}; k++)");
        w.Line("float v = At(ref y, k) + b;");
        w.Line($"At(ref y, k) = {op.Activation?.Apply("v") ?? "v"};");
        w.Close();
        w.Close();
    }
}
