using System;
using System.Collections.Generic;
using System.Linq;
using BenchmarkDotNet.Attributes;

namespace ConvGen.Benchmarks;

/// <summary>
/// A batch of 32 split across every core against the same batch on one core, per zoo network (issue #10's parallel
/// batch inference). The baseline is one core, so the Ratio column reads all-cores time / one-core time and the speed-up
/// is its inverse. <see cref="Setup"/> checks the two give the same bits.
/// </summary>
[MemoryDiagnoser]
public class ParallelBatchBenchmarks
{
    /// <summary>Samples per run.</summary>
    public const int Batch = 32;

    private INetwork _oneCore = null!;
    private INetwork _allCores = null!;
    private float[] _input = null!;
    private float[] _output = null!;

    /// <summary>Every zoo network, by name.</summary>
    public static IEnumerable<string> Networks => ZooNetwork.All.Select(n => n.Name);

    /// <summary>The zoo network.</summary>
    [ParamsSource(nameof(Networks))]
    public string Network { get; set; } = "LeNet5";

    /// <summary>Builds both instances on one set of weights and checks their outputs are bitwise equal.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var network = ZooNetwork.Find(Network);
        var weights = network.CreateWeights(EnginePair.WeightSeed);
        _oneCore = network.CreateConvGen(weights, cores: 1);
        _allCores = network.CreateConvGen(weights, cores: Environment.ProcessorCount);
        var random = new Random(7);
        _input = Enumerable.Range(0, Batch * _oneCore.InputSize).Select(_ => (float)random.NextDouble()).ToArray();
        _output = new float[Batch * _oneCore.OutputSize];
        var check = new float[_output.Length];
        _oneCore.Forward(_input, _output, Batch);
        _allCores.Forward(_input, check, Batch);
        if (!check.AsSpan().SequenceEqual(_output))
        {
            throw new InvalidOperationException($"{Network}: the batch split across {Environment.ProcessorCount} cores differs from the one-core run.");
        }

        Console.WriteLine($"// {Network}: batch {Batch} on 1 and on {Environment.ProcessorCount} cores, bitwise equal");
    }

    /// <summary>The batch on the caller's thread.</summary>
    [Benchmark(Baseline = true, Description = "1 core")]
    public float OneCore()
    {
        _oneCore.Forward(_input, _output, Batch);
        return _output[0];
    }

    /// <summary>The batch split across every core.</summary>
    [Benchmark(Description = "all cores")]
    public float AllCores()
    {
        _allCores.Forward(_input, _output, Batch);
        return _output[0];
    }
}
