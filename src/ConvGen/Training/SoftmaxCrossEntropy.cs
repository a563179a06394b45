using System;
using System.Numerics;

namespace ConvGen.Training;

/// <summary>
/// Softmax cross-entropy over class indices with mean reduction: PyTorch's <c>F.cross_entropy(logits, targets)</c>
/// with its defaults (no class weights, no label smoothing), plus its gradient with respect to the logits.
/// </summary>
/// <remarks>
/// Each row is shifted by its maximum before exponentiating (log-sum-exp), so logits of any magnitude are safe, and
/// the sums run in double with one rounding to float at the end. PyTorch's <c>ignore_index</c> is not supported:
/// every target must be a class index.
/// </remarks>
public static class SoftmaxCrossEntropy
{
    /// <summary>
    /// The mean over the batch of −log softmax(logits)[target], and ∂loss/∂logits = (softmax − onehot(target)) / batch.
    /// </summary>
    /// <param name="logits">[batch, classes], row-major.</param>
    /// <param name="targets">[batch] class indices, each in [0, classes).</param>
    /// <param name="batch">The number of rows; 0 gives NaN, as PyTorch's mean of nothing does.</param>
    /// <param name="classes">The number of classes, at least 1.</param>
    /// <param name="gradient">[batch, classes], receives ∂loss/∂logits; it may be the very span <paramref name="logits"/> is (in place).</param>
    /// <returns>The mean loss.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="batch"/> is negative or <paramref name="classes"/> is below 1.</exception>
    /// <exception cref="ArgumentException">A span has the wrong length, a target is out of range, or the gradient partly overlaps the logits.</exception>
    public static float Compute(ReadOnlySpan<float> logits, ReadOnlySpan<int> targets, int batch, int classes, Span<float> gradient)
        => ComputeCore(logits, targets, batch, classes, gradient);

    /// <summary>
    /// The mean over the batch of −log softmax(logits)[target], and ∂loss/∂logits = (softmax − onehot(target)) / batch,
    /// for int64 targets as PyTorch stores them.
    /// </summary>
    /// <param name="logits">[batch, classes], row-major.</param>
    /// <param name="targets">[batch] class indices, each in [0, classes).</param>
    /// <param name="batch">The number of rows; 0 gives NaN, as PyTorch's mean of nothing does.</param>
    /// <param name="classes">The number of classes, at least 1.</param>
    /// <param name="gradient">[batch, classes], receives ∂loss/∂logits; it may be the very span <paramref name="logits"/> is (in place).</param>
    /// <returns>The mean loss.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="batch"/> is negative or <paramref name="classes"/> is below 1.</exception>
    /// <exception cref="ArgumentException">A span has the wrong length, a target is out of range, or the gradient partly overlaps the logits.</exception>
    public static float Compute(ReadOnlySpan<float> logits, ReadOnlySpan<long> targets, int batch, int classes, Span<float> gradient)
        => ComputeCore(logits, targets, batch, classes, gradient);

    private static float ComputeCore<TIndex>(ReadOnlySpan<float> logits, ReadOnlySpan<TIndex> targets, int batch, int classes, Span<float> gradient)
        where TIndex : struct, IBinaryInteger<TIndex>
    {
        ArgumentOutOfRangeException.ThrowIfNegative(batch);
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 1);
        long size = (long)batch * classes;
        if (logits.Length != size)
        {
            throw WrongLength(logits.Length, size, $"batch × classes = {batch} × {classes}", nameof(logits));
        }

        if (targets.Length != batch)
        {
            throw WrongLength(targets.Length, batch, "batch", nameof(targets));
        }

        if (gradient.Length != size)
        {
            throw WrongLength(gradient.Length, size, $"batch × classes = {batch} × {classes}", nameof(gradient));
        }

        if (logits.Overlaps(gradient, out int offset) && offset != 0)
        {
            throw new ArgumentException("The gradient partly overlaps the logits; pass the same span or separate memory.", nameof(gradient));
        }

        // Check every target before writing anything, so a bad batch leaves the gradient untouched.
        for (int i = 0; i < batch; i++)
        {
            long t = long.CreateTruncating(targets[i]);
            if (t < 0 || t >= classes)
            {
                throw new ArgumentException(
                    $"targets[{i}] is {targets[i]}, but class indices must be in [0, {classes - 1}] for {classes} classes.",
                    nameof(targets));
            }
        }

        if (batch == 0)
        {
            return float.NaN;
        }

        double total = 0;
        for (int i = 0; i < batch; i++)
        {
            ReadOnlySpan<float> x = logits.Slice(i * classes, classes);
            Span<float> dx = gradient.Slice(i * classes, classes);
            int target = int.CreateTruncating(targets[i]);

            float max = x[0];
            for (int j = 1; j < x.Length; j++)
            {
                max = Math.Max(max, x[j]);
            }

            double sum = 0;
            for (int j = 0; j < x.Length; j++)
            {
                sum += Math.Exp((double)x[j] - max);
            }

            // −log softmax(x)[t] = log Σ exp(x − max) − (x[t] − max); read x[t] before an in-place gradient overwrites it.
            double logSum = Math.Log(sum);
            total += logSum - ((double)x[target] - max);
            for (int j = 0; j < x.Length; j++)
            {
                double softmax = Math.Exp((double)x[j] - max - logSum);
                dx[j] = (float)((j == target ? softmax - 1 : softmax) / batch);
            }
        }

        return (float)(total / batch);
    }

    private static ArgumentException WrongLength(int actual, long expected, string what, string paramName)
        => new($"{paramName} has {actual} elements, but {what} = {expected} were expected.", paramName);
}
