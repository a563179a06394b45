using System;
using System.Collections.Generic;
using System.Linq;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace ConvGen.Benchmarks;

/// <summary>
/// ConvGen's generated kernels against ONNX Runtime (one thread) on the model zoo (<see cref="ZooNetwork.All"/>):
/// the same network, weights and input, in one run, at batch 1 and 32. Each network is a category and ORT its
/// baseline, so the Ratio column reads ConvGen time / ORT time per network and batch; "µs/image" is Mean / Batch.
/// <see cref="Setup"/> first checks that both engines compute the same output.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(ThroughputConfig))]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class ConvGenVsOrtBenchmarks
{
    /// <summary>Category of the LeNet-5 pair.</summary>
    public const string LeNet5Category = "LeNet5";

    /// <summary>Category of the 3x3 64->64 56x56 convolution pair.</summary>
    public const string Conv3x3Category = "Conv3x3_64to64_56x56";

    /// <summary>Category of MLPerf Tiny's ResNet-8 (CIFAR-10).</summary>
    public const string ResNet8Category = "ResNet8";

    /// <summary>Category of MLPerf Tiny's DS-CNN (keyword spotting).</summary>
    public const string DsCnnCategory = "DsCnn";

    /// <summary>Category of MLPerf Tiny's MobileNetV1-0.25 (visual wake words).</summary>
    public const string MobileNetCategory = "MobileNetV1Vww";

    public const string ConvTransposeCategory = "ConvTranspose4x4_64to32_32x32";

    private Dictionary<string, EnginePair> _pairs = null!;

    /// <summary>Samples per run: 1, and 32 for throughput (per-image time = Mean / 32).</summary>
    [Params(1, 32)]
    public int Batch { get; set; } = 1;

    /// <summary>Builds both engines for every zoo network from one set of weights, and checks they agree.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _pairs = ZooNetwork.All.ToDictionary(n => n.Name, n => new EnginePair(n, Batch), StringComparer.Ordinal);
        foreach (EnginePair pair in _pairs.Values)
        {
            Console.WriteLine("// " + pair.Verify());
        }
    }

    /// <summary>Releases the ORT sessions.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (EnginePair pair in _pairs.Values)
        {
            pair.Dispose();
        }
    }

    /// <summary>LeNet-5 on [Batch, 1, 32, 32], ONNX Runtime.</summary>
    [Benchmark(Baseline = true, Description = "ORT")]
    [BenchmarkCategory(LeNet5Category)]
    public float OrtLeNet5() => _pairs[LeNet5Category].RunOrt();

    /// <summary>LeNet-5 on [Batch, 1, 32, 32], ConvGen.</summary>
    [Benchmark(Description = "ConvGen")]
    [BenchmarkCategory(LeNet5Category)]
    public float ConvGenLeNet5() => _pairs[LeNet5Category].RunConvGen();

    /// <summary>Conv2d(64, 64, 3, padding=1) on [Batch, 64, 56, 56], ONNX Runtime.</summary>
    [Benchmark(Baseline = true, Description = "ORT")]
    [BenchmarkCategory(Conv3x3Category)]
    public float OrtConv3x3() => _pairs[Conv3x3Category].RunOrt();

    /// <summary>Conv2d(64, 64, 3, padding=1) on [Batch, 64, 56, 56], ConvGen.</summary>
    [Benchmark(Description = "ConvGen")]
    [BenchmarkCategory(Conv3x3Category)]
    public float ConvGenConv3x3() => _pairs[Conv3x3Category].RunConvGen();

    /// <summary>ResNet-8 on [Batch, 3, 32, 32], ONNX Runtime.</summary>
    [Benchmark(Baseline = true, Description = "ORT")]
    [BenchmarkCategory(ResNet8Category)]
    public float OrtResNet8() => _pairs[ResNet8Category].RunOrt();

    /// <summary>ResNet-8 on [Batch, 3, 32, 32], ConvGen.</summary>
    [Benchmark(Description = "ConvGen")]
    [BenchmarkCategory(ResNet8Category)]
    public float ConvGenResNet8() => _pairs[ResNet8Category].RunConvGen();

    /// <summary>DS-CNN on [Batch, 1, 49, 10], ONNX Runtime.</summary>
    [Benchmark(Baseline = true, Description = "ORT")]
    [BenchmarkCategory(DsCnnCategory)]
    public float OrtDsCnn() => _pairs[DsCnnCategory].RunOrt();

    /// <summary>DS-CNN on [Batch, 1, 49, 10], ConvGen.</summary>
    [Benchmark(Description = "ConvGen")]
    [BenchmarkCategory(DsCnnCategory)]
    public float ConvGenDsCnn() => _pairs[DsCnnCategory].RunConvGen();

    /// <summary>MobileNetV1-0.25 on [Batch, 3, 96, 96], ONNX Runtime.</summary>
    [Benchmark(Baseline = true, Description = "ORT")]
    [BenchmarkCategory(MobileNetCategory)]
    public float OrtMobileNetV1Vww() => _pairs[MobileNetCategory].RunOrt();

    /// <summary>MobileNetV1-0.25 on [Batch, 3, 96, 96], ConvGen.</summary>
    [Benchmark(Description = "ConvGen")]
    [BenchmarkCategory(MobileNetCategory)]
    public float ConvGenMobileNetV1Vww() => _pairs[MobileNetCategory].RunConvGen();

    [Benchmark(Baseline = true, Description = "ORT")]
    [BenchmarkCategory(ConvTransposeCategory)]
    public float OrtConvTranspose() => _pairs[ConvTransposeCategory].RunOrt();

    [Benchmark(Description = "ConvGen")]
    [BenchmarkCategory(ConvTransposeCategory)]
    public float ConvGenConvTranspose() => _pairs[ConvTransposeCategory].RunConvGen();
}
