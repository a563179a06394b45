namespace ConvGen.Benchmarks.Networks;

/// <summary>
/// MLPerf Tiny visual wake words: MobileNetV1 with width 0.25 on [3, 96, 96], 2 classes. A 3x3 stride-2 convolution
/// to 8 channels, then MobileNetV1's 13 depthwise-separable blocks (depthwise 3x3, pointwise 1x1, each with BatchNorm
/// and ReLU) to 16, 32, 32, 64, 64, 128 (x6), 256, 256 channels, with stride 2 in blocks 2, 4, 6 and 12
/// (96 -> 48 -> 24 -> 12 -> 6 -> 3), a mean over the 3x3 map and the classifier. ReLU, not ReLU6: the reference
/// Keras model uses ReLU. The 3x3 convolutions pad 1 on every side (PyTorch's convention; for the stride-2 ones
/// TensorFlow's 'same' pads 0 before and 1 after, which gives the same sizes). Convolutions keep their bias before
/// BatchNorm, as the Keras layers do.
/// </summary>
[Network(3, 96, 96)]
[Conv2d(8, 3, Stride = 2, Padding = 1), BatchNorm2d, ReLU]
[Conv2d(8, 3, Padding = 1, Groups = 8), BatchNorm2d, ReLU, Conv2d(16, 1), BatchNorm2d, ReLU]
[Conv2d(16, 3, Stride = 2, Padding = 1, Groups = 16), BatchNorm2d, ReLU, Conv2d(32, 1), BatchNorm2d, ReLU]
[Conv2d(32, 3, Padding = 1, Groups = 32), BatchNorm2d, ReLU, Conv2d(32, 1), BatchNorm2d, ReLU]
[Conv2d(32, 3, Stride = 2, Padding = 1, Groups = 32), BatchNorm2d, ReLU, Conv2d(64, 1), BatchNorm2d, ReLU]
[Conv2d(64, 3, Padding = 1, Groups = 64), BatchNorm2d, ReLU, Conv2d(64, 1), BatchNorm2d, ReLU]
[Conv2d(64, 3, Stride = 2, Padding = 1, Groups = 64), BatchNorm2d, ReLU, Conv2d(128, 1), BatchNorm2d, ReLU]
[Conv2d(128, 3, Padding = 1, Groups = 128), BatchNorm2d, ReLU, Conv2d(128, 1), BatchNorm2d, ReLU]
[Conv2d(128, 3, Padding = 1, Groups = 128), BatchNorm2d, ReLU, Conv2d(128, 1), BatchNorm2d, ReLU]
[Conv2d(128, 3, Padding = 1, Groups = 128), BatchNorm2d, ReLU, Conv2d(128, 1), BatchNorm2d, ReLU]
[Conv2d(128, 3, Padding = 1, Groups = 128), BatchNorm2d, ReLU, Conv2d(128, 1), BatchNorm2d, ReLU]
[Conv2d(128, 3, Padding = 1, Groups = 128), BatchNorm2d, ReLU, Conv2d(128, 1), BatchNorm2d, ReLU]
[Conv2d(128, 3, Stride = 2, Padding = 1, Groups = 128), BatchNorm2d, ReLU, Conv2d(256, 1), BatchNorm2d, ReLU]
[Conv2d(256, 3, Padding = 1, Groups = 256), BatchNorm2d, ReLU, Conv2d(256, 1), BatchNorm2d, ReLU]
[GlobalAvgPool, Flatten, Linear(2)]
public sealed partial class MobileNetV1Vww
{
}
