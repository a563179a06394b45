namespace DigitsSample;

/// <summary>What one epoch of training measured.</summary>
/// <param name="Epoch">The epoch, from 1.</param>
/// <param name="Train">Loss and right answers on the training images, in training mode, batch by batch as they were trained.</param>
/// <param name="Test">Loss and right answers on the held-out images, in evaluation mode, after the epoch.</param>
/// <param name="Seconds">Wall-clock time of the epoch's training steps and evaluation.</param>
internal sealed record EpochResult(int Epoch, Score Train, Score Test, double Seconds);
