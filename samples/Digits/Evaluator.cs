using System;
using ConvGen.Training;

namespace DigitsSample;

/// <summary>
/// Scores a forward pass on a fixed set of images, in chunks of at most a given batch. The logits and the loss
/// gradient scratch are allocated once, here; <see cref="Run"/> allocates nothing.
/// </summary>
internal sealed class Evaluator
{
    private readonly DigitsData _data;
    private readonly float[] _gradient;

    /// <summary>An evaluator for <paramref name="data"/>.</summary>
    /// <param name="data">The images to score.</param>
    public Evaluator(DigitsData data)
    {
        _data = data;
        Logits = new float[data.Count * DigitsData.ClassCount];
        _gradient = new float[Logits.Length];
    }

    /// <summary>The logits of the last <see cref="Run"/>, [count, 10].</summary>
    public float[] Logits { get; }

    /// <summary>Runs every image through <paramref name="forward"/>, at most <paramref name="maxBatch"/> at a time, and scores the logits.</summary>
    /// <param name="forward">The forward pass.</param>
    /// <param name="maxBatch">The largest batch <paramref name="forward"/> accepts.</param>
    /// <returns>The mean loss and the right answers.</returns>
    public Score Run(ForwardPass forward, int maxBatch)
    {
        const int Pixels = DigitsData.PixelCount, Classes = DigitsData.ClassCount;
        for (int start = 0; start < _data.Count; start += maxBatch)
        {
            int batch = Math.Min(maxBatch, _data.Count - start);
            forward(
                _data.Images.AsSpan(start * Pixels, batch * Pixels),
                Logits.AsSpan(start * Classes, batch * Classes),
                batch);
        }

        return ScoreBatch(Logits, _data.Labels, _gradient);
    }

    /// <summary>The mean cross-entropy and the arg-max hits of <paramref name="logits"/>; writes ∂loss/∂logits into <paramref name="gradient"/>.</summary>
    /// <param name="logits">[n, 10].</param>
    /// <param name="labels">[n].</param>
    /// <param name="gradient">[n, 10], receives ∂(mean loss)/∂logits.</param>
    /// <returns>The score of the batch.</returns>
    public static Score ScoreBatch(ReadOnlySpan<float> logits, ReadOnlySpan<long> labels, Span<float> gradient)
    {
        int correct = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            correct += Predict(logits.Slice(i * DigitsData.ClassCount, DigitsData.ClassCount)) == labels[i] ? 1 : 0;
        }

        float loss = SoftmaxCrossEntropy.Compute(logits, labels, labels.Length, DigitsData.ClassCount, gradient);
        return new Score(loss, correct, labels.Length);
    }

    /// <summary>The class with the largest logit (the first on a tie); −1 when a logit is not finite, so it never counts as right.</summary>
    /// <param name="row">The 10 logits of one image.</param>
    /// <returns>The predicted class, or −1.</returns>
    public static int Predict(ReadOnlySpan<float> row)
    {
        int best = 0;
        for (int k = 0; k < row.Length; k++)
        {
            if (!float.IsFinite(row[k]))
            {
                return -1;
            }

            if (row[k] > row[best])
            {
                best = k;
            }
        }

        return best;
    }
}
