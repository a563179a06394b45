using System.Collections.Generic;
using BenchmarkDotNet.Attributes;
using ConvGen.Benchmarks.Onnx;

namespace ConvGen.Benchmarks;

/// <summary>
/// ONNX Runtime alone (one thread, batch 1) on the networks ConvGen is compared on, with fixed-seed
/// weights from <see cref="ReferenceNetworks"/>: the same state dicts can be fed to ConvGen's kernels.
/// </summary>
[MemoryDiagnoser]
public class OnnxConvBenchmarks
{
    private OrtSession _conv = null!;
    private OrtSession _leNet5 = null!;

    /// <summary>Weights of the 3x3 64->64 conv, keyed "0.weight", "0.bias".</summary>
    public Dictionary<string, float[]> ConvWeights { get; } = ReferenceNetworks.SingleConvStateDict(64, 64, 3);

    /// <summary>Weights of LeNet-5, keyed "0.weight" ... "11.bias".</summary>
    public Dictionary<string, float[]> LeNet5Weights { get; } = ReferenceNetworks.LeNet5StateDict();

    /// <summary>Builds both sessions and fills their inputs.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _conv = new OrtSession(ReferenceNetworks.SingleConv(ConvWeights, batch: 1, inChannels: 64, outChannels: 64, kernelSize: 3, padding: 1, height: 56, width: 56));
        SeededWeights.Uniform(ReferenceNetworks.DefaultSeed, "input", _conv.Input.Length, 1f).CopyTo(_conv.Input, 0);
        _leNet5 = new OrtSession(ReferenceNetworks.LeNet5(LeNet5Weights));
        SeededWeights.Uniform(ReferenceNetworks.DefaultSeed, "input", _leNet5.Input.Length, 1f).CopyTo(_leNet5.Input, 0);
    }

    /// <summary>Releases the sessions.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _conv.Dispose();
        _leNet5.Dispose();
    }

    /// <summary>Conv2d(64, 64, 3, padding=1) on [1, 64, 56, 56]: 0.231 GFLOP (2·64·64·9·56·56).</summary>
    [Benchmark]
    public float OrtConv3x3_64to64_56x56()
    {
        _conv.Run();
        return _conv.Output[0];
    }

    /// <summary>LeNet-5 on [1, 1, 32, 32].</summary>
    [Benchmark]
    public float OrtLeNet5()
    {
        _leNet5.Run();
        return _leNet5.Output[0];
    }
}
