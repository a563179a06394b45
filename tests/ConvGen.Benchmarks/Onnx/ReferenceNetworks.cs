using System.Collections.Generic;

namespace ConvGen.Benchmarks.Onnx;

/// <summary>
/// The networks the benchmarks compare on, as ONNX models built from PyTorch-style state dicts, plus
/// fixed-seed state dicts for them. Feed the same dictionary to ConvGen's kernels for a like-for-like run.
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
        int width)
    {
        var builder = new OnnxGraphBuilder("input", batch, inChannels, height, width);
        string y = builder.Conv2d(builder.Input, stateDict, "0", outChannels, kernelSize, padding: padding);
        return builder.Build(y);
    }

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
    public static byte[] LeNet5(IReadOnlyDictionary<string, float[]> stateDict, int batch = 1)
    {
        var b = new OnnxGraphBuilder("input", batch, 1, 32, 32);
        string x = b.Conv2d(b.Input, stateDict, "0", outChannels: 6, kernelSize: 5);
        x = b.Relu(x);
        x = b.MaxPool(x, [2, 2]);
        x = b.Conv2d(x, stateDict, "3", outChannels: 16, kernelSize: 5);
        x = b.Relu(x);
        x = b.MaxPool(x, [2, 2]);
        x = b.Flatten(x);
        x = b.Linear(x, stateDict, "7", 120);
        x = b.Relu(x);
        x = b.Linear(x, stateDict, "9", 84);
        x = b.Relu(x);
        x = b.Linear(x, stateDict, "11", 10);
        return b.Build(x, "lenet5");
    }
}
