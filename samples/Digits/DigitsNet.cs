using ConvGen;

namespace DigitsSample;

/// <summary>
/// A small CNN for the 8×8 UCI optical digits: three 3×3 convolutions (16, 32, 64 channels, 'same' padding), each with
/// batch normalization and ReLU, the last two followed by 2×2 max pooling (8×8 → 4×4 → 2×2), then dropout and one
/// linear layer to the 10 classes. Its generated nested <c>Trainer</c> trains it; the class itself runs inference.
/// </summary>
[Network(1, 8, 8)]
[Conv2d(16, 3, Padding = 1), BatchNorm2d, ReLU]
[Conv2d(32, 3, Padding = 1), BatchNorm2d, ReLU, MaxPool2d(2)]
[Conv2d(64, 3, Padding = 1), BatchNorm2d, ReLU, MaxPool2d(2)]
[Flatten, Dropout(P = 0.25), Linear(10)]
public sealed partial class DigitsNet
{
}
