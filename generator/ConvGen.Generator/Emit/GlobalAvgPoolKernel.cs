namespace ConvGen.Generator.Emit;

/// <summary>
/// Global average pooling: each channel's plane summed on vector lanes (<c>ConvGen.Kernels.VectorOps.Sum</c>: four
/// <c>Vector&lt;float&gt;</c> accumulators, then the lanes, then a scalar tail), then divided by the plane size. The
/// summation order is not left to right; it behaves like a partly pairwise sum, so it stays within float rounding of
/// the exact mean (the tests hold it to 1e-6 relative of the double-precision reference).
/// </summary>
internal static class GlobalAvgPoolKernel
{
    private static string L(long value) => Literals.Int(value);

    public static void Emit(SourceWriter w, Op op)
    {
        var i = op.Layer.Input;
        w.Line($"// Strategy: vector sum of each channel's {L(i.Spatial)} positions (four Vector<float> accumulators, then the lanes, then the tail), then the mean.");
        Kernels.Prologue(w, op);
        w.Open($"for (int c = 0; c < {L(i.Channels)}; c++)");
        w.Line($"{Kernels.At("y", "c")} = Sum(ref {Kernels.At("x", $"c * {L(i.Spatial)}")}, {L(i.Spatial)}) / {Literals.Float(i.Spatial)};");
        w.Close();
    }
}
