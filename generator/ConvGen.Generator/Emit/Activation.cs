using ConvGen.Shapes;

namespace ConvGen.Generator.Emit;

/// <summary>An elementwise activation fused into a kernel's store, or run on its own.</summary>
internal sealed record Activation(LayerKind Kind, double Slope, string Label)
{
    public static bool Is(LayerKind kind) => kind is LayerKind.ReLU or LayerKind.LeakyReLU or LayerKind.ReLU6
        or LayerKind.Sigmoid or LayerKind.Tanh or LayerKind.SiLU;

    /// <summary>The C# expression applying the activation to <paramref name="v"/> (a float or a vector).</summary>
    /// <remarks>
    /// The helpers live in each network's kernel class (<see cref="KernelHelpers"/>) and take a float or a whole
    /// <c>Vector&lt;float&gt;</c>: Sigmoid, Tanh and SiLU run <c>ConvGen.Kernels.VectorMath</c>, whose scalar form is its
    /// vector code on one lane, so a value is the same whether a kernel reached it in a vector or in a scalar tail.
    /// </remarks>
    public string Apply(string v) => Kind switch
    {
        LayerKind.ReLU => $"Relu({v})",
        LayerKind.ReLU6 => $"Relu6({v})",
        LayerKind.LeakyReLU => $"LeakyRelu({v}, {Literals.Float(Slope)})",
        LayerKind.Sigmoid => $"Sigmoid({v})",
        LayerKind.Tanh => $"Tanh({v})",
        LayerKind.SiLU => $"Silu({v})",
        _ => v,
    };
}
