using ConvGen.Shapes;

namespace ConvGen.Generator.Emit.Strategies;

/// <summary>
/// The copy a tiled convolution reads (see <see cref="ConvInput"/>): padding written out (zeros, or reflect, replicate,
/// circular as PyTorch's F.pad), and with a stride the padded input split into phase planes. Its cost is one pass over
/// the input, against C_in·taps passes for a patch matrix.
/// </summary>
internal static class PaddedInputKernel
{
    private static string L(long value) => Literals.Int(value);

    public static string Describe(ConvInput input) => input.SplitH * input.SplitW == 1
        ? $"padded copy, row pitch {input.PlaneWidth}"
        : $"padded copy split into {input.SplitH}×{input.SplitW} phase planes of {input.PlaneHeight}×{input.PlaneWidth}";

    public static void Emit(SourceWriter w, Op op)
    {
        var c = op.Choice!;
        var p = c.Problem;
        var input = c.Input;
        var mode = p.Layer.Decl.BorderMode;
        int size = p.InChannels * input.ChannelStride;
        bool split = input.SplitH * input.SplitW > 1;
        if (mode == BorderMode.Zeros || !p.Padded)
        {
            if (!split)
            {
                w.Line($"// Each {L(p.Height)}×{L(p.Width)} plane at row {L(p.PadTop)}, column {L(p.PadLeft)} of a plane with row pitch {L(input.PlaneWidth)}; every other float 0.");
                w.Line($"global::ConvGen.Kernels.Layout.PadPlanes(input, output, {L(p.InChannels)}, {L(p.Height)}, {L(p.Width)}, {L(p.PadTop)}, {L(p.PadLeft)}, {L(input.PlaneWidth)}, {L(input.ChannelStride)});");
                return;
            }

            if (input.SplitW == 2)
            {
                w.Line($"// Each {L(p.Height)}×{L(p.Width)} plane at padded row {L(p.PadTop)}, column {L(p.PadLeft)}, split into {input.SplitH}×2 phase planes of {L(input.PlaneHeight)}×{L(input.PlaneWidth)}; every other float 0.");
                w.Line($"global::ConvGen.Kernels.Layout.PhasePlanes(input, output, {L(p.InChannels)}, {L(p.Height)}, {L(p.Width)}, {L(p.PadTop)}, {L(p.PadLeft)}, {L(input.SplitH)}, {L(input.PlaneHeight)}, {L(input.PlaneWidth)});");
                return;
            }

            w.Line($"output.Slice(0, {L(size)}).Clear(); // the padding (and any phase-plane cell past the padded input) reads 0");

            Kernels.Prologue(w, op);
            w.Open($"for (int c = 0; c < {L(p.InChannels)}; c++)");
            w.Open($"for (int r = 0; r < {L(p.Height)}; r++)");
            w.Line($"ref float xr = ref At(ref x, {Expr.Sum(0, ("c", p.Height * p.Width), ("r", p.Width))});");
            w.Line($"ref float yr = ref At(ref y, {Row(p, input, $"r + {L(p.PadTop)}")});");
            for (int phase = 0; phase < input.SplitW; phase++)
            {
                // Padded column j·s + phase is input column j·s + phase − pad_left: the valid j, as literals.
                int shift = phase - p.PadLeft;
                int first = ShapeMath.CeilDiv(-shift, input.SplitW), last = ShapeMath.FloorDiv(p.Width - 1 - shift, input.SplitW);
                first = System.Math.Max(first, 0);
                if (first > last)
                {
                    continue;
                }

                w.Line($"ref float plane{phase} = ref At(ref yr, {L(phase * input.PlaneSize)}); // phase {phase} of the width");
                w.Open($"for (int j = {L(first)}; j <= {L(last)}; j++)");
                w.Line($"At(ref plane{phase}, j) = At(ref xr, {Expr.Sum(shift, ("j", input.SplitW))});");
                w.Close();
            }

            w.Close().Close();
            return;
        }

        string map = mode switch
        {
            BorderMode.Reflect => "Reflect",
            BorderMode.Replicate => "Replicate",
            _ => "Circular",
        };
        Kernels.Prologue(w, op);
        w.Open($"for (int c = 0; c < {L(p.InChannels)}; c++)");
        w.Open($"for (int r = 0; r < {L(p.PaddedHeight)}; r++)");
        w.Line($"ref float xr = ref At(ref x, {Expr.Sum(0, ("c", p.Height * p.Width))} + ({(p.Height == 1 ? "0" : $"{map}(r - {L(p.PadTop)}, {L(p.Height)})")} * {L(p.Width)}));");
        w.Line($"ref float yr = ref At(ref y, {Row(p, input, "r")});");
        w.Open($"for (int col = 0; col < {L(p.PaddedWidth)}; col++)");
        w.Line($"At(ref yr, {Column(input, "col")}) = At(ref xr, {map}(col - {L(p.PadLeft)}, {L(p.Width)}));");
        w.Close().Close().Close();
    }

    /// <summary>The offset of padded row <paramref name="row"/> of channel c in the prepared layout.</summary>
    private static string Row(ConvProblem p, ConvInput input, string row)
    {
        string channel = $"(c * {L(input.ChannelStride)})";
        if (input.SplitH == 1)
        {
            return $"{channel} + (({row}) * {L(input.PlaneWidth)})";
        }

        return $"{channel} + ((({row}) % {L(input.SplitH)}) * {L(input.SplitW * input.PlaneSize)}) + ((({row}) / {L(input.SplitH)}) * {L(input.PlaneWidth)})";
    }

    /// <summary>The offset of padded column <paramref name="column"/> within its row's planes.</summary>
    private static string Column(ConvInput input, string column)
        => input.SplitW == 1 ? column : $"((({column}) % {L(input.SplitW)}) * {L(input.PlaneSize)}) + (({column}) / {L(input.SplitW)})";
}
