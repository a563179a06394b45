using ConvGen;

namespace ConvGenApp;

/// <summary>A LeNet-like network for 28 × 28 grey images and 10 classes.</summary>
/// <remarks>
/// The attributes are the whole declaration: at build time ConvGen compiles them into kernels for exactly these
/// shapes, and adds <c>InputLength</c>, <c>OutputLength</c>, <c>Summary</c>, <c>CreateWeights</c>,
/// <c>LoadWeights</c>, <c>Forward</c> and a <c>Trainer</c> to this class. Change a layer and rebuild.
/// </remarks>
[Network(1, 28, 28)]                       // one sample: 1 channel, 28 x 28
[Conv2d(8, 3, Pad = Pad.Same), ReLU, MaxPool2d(2)]
[Conv2d(16, 3, Pad = Pad.Same), ReLU, MaxPool2d(2)]
[Flatten]
[Linear(64), ReLU]
[Linear(10)]
public sealed partial class SmallNet
{
}
