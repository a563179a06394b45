using System;

namespace ConvGen.Training;

/// <summary>
/// One trainable tensor as an optimizer sees it: a name, its values and the gradient the backward pass accumulates
/// into, both flat and row-major. The arrays are kept, not copied: the network reads <see cref="Value"/>, the backward
/// pass writes <see cref="Gradient"/>, and an <see cref="Optimizer"/> updates <see cref="Value"/> in place.
/// </summary>
public sealed class ParameterSlot
{
    /// <summary>A parameter with its own gradient array.</summary>
    /// <param name="name">The state_dict name, such as <c>"0.weight"</c>.</param>
    /// <param name="value">The values; kept, not copied.</param>
    /// <param name="gradient">∂loss/∂value, as long as <paramref name="value"/> and a different array; kept, not copied.</param>
    /// <exception cref="ArgumentException">The name is empty, the lengths differ, or both arrays are the same array.</exception>
    public ParameterSlot(string name, float[] value, float[] gradient)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(gradient);
        if (gradient.Length != value.Length)
        {
            throw new ArgumentException(
                $"Parameter '{name}' has {value.Length} values, so its gradient must have {value.Length} elements, not {gradient.Length}.",
                nameof(gradient));
        }

        if (ReferenceEquals(value, gradient) && value.Length != 0)
        {
            throw new ArgumentException($"Parameter '{name}' uses one array for both its values and its gradient.", nameof(gradient));
        }

        Name = name;
        Value = value;
        Gradient = gradient;
    }

    /// <summary>A parameter with a new, zeroed gradient array.</summary>
    /// <param name="name">The state_dict name, such as <c>"0.weight"</c>.</param>
    /// <param name="value">The values; kept, not copied.</param>
    /// <exception cref="ArgumentException">The name is empty.</exception>
    public ParameterSlot(string name, float[] value)
        : this(name, value, new float[(value ?? throw new ArgumentNullException(nameof(value))).Length])
    {
    }

    /// <summary>The state_dict name.</summary>
    public string Name { get; }

    /// <summary>The values, flat and row-major; optimizers update them in place.</summary>
    public float[] Value { get; }

    /// <summary>∂loss/∂<see cref="Value"/>, element for element; the backward pass writes it, <see cref="Optimizer.Step"/> reads it.</summary>
    public float[] Gradient { get; }

    /// <summary>The number of elements.</summary>
    public int Length => Value.Length;

    /// <summary>"0.weight (150 elements)".</summary>
    /// <returns>The name and the element count.</returns>
    public override string ToString() => $"{Name} ({Value.Length} elements)";
}
