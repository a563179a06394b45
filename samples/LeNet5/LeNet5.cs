using ConvGen;

namespace LeNet5Sample;

/// <summary>LeNet-5 (LeCun et al., 1998) with ReLU and max pooling, on 32×32 grey images.</summary>
[Network(1, 32, 32)]
[Conv2d(6, 5), ReLU, MaxPool2d(2)]
[Conv2d(16, 5), ReLU, MaxPool2d(2)]
[Flatten]
[Linear(120), ReLU]
[Linear(84), ReLU]
[Linear(10)]
public sealed partial class LeNet5
{
}
