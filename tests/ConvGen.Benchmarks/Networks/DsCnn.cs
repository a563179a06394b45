namespace ConvGen.Benchmarks.Networks;

/// <summary>
/// MLPerf Tiny keyword spotting: the DS-CNN of the reference Keras model, on a [1, 49, 10] MFCC map (49 frames,
/// 10 coefficients), 12 classes. The first convolution (64 filters, 10x4, stride 2) pads as TensorFlow's 'same' does,
/// written out: 9 rows in all, 4 on top and 5 below, and 2 columns, 1 each side, so [49, 10] becomes [25, 5].
/// Then four depthwise-separable blocks (depthwise 3x3, pointwise 1x1 to 64 channels, each with BatchNorm and ReLU),
/// a mean over the whole 25x5 map and the classifier. The reference's two Dropout layers (identity at inference) are
/// left out; the convolutions keep their bias before BatchNorm, as the Keras layers do.
/// </summary>
[Network(1, 49, 10)]
[Conv2d(64, 10, 4, Stride = 2, PadTop = 4, PadBottom = 5, PadLeft = 1, PadRight = 1), BatchNorm2d, ReLU]
[Conv2d(64, 3, Padding = 1, Groups = 64), BatchNorm2d, ReLU, Conv2d(64, 1), BatchNorm2d, ReLU]
[Conv2d(64, 3, Padding = 1, Groups = 64), BatchNorm2d, ReLU, Conv2d(64, 1), BatchNorm2d, ReLU]
[Conv2d(64, 3, Padding = 1, Groups = 64), BatchNorm2d, ReLU, Conv2d(64, 1), BatchNorm2d, ReLU]
[Conv2d(64, 3, Padding = 1, Groups = 64), BatchNorm2d, ReLU, Conv2d(64, 1), BatchNorm2d, ReLU]
[GlobalAvgPool, Flatten, Linear(12)]
public sealed partial class DsCnn
{
}
