using System;

namespace ConvGen.Training;

/// <summary>
/// Mean squared error with mean reduction: PyTorch's <c>F.mse_loss(prediction, target)</c>, plus its gradient with
/// respect to the prediction.
/// </summary>
public static class MeanSquaredError
{
    /// <summary>
    /// The mean over all N elements of (prediction − target)², and ∂loss/∂prediction = 2(prediction − target)/N,
    /// computed as PyTorch's backward does: float(2/N) · (p − t) in float32.
    /// </summary>
    /// <param name="prediction">The network's output, any shape, flattened.</param>
    /// <param name="target">The wanted output, as long as <paramref name="prediction"/>.</param>
    /// <param name="gradient">Receives ∂loss/∂prediction, as long as <paramref name="prediction"/>; it may be the very span
    /// <paramref name="prediction"/> or <paramref name="target"/> is (in place).</param>
    /// <returns>The mean loss; NaN for empty spans, as PyTorch's mean of nothing.</returns>
    /// <exception cref="ArgumentException">A span has the wrong length, or the gradient partly overlaps an input.</exception>
    public static float Compute(ReadOnlySpan<float> prediction, ReadOnlySpan<float> target, Span<float> gradient)
    {
        int n = prediction.Length;
        CheckLength(target.Length, n, nameof(target));
        CheckLength(gradient.Length, n, nameof(gradient));
        if ((prediction.Overlaps(gradient, out int offset) && offset != 0) || (target.Overlaps(gradient, out offset) && offset != 0))
        {
            throw new ArgumentException("The gradient partly overlaps an input; pass the same span or separate memory.", nameof(gradient));
        }

        if (n == 0)
        {
            return float.NaN;
        }

        float norm = (float)(2.0 / n);
        double sum = 0;
        for (int j = 0; j < n; j++)
        {
            float difference = prediction[j] - target[j];
            sum += (double)difference * difference;
            gradient[j] = norm * difference;
        }

        return (float)(sum / n);
    }

    private static void CheckLength(int actual, int expected, string paramName)
    {
        if (actual != expected)
        {
            throw new ArgumentException(
                $"{paramName} has {actual} elements, but {expected} were expected (the length of prediction).", paramName);
        }
    }
}
