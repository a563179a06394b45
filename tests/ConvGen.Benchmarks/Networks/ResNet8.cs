namespace ConvGen.Benchmarks.Networks;

/// <summary>
/// MLPerf Tiny image classification (CIFAR-10): the ResNet-8 of the reference Keras model, on [3, 32, 32].
/// Three stacks of two 3x3 convolutions (16, 32, 64 channels); stacks 2 and 3 halve the plane with a stride-2
/// convolution and a 1x1 stride-2 projection shortcut. Convolutions keep their bias before BatchNorm, as the
/// reference's Keras layers do (use_bias defaults to true). Two choices differ from the Keras reference: the stride-2
/// 3x3 convolutions pad 1 on every side (PyTorch's convention; TensorFlow's 'same' pads 0 before and 1 after), and the
/// shortcut is ConvGen's projection, a 1x1 convolution without bias followed by BatchNorm, where the reference has a
/// 1x1 convolution with bias (the same affine map per channel once the BatchNorm is folded).
/// </summary>
[Network(3, 32, 32)]
[Conv2d(16, 3, Padding = 1), BatchNorm2d, ReLU, Save("stack1")]
[Conv2d(16, 3, Padding = 1), BatchNorm2d, ReLU]
[Conv2d(16, 3, Padding = 1), BatchNorm2d, Add("stack1"), ReLU, Save("stack2")]
[Conv2d(32, 3, Stride = 2, Padding = 1), BatchNorm2d, ReLU]
[Conv2d(32, 3, Padding = 1), BatchNorm2d, Add("stack2", Projection = true), ReLU, Save("stack3")]
[Conv2d(64, 3, Stride = 2, Padding = 1), BatchNorm2d, ReLU]
[Conv2d(64, 3, Padding = 1), BatchNorm2d, Add("stack3", Projection = true), ReLU]
[GlobalAvgPool, Flatten, Linear(10)]
public sealed partial class ResNet8
{
}
