namespace ConvGen.Generator.Emit.Strategies;

/// <summary>The epilogue of a vector of results: the fused residual (<c>skip</c> at the same offset), then the fused activation on the whole vector.</summary>
internal static class VectorStore
{
    public static void Emit(SourceWriter w, Op op, string value, string target, string offset, bool residual, bool activation)
    {
        if (residual && op.Skip is not null)
        {
            value = $"{value} + Load(ref s, {offset})";
        }

        if (activation && op.Activation is not null)
        {
            value = op.Activation.Apply(value);
        }

        w.Line($"Store({value}, ref {target}, {offset});");
    }
}
