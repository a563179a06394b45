namespace ConvGen.Generator.Emit.Strategies;

/// <summary>
/// The epilogue of a vector of results: the fused residual (<c>skip</c> at the same offset), then the fused activation,
/// lane-wise for the piecewise-linear ones and element by element after the store for the transcendental ones
/// (Sigmoid, Tanh, SiLU keep the scalar MathF definitions, so results match the reference bit for bit).
/// </summary>
internal static class VectorStore
{
    public static void Emit(SourceWriter w, Op op, string value, string target, string offset, bool residual, bool activation)
    {
        if (residual && op.Skip is not null)
        {
            value = $"{value} + Load(ref s, {offset})";
        }

        var act = activation ? op.Activation : null;
        bool laneWise = act is { LaneWise: true };
        w.Line($"Store({(laneWise ? act!.Apply(value) : value)}, ref {target}, {offset});");
        if (act is not null && !laneWise)
        {
            w.Open("for (int lane = 0; lane < Lanes; lane++)");
            w.Line($"ref float e = ref At(ref {target}, {offset} + lane);");
            w.Line($"e = {act.Apply("e")};");
            w.Close();
        }
    }
}
