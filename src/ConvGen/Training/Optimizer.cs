using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;

namespace ConvGen.Training;

/// <summary>
/// What every optimizer shares: the parameters it owns, the learning rate and the step counter. An optimizer allocates
/// its per-parameter state once, in its constructor; <see cref="Step"/> and <see cref="ZeroGrad"/> allocate nothing.
/// </summary>
/// <remarks>
/// As in PyTorch, one <see cref="Step"/> reads every <see cref="ParameterSlot.Gradient"/> and updates every
/// <see cref="ParameterSlot.Value"/>. Gradients accumulate until <see cref="ZeroGrad"/> clears them.
/// </remarks>
public abstract class Optimizer
{
    private readonly ParameterSlot[] _slots;
    private double _learningRate;

    private protected Optimizer(IReadOnlyList<ParameterSlot> parameters, double learningRate)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        CheckLearningRate(learningRate, nameof(learningRate));
        _slots = new ParameterSlot[parameters.Count];
        var names = new HashSet<string>(StringComparer.Ordinal);
        var values = new HashSet<float[]>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < _slots.Length; i++)
        {
            ParameterSlot slot = parameters[i] ?? throw new ArgumentException($"Parameter {i} is null.", nameof(parameters));
            if (!names.Add(slot.Name))
            {
                throw new ArgumentException($"Two parameters are named '{slot.Name}'.", nameof(parameters));
            }

            // PyTorch refuses a parameter that appears twice: it would be updated twice per step.
            if (slot.Value.Length != 0 && !values.Add(slot.Value))
            {
                throw new ArgumentException($"Parameter '{slot.Name}' shares its value array with an earlier parameter.", nameof(parameters));
            }

            _slots[i] = slot;
        }

        Parameters = Array.AsReadOnly(_slots);
        _learningRate = learningRate;
    }

    /// <summary>The parameters this optimizer updates, in the order given.</summary>
    public IReadOnlyList<ParameterSlot> Parameters { get; }

    /// <summary>The learning rate (PyTorch's <c>lr</c>); a scheduler may change it between steps.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative or NaN.</exception>
    public double LearningRate
    {
        get => _learningRate;
        set
        {
            CheckLearningRate(value, nameof(value));
            _learningRate = value;
        }
    }

    /// <summary>The number of <see cref="Step"/> calls so far (PyTorch's per-parameter <c>state['step']</c>).</summary>
    public long StepCount { get; private set; }

    /// <summary>The parameters as an array, for the update loops.</summary>
    private protected ReadOnlySpan<ParameterSlot> Slots => _slots;

    /// <summary>Updates every parameter from its gradient. Allocates nothing.</summary>
    public void Step()
    {
        StepCount++;
        Update(StepCount);
    }

    /// <summary>Sets every gradient to zero (PyTorch's <c>zero_grad(set_to_none=False)</c>). Allocates nothing.</summary>
    public void ZeroGrad()
    {
        foreach (ParameterSlot slot in _slots)
        {
            Array.Clear(slot.Gradient);
        }
    }

    /// <summary>Applies one update; <paramref name="step"/> counts from 1.</summary>
    /// <param name="step">The number of this step, 1 for the first.</param>
    private protected abstract void Update(long step);

    /// <summary>Rejects a negative or NaN hyper-parameter with PyTorch's wording.</summary>
    private protected static void CheckNonNegative(double value, string what, string paramName)
    {
        if (!(value >= 0))
        {
            throw new ArgumentOutOfRangeException(paramName, value, $"Invalid {what}: {value}. It must be at least 0.");
        }
    }

    private static void CheckLearningRate(double value, string paramName) => CheckNonNegative(value, "learning rate", paramName);
}
