using BenchmarkDotNet.Attributes;
using ConvGen.Training;
using DigitsSample;

namespace ConvGen.Benchmarks;

/// <summary>
/// One training step of the Digits sample's network (<see cref="DigitsNet"/>, its generated <c>Trainer</c>, SGD with
/// momentum, softmax cross-entropy) on one thread, and its parts, at batch 1 and 32. <c>pytorch/train_step.py</c> times
/// the same step in PyTorch from the same weights and data (see README.md). <see cref="Step"/> is the baseline, so
/// Ratio reads each part's share of a step.
/// </summary>
[MemoryDiagnoser]
public class TrainingStepBenchmarks
{
    private DigitsNet.Trainer _trainer = null!;
    private Sgd _optimizer = null!;
    private DigitsNet _network = null!;
    private float[] _input = null!;
    private int[] _labels = null!;
    private float[] _logits = null!;
    private float[] _logitsGradient = null!;

    /// <summary>Samples per step; the trainer is built with maxBatch = Batch.</summary>
    [Params(1, 32)]
    public int Batch { get; set; }

    /// <summary>Builds the trainer, the optimizer and the inference network from the seeded fixture, and runs one step.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var fixture = TrainingStepFixture.Create();
        _trainer = new DigitsNet.Trainer(fixture.Weights, Batch, seed: 1);
        _optimizer = TrainingStepFixture.CreateOptimizer(_trainer);
        _network = new DigitsNet(fixture.Weights);
        _input = fixture.InputsFor(Batch);
        _labels = fixture.LabelsFor(Batch);
        _logits = new float[Batch * TrainingStepFixture.Classes];
        _logitsGradient = new float[_logits.Length];

        // Leaves activations and ∂loss/∂logits in place for Backward() alone.
        _ = Step();
    }

    /// <summary>Forward (train mode), loss, zero_grad, backward, SGD update.</summary>
    [Benchmark(Baseline = true)]
    public float Step() => TrainingStepFixture.Step(_trainer, _optimizer, _input, _labels, Batch, _logits, _logitsGradient);

    /// <summary>The trainer's Forward alone (train mode: batch statistics, running-statistics update, dropout mask).</summary>
    [Benchmark]
    public float TrainForward()
    {
        _trainer.Forward(_input, _logits, Batch);
        return _logits[0];
    }

    /// <summary>zero_grad and Backward alone, through the activations of the last Forward.</summary>
    [Benchmark]
    public float Backward()
    {
        _optimizer.ZeroGrad();
        _trainer.Backward(_logitsGradient);
        return _trainer.Parameters[0].Gradient[0];
    }

    /// <summary>The SGD update alone (26,090 parameters with momentum).</summary>
    [Benchmark]
    public long SgdUpdate()
    {
        _optimizer.Step();
        return _optimizer.StepCount;
    }

    /// <summary>For context: the inference network's Forward (eval mode, the vector kernels) at the same batch.</summary>
    [Benchmark]
    public float InferenceForward()
    {
        _network.Forward(_input, _logits, Batch);
        return _logits[0];
    }
}
