using System;
using System.Collections.Generic;

namespace ConvGen.Training;

/// <summary>
/// What every generated <c>Trainer</c> offers (each network class has one nested): a train-mode forward pass that
/// keeps what the backward pass needs, the backward pass itself, the parameters with their gradients, and the
/// running statistics. An instance owns its parameters, activations and workspace: use one per thread.
/// </summary>
/// <remarks>
/// A step is <see cref="Forward"/>, a loss gradient, <see cref="Optimizer.ZeroGrad"/> (or <see cref="ZeroGrad"/>),
/// <see cref="Backward(ReadOnlySpan{float})"/> and <see cref="Optimizer.Step"/>; none of them allocates. The optimizer
/// takes <see cref="Parameters"/> as it is.
/// </remarks>
public interface ITrainer
{
    /// <summary>Elements of one input sample.</summary>
    int InputSize { get; }

    /// <summary>Elements of one output sample.</summary>
    int OutputSize { get; }

    /// <summary>The largest batch <see cref="Forward"/> accepts (the activations are sized for it).</summary>
    int MaxBatch { get; }

    /// <summary>
    /// Training mode (the default): BatchNorm normalizes with the batch's statistics and updates its running
    /// statistics, Dropout drops. Off, both behave as at inference (PyTorch's <c>model.eval()</c>).
    /// </summary>
    bool Training { get; set; }

    /// <summary>Every trainable tensor, named and ordered as PyTorch's <c>named_parameters()</c>, each with its gradient.</summary>
    IReadOnlyList<ParameterSlot> Parameters { get; }

    /// <summary>
    /// Runs <paramref name="batch"/> samples (1 to <see cref="MaxBatch"/>) through the network, layer by layer, and keeps
    /// each layer's activations for <see cref="Backward(ReadOnlySpan{float})"/>. Spans as in <see cref="INetwork.Forward"/>.
    /// </summary>
    void Forward(ReadOnlySpan<float> input, Span<float> output, int batch);

    /// <summary>
    /// Back-propagates ∂loss/∂output (batch × <see cref="OutputSize"/>, the batch of the last <see cref="Forward"/>) and
    /// adds every parameter's gradient to its <see cref="ParameterSlot.Gradient"/>, as PyTorch's <c>backward()</c> accumulates.
    /// </summary>
    void Backward(ReadOnlySpan<float> outputGradient);

    /// <summary>As <see cref="Backward(ReadOnlySpan{float})"/>, and also writes ∂loss/∂input (batch × <see cref="InputSize"/>).</summary>
    void Backward(ReadOnlySpan<float> outputGradient, Span<float> inputGradient);

    /// <summary>Sets every parameter gradient to zero.</summary>
    void ZeroGrad();

    /// <summary>A copy of the current state_dict: parameters, running statistics and <c>num_batches_tracked</c>.</summary>
    ModelWeights ExportWeights();

    /// <summary>A copy of the gradients, one tensor per parameter, named and shaped as the parameter.</summary>
    ModelWeights ExportGradients();
}
