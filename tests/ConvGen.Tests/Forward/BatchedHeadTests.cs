using System;
using System.Collections.Generic;
using System.Linq;
using ConvGen.Tests.Infrastructure;
using Xunit;

namespace ConvGen.Tests.Forward;

/// <summary>
/// A network's linear head run over chunks of samples (<c>ForwardChunk</c> and the <c>_Chunk</c> kernels): every
/// sample's output has the bits of the sample run alone, at every batch size around the chunk (8) and the register
/// tiles (4, 2 or 1 samples, the last one overlapping), on one core and on several; the result matches the naive
/// reference; the path allocates nothing; networks without such a head keep the per-sample path.
/// </summary>
public sealed class BatchedHeadTests
{
    /// <summary>Only linear layers: the head reads the caller's input rows; odd widths (13, 29, 5 channels), Tanh, a folded BatchNorm1d, a Dropout.</summary>
    private const string Perceptron = """
        [Network(37, 1)]
        [Flatten, Linear(13), Tanh]
        [Linear(29), BatchNorm1d, ReLU, Dropout]
        [Linear(5)]
        """;

    /// <summary>A convolution, then a head of two layers whose widths leave partial vectors (70 and 33 channels).</summary>
    private const string ConvThenHead = """
        [Network(2, 6, 6)]
        [Conv2d(4, 3), ReLU, Flatten]
        [Linear(70), LeakyReLU(NegativeSlope = 0.1)]
        [Linear(33)]
        """;

    /// <summary>A long reduction into few channels (the per-sample kernel splits it into partial sums), after global pooling.</summary>
    private const string LongReduction = """
        [Network(300, 3, 3)]
        [GlobalAvgPool, Flatten]
        [Linear(6), Sigmoid]
        """;

    private static readonly Dictionary<string, string> Cases = new(StringComparer.Ordinal)
    {
        ["lenet5"] = ForwardContractTests.LeNet5,
        ["perceptron"] = Perceptron,
        ["conv then head"] = ConvThenHead,
        ["long reduction"] = LongReduction,
    };

    private static readonly Dictionary<string, Type> Compiled = new(StringComparer.Ordinal);

    public static TheoryData<string> Networks() => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(Networks))]
    public void Every_sample_of_a_batch_has_the_bits_of_the_sample_alone(string key)
    {
        var network = Create(key);
        foreach (int batch in new[] { 2, 3, 4, 5, 7, 8, 9, 12, 13, 19, 37 })
        {
            var input = ReferenceNetwork.RandomInput(batch, batch * network.InputSize);
            foreach (int cores in new[] { 1, Environment.ProcessorCount })
            {
                network.MaxDegreeOfParallelism = cores;
                var batched = new float[batch * network.OutputSize];
                batched.AsSpan().Fill(float.NaN);
                network.Forward(input, batched, batch);
                var single = new float[network.OutputSize];
                for (int n = 0; n < batch; n++)
                {
                    network.Forward(input.AsSpan(n * network.InputSize, network.InputSize), single, 1);
                    var row = batched.AsSpan(n * network.OutputSize, network.OutputSize);
                    for (int j = 0; j < single.Length; j++)
                    {
                        Assert.True(
                            BitConverter.SingleToInt32Bits(single[j]) == BitConverter.SingleToInt32Bits(row[j]),
                            $"{key}, batch {batch} on {cores} core(s): sample {n} output {j} is {row[j]:R} in the batch and {single[j]:R} alone");
                    }
                }
            }
        }
    }

    [Fact]
    public void A_chunked_batch_matches_the_reference_network()
    {
        var type = Compile("lenet5");
        var weights = GeneratorHarness.CreateWeights(type, 8);
        var network = (INetwork)Activator.CreateInstance(type, weights)!;
        const int Batch = 11; // a chunk of 8 (two 4-sample tiles) and one of 3 (single-sample tiles)
        var input = ReferenceNetwork.RandomInput(12, Batch * network.InputSize);
        var actual = new float[Batch * network.OutputSize];
        network.Forward(input, actual, Batch);
        var (decl, layers) = ContractDecls.For("lenet5");
        var expected = ReferenceNetwork.Run(decl, layers, weights, input, Batch);
        for (int i = 0; i < actual.Length; i++)
        {
            double e = expected[i];
            Assert.True(Math.Abs(actual[i] - e) <= 1e-4 * Math.Max(1.0, Math.Abs(e)), $"output[{i}] = {actual[i]:R}, reference {e:R}");
        }
    }

    [Theory]
    [InlineData(ForwardContractTests.LeNet5, 3)]
    [InlineData(Perceptron, 3)]
    [InlineData(LongReduction, 1)]
    [InlineData("[Network(3, 8, 8)]\n[Conv2d(4, 3)]", 0)]
    [InlineData("[Network(3, 4, 4)]\n[Flatten, Save(\"a\"), Linear(48), Add(\"a\")]", 0)]
    public void Only_a_trailing_run_of_linear_layers_gets_chunk_kernels(string declaration, int chunkKernels)
    {
        string source = GeneratorHarness.Run(GeneratorHarness.Declare(declaration)).Sources.Values.Single();
        int found = source.Split("_Chunk(global::System.ReadOnlySpan<float> input").Length - 1;
        Assert.Equal(chunkKernels, found);
        Assert.Equal(chunkKernels > 0, source.Contains("private void ForwardChunk(", StringComparison.Ordinal));
    }

    [Fact]
    public void A_chunked_batch_allocates_nothing()
    {
        var network = Create("conv then head");
        network.MaxDegreeOfParallelism = 1;
        const int Batch = 13;
        var input = ReferenceNetwork.RandomInput(3, Batch * network.InputSize);
        var output = new float[Batch * network.OutputSize];
        network.Forward(input, output, Batch);
        Assert.Equal(0, AllocationProbe.PerWindow(() => network.Forward(input, output, Batch), 50));
    }

    private static INetwork Create(string key)
    {
        var type = Compile(key);
        return (INetwork)Activator.CreateInstance(type, GeneratorHarness.CreateWeights(type, 5))!;
    }

    private static Type Compile(string key)
    {
        lock (Compiled)
        {
            if (!Compiled.TryGetValue(key, out var type))
            {
                type = GeneratorHarness.CompileAndLoad(GeneratorHarness.Declare(Cases[key])).GetType("Tests.Net", throwOnError: true)!;
                Compiled[key] = type;
            }

            return type;
        }
    }
}
