using System;

namespace ConvGen;

/// <summary>
/// One tensor a network expects in its weights: the name PyTorch's <c>state_dict</c> gives it, its shape, and how
/// <see cref="ModelWeights.Create"/> initializes it. The generator emits one per parameter and buffer, e.g.
/// <c>new TensorSpec("0.weight", new[] { 6, 1, 5, 5 }, TensorRole.Parameter, WeightInit.ConvWeight, fanIn: 25, fanOut: 150)</c>.
/// </summary>
public sealed class TensorSpec
{
    /// <summary>Describes one expected tensor.</summary>
    /// <param name="name">The state_dict name, such as <c>"0.weight"</c> or <c>"3.running_mean"</c>.</param>
    /// <param name="shape">The shape, outermost dimension first; empty for a scalar. The array is copied.</param>
    /// <param name="role">Parameter or buffer.</param>
    /// <param name="init">How to initialize the tensor.</param>
    /// <param name="fanIn">
    /// Inputs feeding one output, as PyTorch's <c>_calculate_fan_in_and_fan_out</c> computes it from the weight
    /// (a convolution's C_in/groups·kH·kW, a linear layer's in_features); a bias uses its weight's fan-in.
    /// Needed by <see cref="WeightInit.ConvWeight"/>, <see cref="WeightInit.LinearWeight"/> and <see cref="WeightInit.Bias"/>.
    /// </param>
    /// <param name="fanOut">
    /// Outputs fed by one input, again as PyTorch computes it from the weight: weight.size(0)·kH·kW, which for a
    /// convolution is C_out·kH·kW (PyTorch does not divide by groups). Needed only by <see cref="KaimingMode.KaimingNormalFanOut"/>.
    /// </param>
    /// <exception cref="ArgumentException">The name is empty, a dimension or fan is negative, or the shape holds more than <see cref="Array.MaxLength"/> elements.</exception>
    public TensorSpec(string name, int[] shape, TensorRole role, WeightInit init, int fanIn = 0, int fanOut = 0)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentOutOfRangeException.ThrowIfNegative(fanIn);
        ArgumentOutOfRangeException.ThrowIfNegative(fanOut);
        if (!Enum.IsDefined(role))
        {
            throw new ArgumentOutOfRangeException(nameof(role), role, $"Unknown tensor role for '{name}'.");
        }

        if (!Enum.IsDefined(init))
        {
            throw new ArgumentOutOfRangeException(nameof(init), init, $"Unknown initialization for '{name}'.");
        }

        Name = name;
        Shape = (int[])shape.Clone();
        ElementCount = ShapeText.CheckedElementCount(Shape, name, nameof(shape));
        Role = role;
        Init = init;
        FanIn = fanIn;
        FanOut = fanOut;
    }

    /// <summary>The state_dict name.</summary>
    public string Name { get; }

    /// <summary>The shape, outermost dimension first; empty for a scalar. Treat it as read-only.</summary>
    public int[] Shape { get; }

    /// <summary>The number of elements: the product of <see cref="Shape"/>, 1 for a scalar.</summary>
    public int ElementCount { get; }

    /// <summary>Parameter or buffer.</summary>
    public TensorRole Role { get; }

    /// <summary>How <see cref="ModelWeights.Create"/> fills the tensor.</summary>
    public WeightInit Init { get; }

    /// <summary>The fan-in used by Kaiming and bias initialization.</summary>
    public int FanIn { get; }

    /// <summary>The fan-out used by <see cref="KaimingMode.KaimingNormalFanOut"/>.</summary>
    public int FanOut { get; }

    /// <summary>How the tensor is stored: <see cref="TensorDType.I64"/> for <see cref="WeightInit.NumBatchesTracked"/>, else <see cref="TensorDType.F32"/>.</summary>
    public TensorDType DType => Init == WeightInit.NumBatchesTracked ? TensorDType.I64 : TensorDType.F32;

    /// <summary>"0.weight [6, 1, 5, 5] Parameter ConvWeight".</summary>
    public override string ToString() => $"{Name} {ShapeText.Format(Shape)} {Role} {Init}";
}
