using ConvGen.Shapes;

namespace ConvGen.Generator.Emit;

/// <summary>An elementwise activation fused into a kernel's store, or run on its own.</summary>
internal sealed record Activation(LayerKind Kind, double Slope, string Label)
{
    public static bool Is(LayerKind kind) => kind is LayerKind.ReLU or LayerKind.LeakyReLU or LayerKind.ReLU6
        or LayerKind.Sigmoid or LayerKind.Tanh or LayerKind.SiLU;

    /// <summary>The C# expression applying the activation to <paramref name="v"/> (a float variable).</summary>
    public string Apply(string v) => Kind switch
    {
        LayerKind.ReLU => $"global::System.MathF.Max({v}, 0f)",
        LayerKind.ReLU6 => $"global::System.MathF.Min(global::System.MathF.Max({v}, 0f), 6f)",
        LayerKind.LeakyReLU => $"({v} >= 0f ? {v} : {v} * {Literals.Float(Slope)})",
        LayerKind.Sigmoid => $"(1f / (1f + global::System.MathF.Exp(-{v})))",
        LayerKind.Tanh => $"global::System.MathF.Tanh({v})",
        LayerKind.SiLU => $"({v} / (1f + global::System.MathF.Exp(-{v})))",
        _ => v,
    };
}
