using ConvGen.Shapes;

namespace ConvGen.Generator.Emit;

/// <summary>An elementwise activation fused into a kernel's store, or run on its own.</summary>
internal sealed record Activation(LayerKind Kind, double Slope, string Label)
{
    public static bool Is(LayerKind kind) => kind is LayerKind.ReLU or LayerKind.LeakyReLU or LayerKind.ReLU6
        or LayerKind.Sigmoid or LayerKind.Tanh or LayerKind.SiLU;

    /// <summary>
    /// Piecewise linear (ReLU, ReLU6, LeakyReLU): applied to whole vectors. The others (Sigmoid, Tanh, SiLU) keep the
    /// scalar MathF definitions, element by element, so that results match the reference bit for bit.
    /// </summary>
    public bool LaneWise => Kind is LayerKind.ReLU or LayerKind.ReLU6 or LayerKind.LeakyReLU;

    /// <summary>The C# expression applying the activation to <paramref name="v"/> (a float variable).</summary>
    /// <remarks>The helpers live in each network's kernel class (<see cref="KernelHelpers"/>); ReLU, ReLU6 and LeakyReLU also take vectors.</remarks>
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
