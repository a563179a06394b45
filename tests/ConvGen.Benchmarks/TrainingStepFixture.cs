using System;
using ConvGen.Benchmarks.Onnx;
using ConvGen.Training;
using DigitsSample;

namespace ConvGen.Benchmarks;

/// <summary>
/// What both sides of the training-step comparison start from: DigitsNet's initial weights, a batch of inputs and
/// labels (all seeded), and the optimizer settings. <see cref="TrainingStepExport"/> writes the same data for
/// <c>pytorch/train_step.py</c>, so ConvGen and PyTorch time the very same step.
/// </summary>
public sealed class TrainingStepFixture
{
    /// <summary>The largest batch benchmarked; smaller batches take the first rows.</summary>
    public const int MaxBatch = 32;

    /// <summary>DigitsNet's classes.</summary>
    public const int Classes = 10;

    /// <summary>SGD's learning rate.</summary>
    public const double LearningRate = 0.05;

    /// <summary>SGD's momentum.</summary>
    public const double Momentum = 0.9;

    private const int WeightSeed = 20240601;

    // Chosen so that no 2×2 max-pool window of the first step holds a near tie (its two largest values differ by at
    // least 1e-4 relative, at batch 1 and 32): in a near tie, float rounding may send the whole gradient to the other
    // element in one engine, and the PyTorch check would fail on a tie, not on an error. train_step.py prints the gap.
    private const int InputSeed = 1;

    private TrainingStepFixture(ModelWeights weights, float[] inputs, int[] labels)
    {
        Weights = weights;
        Inputs = inputs;
        Labels = labels;
    }

    /// <summary>The initial state_dict, <c>DigitsNet.CreateWeights(20240601)</c> (PyTorch's default initialization).</summary>
    public ModelWeights Weights { get; }

    /// <summary><see cref="MaxBatch"/> inputs of [1, 8, 8], uniform in [-1, 1).</summary>
    public float[] Inputs { get; }

    /// <summary><see cref="MaxBatch"/> class indices in [0, <see cref="Classes"/>).</summary>
    public int[] Labels { get; }

    /// <summary>Elements of one input sample.</summary>
    public static int InputSize => DigitsNet.InputShape[0] * DigitsNet.InputShape[1] * DigitsNet.InputShape[2];

    /// <summary>The seeded fixture; every call gives the same numbers.</summary>
    public static TrainingStepFixture Create()
    {
        float[] inputs = SeededWeights.Uniform(InputSeed, "input", MaxBatch * InputSize, 1f);
        var random = new Random(InputSeed);
        var labels = new int[MaxBatch];
        for (int i = 0; i < labels.Length; i++)
        {
            labels[i] = random.Next(Classes);
        }

        return new TrainingStepFixture(DigitsNet.CreateWeights(WeightSeed), inputs, labels);
    }

    /// <summary>The first <paramref name="batch"/> inputs, as a new array.</summary>
    public float[] InputsFor(int batch) => Inputs.AsSpan(0, batch * InputSize).ToArray();

    /// <summary>The first <paramref name="batch"/> labels, as a new array.</summary>
    public int[] LabelsFor(int batch) => Labels.AsSpan(0, batch).ToArray();

    /// <summary>The benchmark's optimizer over <paramref name="trainer"/>'s parameters.</summary>
    public static Sgd CreateOptimizer(ITrainer trainer)
    {
        ArgumentNullException.ThrowIfNull(trainer);
        return new Sgd(trainer.Parameters, LearningRate, Momentum);
    }

    /// <summary>
    /// One training step, in PyTorch's order: forward, softmax cross-entropy, zero_grad, backward, SGD update.
    /// Allocates nothing.
    /// </summary>
    /// <returns>The step's loss (before the update).</returns>
    public static float Step(
        ITrainer trainer,
        Optimizer optimizer,
        ReadOnlySpan<float> input,
        ReadOnlySpan<int> labels,
        int batch,
        Span<float> logits,
        Span<float> logitsGradient)
    {
        ArgumentNullException.ThrowIfNull(trainer);
        ArgumentNullException.ThrowIfNull(optimizer);
        trainer.Forward(input, logits, batch);
        float loss = SoftmaxCrossEntropy.Compute(logits, labels, batch, Classes, logitsGradient);
        optimizer.ZeroGrad();
        trainer.Backward(logitsGradient);
        optimizer.Step();
        return loss;
    }
}
