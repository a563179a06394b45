using System;
using ConvGen.Training;

namespace DigitsSample;

/// <summary>
/// One epoch at a time of mini-batch training: shuffle the training images, then for each batch gather it,
/// forward in training mode, softmax cross-entropy, zero the gradients, backward, and step the optimizer.
/// Every buffer is allocated in the constructor: the steps allocate nothing, and <see cref="StepAllocatedBytes"/> checks it.
/// </summary>
internal sealed class TrainingLoop
{
    private readonly ITrainer _trainer;
    private readonly Optimizer _optimizer;
    private readonly DigitsData _data;
    private readonly Random _random;
    private readonly int _batchSize;
    private readonly int[] _order;
    private readonly float[] _images;
    private readonly long[] _labels;
    private readonly float[] _logits;
    private readonly float[] _gradient;

    /// <summary>A loop over <paramref name="data"/>.</summary>
    /// <param name="trainer">The network in training mode.</param>
    /// <param name="optimizer">The optimizer over the trainer's parameters.</param>
    /// <param name="data">The training images.</param>
    /// <param name="batchSize">Images per step, at most the trainer's <see cref="ITrainer.MaxBatch"/>; the last batch of an epoch may be smaller.</param>
    /// <param name="random">The seeded generator that shuffles the images each epoch.</param>
    public TrainingLoop(ITrainer trainer, Optimizer optimizer, DigitsData data, int batchSize, Random random)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(batchSize, trainer.MaxBatch);
        _trainer = trainer;
        _optimizer = optimizer;
        _data = data;
        _batchSize = batchSize;
        _random = random;
        _order = new int[data.Count];
        for (int i = 0; i < _order.Length; i++)
        {
            _order[i] = i;
        }

        _images = new float[batchSize * DigitsData.PixelCount];
        _labels = new long[batchSize];
        _logits = new float[batchSize * DigitsData.ClassCount];
        _gradient = new float[_logits.Length];
    }

    /// <summary>The number of optimizer steps per epoch.</summary>
    public int StepsPerEpoch => (_data.Count + _batchSize - 1) / _batchSize;

    /// <summary>Bytes the training steps of the last epoch allocated on this thread (shuffling included, progress reports not).</summary>
    public long StepAllocatedBytes { get; private set; }

    /// <summary>Trains one epoch over every training image.</summary>
    /// <param name="progress">Told after every step: the steps done and the running score.</param>
    /// <returns>The mean loss and the right answers over the epoch, each batch scored on its training-mode logits before its step.</returns>
    public Score RunEpoch(Action<int, Score> progress)
    {
        const int Pixels = DigitsData.PixelCount, Classes = DigitsData.ClassCount;
        _trainer.Training = true;
        long allocated = 0;
        double lossSum = 0;
        int correct = 0, seen = 0, step = 0;

        long before = GC.GetAllocatedBytesForCurrentThread();
        _random.Shuffle(_order);
        allocated += GC.GetAllocatedBytesForCurrentThread() - before;

        for (int start = 0; start < _data.Count; start += _batchSize)
        {
            before = GC.GetAllocatedBytesForCurrentThread();
            int batch = Math.Min(_batchSize, _data.Count - start);
            Span<float> logits = _logits.AsSpan(0, batch * Classes);
            Span<float> gradient = _gradient.AsSpan(0, batch * Classes);
            Span<long> labels = _labels.AsSpan(0, batch);
            _data.CopyBatch(_order.AsSpan(start, batch), _images, labels);

            _trainer.Forward(_images.AsSpan(0, batch * Pixels), logits, batch);
            Score score = Evaluator.ScoreBatch(logits, labels, gradient);
            _optimizer.ZeroGrad();
            _trainer.Backward(gradient);
            _optimizer.Step();
            allocated += GC.GetAllocatedBytesForCurrentThread() - before;

            lossSum += score.Loss * batch;
            correct += score.Correct;
            seen += batch;
            progress(++step, new Score(lossSum / seen, correct, seen));
        }

        StepAllocatedBytes = allocated;
        return new Score(lossSum / seen, correct, seen);
    }
}
