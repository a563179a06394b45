using System.Collections.Generic;
using static ConvGen.Benchmarks.Onnx.LayerSpec;

namespace ConvGen.Benchmarks.Onnx;

/// <summary>
/// The networks the benchmarks compare on, as ONNX models built from PyTorch-style state dicts, plus
/// fixed-seed state dicts for them. Feed the same dictionary to ConvGen's kernels for a like-for-like run.
/// The model zoo's networks are <see cref="NetworkSpec"/>s: hyper-parameters written here, on the ONNX side, apart
/// from ConvGen's attribute declarations (tests/ConvGen.Benchmarks/Networks), so a slip in either shows up as a mismatch.
/// </summary>
public static class ReferenceNetworks
{
    /// <summary>The seed the benchmarks use for weights and inputs.</summary>
    public const ulong DefaultSeed = 20240601;

    /// <summary>
    /// State dict of <c>nn.Sequential(nn.Conv2d(inChannels, outChannels, kernelSize, padding=...))</c>:
    /// <c>"0.weight"</c> [out, in, k, k] and <c>"0.bias"</c> [out].
    /// </summary>
    public static Dictionary<string, float[]> SingleConvStateDict(int inChannels, int outChannels, int kernelSize, ulong seed = DefaultSeed)
    {
        var stateDict = new Dictionary<string, float[]>();
        int fanIn = inChannels * kernelSize * kernelSize;
        SeededWeights.AddLayer(stateDict, seed, "0", outChannels * fanIn, outChannels, fanIn);
        return stateDict;
    }

    /// <summary>One Conv layer with bias (module "0"), square kernel, symmetric padding, stride 1; input [batch, in, height, width].</summary>
    public static byte[] SingleConv(
        IReadOnlyDictionary<string, float[]> stateDict,
        int batch,
        int inChannels,
        int outChannels,
        int kernelSize,
        int padding,
        int height,
        int width) =>
        SingleConvSpec(inChannels, outChannels, kernelSize, padding, height, width).ToOnnx(stateDict, batch);

    /// <summary>One Conv layer with bias (module "0"), square kernel, symmetric padding, stride 1, on [in, height, width].</summary>
    public static NetworkSpec SingleConvSpec(int inChannels, int outChannels, int kernelSize, int padding, int height, int width) =>
        new("convgen", [inChannels, height, width], [Conv2d(outChannels, kernelSize, padding: padding)]);

    /// <summary>One ConvTranspose layer with bias (module "0"): square kernel, stride and padding, on [in, height, width].</summary>
    public static NetworkSpec SingleConvTransposeSpec(int inChannels, int outChannels, int kernelSize, int stride, int padding, int height, int width) =>
        new("convgen", [inChannels, height, width], [LayerSpec.ConvTranspose2d(outChannels, kernelSize, stride, padding)]);

    /// <summary>
    /// State dict of LeNet-5 as <c>nn.Sequential(Conv2d(1,6,5), ReLU, MaxPool2d(2), Conv2d(6,16,5), ReLU, MaxPool2d(2),
    /// Flatten, Linear(400,120), ReLU, Linear(120,84), ReLU, Linear(84,10))</c>: keys "0", "3", "7", "9", "11".
    /// </summary>
    public static Dictionary<string, float[]> LeNet5StateDict(ulong seed = DefaultSeed)
    {
        var stateDict = new Dictionary<string, float[]>();
        SeededWeights.AddLayer(stateDict, seed, "0", 6 * 1 * 5 * 5, 6, 1 * 5 * 5);
        SeededWeights.AddLayer(stateDict, seed, "3", 16 * 6 * 5 * 5, 16, 6 * 5 * 5);
        SeededWeights.AddLayer(stateDict, seed, "7", 120 * 400, 120, 400);
        SeededWeights.AddLayer(stateDict, seed, "9", 84 * 120, 84, 120);
        SeededWeights.AddLayer(stateDict, seed, "11", 10 * 84, 10, 84);
        return stateDict;
    }

    /// <summary>LeNet-5 (see <see cref="LeNet5StateDict"/>) on input [batch, 1, 32, 32]; output [batch, 10].</summary>
    public static byte[] LeNet5(IReadOnlyDictionary<string, float[]> stateDict, int batch = 1) => LeNet5Spec.ToOnnx(stateDict, batch);

    /// <summary>LeNet-5 with ReLU and max pooling, as samples/LeNet5 declares it: slots 0 to 11.</summary>
    public static NetworkSpec LeNet5Spec { get; } = new(
        "lenet5",
        [1, 32, 32],
        [Conv2d(6, 5), ReLU, MaxPool2d(2), Conv2d(16, 5), ReLU, MaxPool2d(2), Flatten, Linear(120), ReLU, Linear(84), ReLU, Linear(10)]);

    /// <summary>
    /// MLPerf Tiny's ResNet-8 for CIFAR-10 on [3, 32, 32]: three stacks of two 3x3 convolutions with BatchNorm (16, 32 and 64
    /// channels; stacks 2 and 3 start with stride 2 and add a projected shortcut), then the mean of each channel and Linear(10).
    /// </summary>
    public static NetworkSpec ResNet8Spec { get; } = new("resnet8", [3, 32, 32], ResNet8Layers());

    /// <summary>
    /// MLPerf Tiny's DS-CNN for keyword spotting on a [1, 49, 10] MFCC map: Conv 10x4 stride 2 to 64 channels with
    /// TensorFlow-'same' padding (rows 4 above and 5 below, columns 1 and 1: [25, 5] out), four depthwise-separable blocks,
    /// the mean of each channel and Linear(12).
    /// </summary>
    public static NetworkSpec DsCnnSpec { get; } = new("dscnn", [1, 49, 10], DsCnnLayers());

    /// <summary>
    /// MLPerf Tiny's visual-wake-words MobileNetV1, width 0.25, on [3, 96, 96]: a 3x3 stride-2 convolution to 8 channels,
    /// the 13 depthwise-separable blocks of MobileNetV1 (ReLU, as the reference), the mean of each channel and Linear(2).
    /// </summary>
    public static NetworkSpec MobileNetV1VwwSpec { get; } = new("mobilenetv1_vww", [3, 96, 96], MobileNetV1VwwLayers());

    private static List<LayerSpec> ResNet8Layers()
    {
        List<LayerSpec> layers = [Conv2d(16, 3, padding: 1), BatchNorm2d, ReLU];
        int channels = 16;
        foreach (int width in (int[])[16, 32, 64])
        {
            // A stack: conv-BN-ReLU, conv-BN, add the stack's input (projected where the shape changes), ReLU.
            int stride = width == channels ? 1 : 2;
            string skip = "stack" + width.ToString(System.Globalization.CultureInfo.InvariantCulture);
            layers.AddRange(
            [
                Save(skip),
                Conv2d(width, 3, stride, padding: 1), BatchNorm2d, ReLU,
                Conv2d(width, 3, padding: 1), BatchNorm2d, Add(skip, projection: stride != 1), ReLU,
            ]);
            channels = width;
        }

        layers.AddRange([GlobalAvgPool, Flatten, Linear(10)]);
        return layers;
    }

    private static List<LayerSpec> DsCnnLayers()
    {
        List<LayerSpec> layers = [Conv2d(64, [10, 4], stride: 2, pads: [4, 1, 5, 1]), BatchNorm2d, ReLU];
        for (int block = 0; block < 4; block++)
        {
            layers.AddRange([Conv2d(64, 3, padding: 1, groups: 64), BatchNorm2d, ReLU, Conv2d(64, 1), BatchNorm2d, ReLU]);
        }

        layers.AddRange([GlobalAvgPool, Flatten, Linear(12)]);
        return layers;
    }

    private static List<LayerSpec> MobileNetV1VwwLayers()
    {
        List<LayerSpec> layers = [Conv2d(8, 3, stride: 2, padding: 1), BatchNorm2d, ReLU];
        int channels = 8;
        (int Width, int Stride)[] blocks =
        [
            (16, 1), (32, 2), (32, 1), (64, 2), (64, 1), (128, 2),
            (128, 1), (128, 1), (128, 1), (128, 1), (128, 1), (256, 2), (256, 1),
        ];
        foreach ((int width, int stride) in blocks)
        {
            layers.AddRange(
            [
                Conv2d(channels, 3, stride, padding: 1, groups: channels), BatchNorm2d, ReLU,
                Conv2d(width, 1), BatchNorm2d, ReLU,
            ]);
            channels = width;
        }

        layers.AddRange([GlobalAvgPool, Flatten, Linear(2)]);
        return layers;
    }
}
