namespace DigitsSample;

/// <summary>The mean cross-entropy loss and the number of right answers over a set of images.</summary>
/// <param name="Loss">The mean softmax cross-entropy.</param>
/// <param name="Correct">How many images the arg-max of the logits got right.</param>
/// <param name="Count">How many images were scored.</param>
internal readonly record struct Score(double Loss, int Correct, int Count)
{
    /// <summary>The share of right answers, in percent.</summary>
    public double AccuracyPercent => Count == 0 ? 0 : 100.0 * Correct / Count;
}
