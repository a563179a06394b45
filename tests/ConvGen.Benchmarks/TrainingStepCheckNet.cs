namespace ConvGen.Benchmarks.Networks;

/// <summary>
/// <see cref="DigitsSample.DigitsNet"/> with <c>Dropout(P = 0)</c>: the same layers, state_dict names and shapes, but no
/// random mask, so one training step is deterministic and PyTorch can reproduce it exactly. Only
/// <see cref="TrainingStepExport"/> uses it, to check ConvGen's first step against PyTorch's; the timed network is DigitsNet.
/// </summary>
[Network(1, 8, 8)]
[Conv2d(16, 3, Padding = 1), BatchNorm2d, ReLU]
[Conv2d(32, 3, Padding = 1), BatchNorm2d, ReLU, MaxPool2d(2)]
[Conv2d(64, 3, Padding = 1), BatchNorm2d, ReLU, MaxPool2d(2)]
[Flatten, Dropout(P = 0), Linear(10)]
public sealed partial class TrainingStepCheckNet
{
}
