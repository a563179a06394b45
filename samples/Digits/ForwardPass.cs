using System;

namespace DigitsSample;

/// <summary>
/// A forward pass over <paramref name="batch"/> samples, as both <see cref="DigitsNet.Forward"/> (inference) and the
/// trainer's <c>Forward</c> (with <c>Training = false</c> for evaluation) run it.
/// </summary>
/// <param name="input">batch × 64 floats.</param>
/// <param name="output">batch × 10 logits.</param>
/// <param name="batch">The number of samples.</param>
internal delegate void ForwardPass(ReadOnlySpan<float> input, Span<float> output, int batch);
