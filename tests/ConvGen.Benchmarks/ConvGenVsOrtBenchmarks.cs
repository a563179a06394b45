using System;
using System.Collections.Generic;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using ConvGen.Benchmarks.Networks;
using ConvGen.Benchmarks.Onnx;
using LeNet5Sample;

namespace ConvGen.Benchmarks;

/// <summary>
/// ConvGen's generated kernels against ONNX Runtime (one thread, batch 1) on the same network, weights and input,
/// in one run. ORT is the baseline of each category, so the Ratio column reads ConvGen time / ORT time per network.
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

    /// <summary>Largest |ConvGen - ORT| allowed, relative to the largest |ORT| output.</summary>
    public const double Tolerance = 1e-4;

    private const int WeightSeed = 20240601;

    private Pair<LeNet5> _leNet5 = null!;
    private Pair<Conv3x3_64to64_56x56> _conv = null!;

    /// <summary>Builds both engines for both networks from one set of weights, and checks they agree.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _leNet5 = new Pair<LeNet5>(
            LeNet5.CreateWeights(WeightSeed),
            w => new LeNet5(w),
            sd => ReferenceNetworks.LeNet5(sd),
            (n, x, y) => n.Forward(x, y));
        _conv = new Pair<Conv3x3_64to64_56x56>(
            Conv3x3_64to64_56x56.CreateWeights(WeightSeed),
            w => new Conv3x3_64to64_56x56(w),
            sd => ReferenceNetworks.SingleConv(sd, batch: 1, inChannels: 64, outChannels: 64, kernelSize: 3, padding: 1, height: 56, width: 56),
            (n, x, y) => n.Forward(x, y));
        Console.WriteLine("// " + _leNet5.Verify(LeNet5Category));
        Console.WriteLine("// " + _conv.Verify(Conv3x3Category));
    }

    /// <summary>Releases the ORT sessions.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _leNet5.Dispose();
        _conv.Dispose();
    }

    /// <summary>LeNet-5 on [1, 1, 32, 32], ONNX Runtime.</summary>
    [Benchmark(Baseline = true, Description = "ORT")]
    [BenchmarkCategory(LeNet5Category)]
    public float OrtLeNet5() => _leNet5.RunOrt();

    /// <summary>LeNet-5 on [1, 1, 32, 32], ConvGen.</summary>
    [Benchmark(Description = "ConvGen")]
    [BenchmarkCategory(LeNet5Category)]
    public float ConvGenLeNet5() => _leNet5.RunConvGen();

    /// <summary>Conv2d(64, 64, 3, padding=1) on [1, 64, 56, 56], ONNX Runtime.</summary>
    [Benchmark(Baseline = true, Description = "ORT")]
    [BenchmarkCategory(Conv3x3Category)]
    public float OrtConv3x3() => _conv.RunOrt();

    /// <summary>Conv2d(64, 64, 3, padding=1) on [1, 64, 56, 56], ConvGen.</summary>
    [Benchmark(Description = "ConvGen")]
    [BenchmarkCategory(Conv3x3Category)]
    public float ConvGenConv3x3() => _conv.RunConvGen();

    /// <summary>
    /// One network in both engines: the ORT session reads <see cref="OrtSession.Input"/>, and ConvGen reads the very
    /// same array, so inputs are shared as well as weights.
    /// </summary>
    private sealed class Pair<TNetwork> : IDisposable
        where TNetwork : class
    {
        private readonly TNetwork _network;
        private readonly OrtSession _session;
        private readonly float[] _output;
        private readonly Action<TNetwork, float[], float[]> _forward;

        public Pair(
            ModelWeights weights,
            Func<ModelWeights, TNetwork> create,
            Func<IReadOnlyDictionary<string, float[]>, byte[]> onnxModel,
            Action<TNetwork, float[], float[]> forward)
        {
            _network = create(weights);
            _session = new OrtSession(onnxModel(StateDicts.From(weights)));
            SeededWeights.Uniform(ReferenceNetworks.DefaultSeed, "input", _session.Input.Length, 1f).CopyTo(_session.Input, 0);
            _output = new float[_session.Output.Length];
            _forward = forward;
        }

        public float RunOrt()
        {
            _session.Run();
            return _session.Output[0];
        }

        public float RunConvGen()
        {
            _forward(_network, _session.Input, _output);
            return _output[0];
        }

        /// <summary>Runs both once; throws unless ConvGen matches ORT within <see cref="Tolerance"/> (relative).</summary>
        public string Verify(string name)
        {
            Array.Clear(_session.Output);
            Array.Clear(_output);
            RunOrt();
            RunConvGen();
            double maxDiff = 0, maxRef = 0;
            for (int i = 0; i < _output.Length; i++)
            {
                double diff = Math.Abs((double)_output[i] - _session.Output[i]);
                maxDiff = double.IsNaN(diff) ? double.PositiveInfinity : Math.Max(maxDiff, diff);
                maxRef = Math.Max(maxRef, Math.Abs(_session.Output[i]));
            }

            double relative = maxRef > 0 ? maxDiff / maxRef : maxDiff;
            string report = string.Create(
                CultureInfo.InvariantCulture,
                $"{name}: {_output.Length} outputs, max |ConvGen - ORT| = {maxDiff:0.00e+00}, relative to max |ORT| ({maxRef:0.00e+00}) = {relative:0.00e+00} (tolerance {Tolerance:0e+00})");
            return relative <= Tolerance && maxRef > 0
                ? report
                : throw new InvalidOperationException("ConvGen and ONNX Runtime disagree. " + report);
        }

        public void Dispose() => _session.Dispose();
    }
}
