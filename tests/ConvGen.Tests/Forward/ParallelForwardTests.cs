using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using ConvGen.Kernels;
using ConvGen.Tests.Infrastructure;
using Xunit;

namespace ConvGen.Tests.Forward;

/// <summary>
/// A batch split across cores (<see cref="BatchParallel"/>, the generated Forward's parallel path): the same bits as
/// the sequential run, every sample once, errors surfaced, nothing allocated per call, and safe with several
/// instances on several threads.
/// </summary>
public sealed class ParallelForwardTests
{
    /// <summary>Channels-last I/O, a residual with a projection, a transposed convolution and a depthwise layer.</summary>
    private const string Mixed = """
        [Network(3, 24, 24, Layout = TensorLayout.Nhwc)]
        [Conv2d(16, 3, Padding = 1, Bias = false), BatchNorm2d, ReLU, Save("a")]
        [Conv2d(16, 3, Padding = 1, Groups = 16), BatchNorm2d, ReLU6]
        [Conv2d(32, 1), Add("a", Projection = true), SiLU]
        [ConvTranspose2d(8, 2, Stride = 2), Tanh]
        [MaxPool2d(2), GlobalAvgPool, Flatten, Linear(7)]
        """;

    /// <summary>A 1-D causal stack: a small sample (a few thousand cycles), split only in large batches.</summary>
    private const string Sequence = """
        [Network(4, 64)]
        [Conv1d(16, 3, Pad = Pad.Causal, Dilation = 2), ReLU]
        [Conv1d(16, 3, Pad = Pad.Causal, Dilation = 4), ReLU]
        [Conv1d(2, 1)]
        """;

    private static readonly Dictionary<string, (string Declaration, int Batch)> Cases = new(StringComparer.Ordinal)
    {
        // LeNet-5: about 38 k estimated cycles a sample, split from 16 samples on.
        ["lenet5"] = (ForwardContractTests.LeNet5, 37),
        ["mixed"] = (Mixed, 9),
        ["sequence"] = (Sequence, 301),
    };

    private static readonly Dictionary<string, Type> Compiled = new(StringComparer.Ordinal);

    public static TheoryData<string> Networks() => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(Networks))]
    public void A_split_batch_is_bitwise_the_sequential_one(string key)
    {
        var (network, batch) = Create(key);
        var input = ReferenceNetwork.RandomInput(11, batch * network.InputSize);
        var sequential = new float[batch * network.OutputSize];
        network.MaxDegreeOfParallelism = 1;
        BatchParallel.lastWorkers = 0;
        network.Forward(input, sequential, batch);
        Assert.True(BatchParallel.lastWorkers <= 1, "MaxDegreeOfParallelism = 1 split the batch");

        // Each sample alone, too: the batch must not change any sample's bits.
        var single = new float[network.OutputSize];
        for (int n = 0; n < batch; n += 7)
        {
            network.Forward(input.AsSpan(n * network.InputSize, network.InputSize), single, 1);
            Assert.True(single.AsSpan().SequenceEqual(sequential.AsSpan(n * network.OutputSize, network.OutputSize)), $"sample {n}");
        }

        network.MaxDegreeOfParallelism = Environment.ProcessorCount;
        bool split = false;
        for (int attempt = 0; attempt < 20 && !split; attempt++)
        {
            var parallel = new float[batch * network.OutputSize];
            parallel.AsSpan().Fill(float.NaN);
            BatchParallel.lastWorkers = 0;
            network.Forward(input, parallel, batch);
            Assert.True(parallel.AsSpan().SequenceEqual(sequential), "the split batch differs from the sequential one");
            split = BatchParallel.lastParticipants > 1;
            if (Environment.ProcessorCount > 1)
            {
                Assert.True(BatchParallel.lastWorkers > 1, $"a batch of {batch} did not split: the cost model's estimate put it below the threshold");
            }
        }

        // A worker may fail to take a sample once on a loaded machine (the caller took them all before it woke); twenty times is a bug.
        Assert.True(split || Environment.ProcessorCount == 1, "no batch ran on more than one worker in 20 attempts");
    }

    [Fact]
    public void A_small_batch_of_small_samples_stays_on_the_callers_thread()
    {
        var (network, _) = Create("sequence");
        var input = ReferenceNetwork.RandomInput(2, 4 * network.InputSize);
        var output = new float[4 * network.OutputSize];
        BatchParallel.lastWorkers = 0;
        network.Forward(input, output, 4);
        Assert.True(BatchParallel.lastWorkers <= 1, "a batch of 4 small samples was split");
    }

    [Fact]
    public void The_degree_of_parallelism_is_at_least_one_and_defaults_to_every_processor()
    {
        var (network, _) = Create("lenet5");
        Assert.Equal(Environment.ProcessorCount, network.MaxDegreeOfParallelism);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => network.MaxDegreeOfParallelism = 0);
        Assert.Equal("value", e.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => network.MaxDegreeOfParallelism = -3);
        network.MaxDegreeOfParallelism = 64;
        Assert.Equal(64, network.MaxDegreeOfParallelism);
    }

    [Fact]
    public void A_split_batch_allocates_nothing_after_the_first_split()
    {
        var (network, batch) = Create("lenet5");
        var input = ReferenceNetwork.RandomInput(5, batch * network.InputSize);
        var output = new float[batch * network.OutputSize];
        for (int i = 0; i < 50; i++)
        {
            network.Forward(input, output, batch);
        }

        Assert.Equal(0, AllocationProbe.PerWindow(() => network.Forward(input, output, batch), calls: 20));
        Assert.Equal(0, PoolThreadAllocations(network, input, output, batch));
    }

    [Fact]
    public void Several_instances_on_several_threads_give_the_sequential_results()
    {
        var type = Compile("mixed");
        var weights = GeneratorHarness.CreateWeights(type, 3);
        const int Batch = 12;
        var reference = Instance(type, weights);
        reference.MaxDegreeOfParallelism = 1;
        var inputs = Enumerable.Range(0, 4).Select(i => ReferenceNetwork.RandomInput(100 + i, Batch * reference.InputSize)).ToArray();
        var expected = inputs.Select(x =>
        {
            var y = new float[Batch * reference.OutputSize];
            reference.Forward(x, y, Batch);
            return y;
        }).ToArray();

        // Instances share one ModelWeights; each thread owns its instance. Batches that find the pool busy run alone.
        var failures = new List<string>();
        var threads = Enumerable.Range(0, 4).Select(t => new Thread(() =>
        {
            var network = Instance(type, weights);
            var y = new float[Batch * network.OutputSize];
            for (int round = 0; round < 25; round++)
            {
                network.Forward(inputs[t], y, Batch);
                if (!y.AsSpan().SequenceEqual(expected[t]))
                {
                    lock (failures)
                    {
                        failures.Add($"thread {t}, round {round}");
                    }
                }
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        Assert.Empty(failures);
    }

    /// <summary>Two 64→64 3×3 layers on 32×32 (Winograd), the second adding a residual: both big enough to split.</summary>
    private const string WinogradSplit = """
        [Network(64, 32, 32)]
        [Conv2d(64, 3, Padding = 1), BatchNorm2d, ReLU, Save("a")]
        [Conv2d(64, 3, Padding = 1), BatchNorm2d, Add("a"), ReLU]
        """;

    /// <summary>A stride-2 layer (no Winograd: the channel tile) big enough to split.</summary>
    private const string ChannelTileSplit = """
        [Network(64, 48, 48)]
        [Conv2d(128, 3, Stride = 2, Padding = 1), SiLU]
        """;

    [Theory]
    [InlineData(WinogradSplit, 2)]
    [InlineData(ChannelTileSplit, 1)]
    public void A_sample_alone_runs_big_layers_in_parts_on_several_cores_and_matches_the_whole_layer_kernels(string declaration, int splitLayers)
    {
        string source = GeneratorHarness.Run(GeneratorHarness.Declare(declaration)).Sources.Values.Single();
        Assert.Equal(splitLayers, CountOf(source, "BatchParallel.Parts(this"));
        var type = GeneratorHarness.CompileAndLoad(GeneratorHarness.Declare(declaration)).GetType("Tests.Net", throwOnError: true)!;
        var network = Instance(type, GeneratorHarness.CreateWeights(type, 4));
        var input = ReferenceNetwork.RandomInput(9, network.InputSize);

        // One core: the whole-layer kernels (checked against the reference by the kernel tests).
        network.MaxDegreeOfParallelism = 1;
        var whole = new float[network.OutputSize];
        network.Forward(input, whole, 1);

        network.MaxDegreeOfParallelism = Environment.ProcessorCount;
        var parts = new float[network.OutputSize];
        BatchParallel.lastWorkers = 0;
        network.Forward(input, parts, 1);
        if (Environment.ProcessorCount > 1)
        {
            Assert.True(BatchParallel.lastWorkers > 1, "the split layer ran in one piece");
        }

        TiledConvolutionTests.AssertClose(whole, parts, declaration);
        var again = new float[network.OutputSize];
        network.Forward(input, again, 1);
        Assert.True(again.AsSpan().SequenceEqual(parts), "two runs in parts differ");

        // A batch split across cores runs the whole-layer kernels in each worker: bitwise the one-core batch.
        const int Batch = 3;
        var batchInput = ReferenceNetwork.RandomInput(10, Batch * network.InputSize);
        var oneCore = new float[Batch * network.OutputSize];
        var allCores = new float[Batch * network.OutputSize];
        network.MaxDegreeOfParallelism = 1;
        network.Forward(batchInput, oneCore, Batch);
        network.MaxDegreeOfParallelism = Environment.ProcessorCount;
        network.Forward(batchInput, allCores, Batch);
        Assert.True(allCores.AsSpan().SequenceEqual(oneCore), "the split batch differs from the one-core batch");
    }

    [Fact]
    public void Small_layers_are_not_split()
    {
        string source = GeneratorHarness.Run(GeneratorHarness.Declare(ForwardContractTests.LeNet5)).Sources.Values.Single();
        Assert.DoesNotContain("_Part", source, StringComparison.Ordinal);
    }

    private static int CountOf(string text, string value)
    {
        int count = 0;
        for (int at = text.IndexOf(value, StringComparison.Ordinal); at >= 0; at = text.IndexOf(value, at + 1, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    [Fact]
    public void Run_gives_every_sample_once_to_a_worker_below_the_count()
    {
        const int Batch = 200;
        var work = new RecordingWork(Batch, inputLength: 3);
        var input = Enumerable.Range(0, Batch * 3).Select(i => (float)i).ToArray();
        var output = new float[Batch * 2];
        for (int attempt = 0; attempt < 5; attempt++)
        {
            work.Reset();
            BatchParallel.Run(work, input, 3, output, 2, Batch, workers: 2);
            Assert.All(work.Counts, c => Assert.Equal(1, c));
            Assert.All(work.Workers, w => Assert.InRange(w, 0, Math.Min(2, Environment.ProcessorCount) - 1));
            for (int n = 0; n < Batch; n++)
            {
                Assert.Equal(input[n * 3], output[n * 2]);
                Assert.Equal(n, output[(n * 2) + 1]);
            }
        }
    }

    [Theory]
    [InlineData(29, 4, 2)]
    [InlineData(32, 8, 2)]
    [InlineData(3, 8, 2)]
    [InlineData(10, 3, 1)]
    public void RunChunks_gives_every_sample_once_in_chunks_of_consecutive_samples(int batch, int chunk, int workers)
    {
        var counts = new int[batch];
        var sizes = new List<int>();
        var work = new ChunkWork(3, counts, sizes);
        var input = Enumerable.Range(0, batch * 3).Select(i => (float)i).ToArray();
        var output = new float[batch * 2];
        BatchParallel.RunChunks(work, input, 3, output, 2, batch, chunk, workers);
        Assert.All(counts, c => Assert.Equal(1, c));
        sizes.Sort();
        var expected = Enumerable.Repeat(chunk, batch / chunk).ToList();
        if (batch % chunk != 0)
        {
            expected.Insert(0, batch % chunk);
        }

        Assert.Equal(expected.OrderBy(x => x), sizes);
        for (int n = 0; n < batch; n++)
        {
            Assert.Equal(n, output[n * 2]);
        }
    }

    /// <summary>Records each chunk's size and marks its samples (sample n's input starts at 3n, its first output becomes n).</summary>
    private sealed class ChunkWork(int inputLength, int[] counts, List<int> sizes) : IBatchWork
    {
        public void Sample(int worker, ReadOnlySpan<float> input, Span<float> output)
        {
            Assert.Equal(0, input.Length % inputLength);
            int count = input.Length / inputLength;
            Assert.Equal(2 * count, output.Length);
            lock (sizes)
            {
                sizes.Add(count);
            }

            for (int j = 0; j < count; j++)
            {
                int index = (int)input[j * inputLength] / inputLength;
                Interlocked.Increment(ref counts[index]);
                output[2 * j] = index;
            }
        }

        public void Part(int op, int part, int worker, int home) => throw new InvalidOperationException("no parts here");
    }

    [Fact]
    public void Run_rethrows_a_samples_exception_after_every_worker_stopped_and_stays_usable()
    {
        var work = new RecordingWork(64, 1) { FailAt = 17 };
        var input = Enumerable.Range(0, 64).Select(i => (float)i).ToArray();
        var output = new float[64];
        var e = Assert.Throws<InvalidOperationException>(() => BatchParallel.Run(work, input, 1, output, 1, 64, 2));
        Assert.Contains("sample 17", e.Message, StringComparison.Ordinal);

        work.FailAt = -1;
        work.Reset();
        BatchParallel.Run(work, input, 1, output, 1, 64, 2);
        Assert.All(work.Counts, c => Assert.Equal(1, c));
    }

    [Fact]
    public void Run_inside_a_running_batch_runs_alone_on_its_thread()
    {
        var inner = new RecordingWork(8, 1);
        var outer = new NestingWork(inner);
        BatchParallel.Run(outer, new float[8], 1, new float[8], 1, 8, 2);
        Assert.Equal(8, outer.Calls);
        Assert.All(inner.Counts, c => Assert.Equal(8, c));
        Assert.All(inner.Workers, w => Assert.Equal(0, w));
    }

    [Fact]
    public void Parts_runs_every_part_once_on_workers_below_the_count_and_rethrows_a_failure()
    {
        var work = new RecordingWork(8, 1);
        for (int attempt = 0; attempt < 5; attempt++)
        {
            work.Reset();
            Assert.True(BatchParallel.Parts(work, 7, 8, home: 0, maxDegree: 4) || Environment.ProcessorCount == 1);
            if (Environment.ProcessorCount == 1)
            {
                return;
            }

            Assert.All(work.Counts, c => Assert.Equal(1, c));
            Assert.All(work.Workers, w => Assert.InRange(w, 0, Math.Min(4, Environment.ProcessorCount) - 1));
            Assert.Equal(0, work.Home);
        }

        work.Reset();
        work.FailAt = 5;
        var e = Assert.Throws<InvalidOperationException>(() => BatchParallel.Parts(work, 7, 8, 0, 4));
        Assert.Contains("part 5", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parts_declines_where_no_second_core_can_help()
    {
        // Inside a split batch a sample lives in a worker's workspace (home 3): the caller runs the whole-layer kernel.
        var work = new RecordingWork(4, 1);
        Assert.False(BatchParallel.Parts(work, 7, 4, home: 3, maxDegree: 8));
        Assert.False(BatchParallel.Parts(work, 7, 4, home: 0, maxDegree: 1));
        Assert.All(work.Counts, c => Assert.Equal(0, c));
        Assert.Equal(Environment.ProcessorCount > 1, BatchParallel.Parts(work, 7, 4, home: 0, maxDegree: 8));
    }

    [Fact]
    public void Run_refuses_spans_too_short_for_the_batch()
    {
        var work = new RecordingWork(4, 2);
        var e = Assert.Throws<ArgumentException>(() => BatchParallel.Run(work, new float[7], 2, new float[8], 2, 4, 2));
        Assert.Contains("7", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => BatchParallel.Run(work, new float[8], 2, new float[7], 2, 4, 2));
    }

    [Theory]
    [InlineData(8, 2, 32, 38_000, 2)]
    [InlineData(8, 2, 15, 38_000, 1)]
    [InlineData(8, 2, 16, 38_000, 2)]
    [InlineData(1, 8, 1_000, 1_000_000, 1)]
    [InlineData(8, 8, 3, 1_000_000, 3)]
    [InlineData(8, 8, 100, 256, 1)]
    [InlineData(8, 8, 5_000, 256, 4)]
    [InlineData(8, 8, 4, 0, 1)]
    public void The_split_gives_each_worker_enough_work(int degree, int processors, int batch, long cycles, int expected)
        => Assert.Equal(expected, ConvGen.Shapes.ParallelSplit.Workers(degree, processors, batch, cycles));

    private static (INetwork Network, int Batch) Create(string key)
        => (Instance(Compile(key), GeneratorHarness.CreateWeights(Compile(key), 1)), Cases[key].Batch);

    private static INetwork Instance(Type type, ModelWeights weights) => (INetwork)Activator.CreateInstance(type, weights)!;

    private static Type Compile(string key)
    {
        lock (Compiled)
        {
            if (!Compiled.TryGetValue(key, out var type))
            {
                type = GeneratorHarness.CompileAndLoad(GeneratorHarness.Declare(Cases[key].Declaration)).GetType("Tests.Net", throwOnError: true)!;
                Compiled[key] = type;
            }

            return type;
        }
    }

    /// <summary>Bytes the pool's threads allocate over 20 split calls (they must allocate nothing either).</summary>
    private static long PoolThreadAllocations(INetwork network, float[] input, float[] output, int batch)
    {
        long before = Interlocked.Read(ref BatchParallel.workerAllocations);
        for (int i = 0; i < 20; i++)
        {
            network.Forward(input, output, batch);
        }

        return Interlocked.Read(ref BatchParallel.workerAllocations) - before;
    }

    /// <summary>
    /// Counts each sample's runs (the sample's index is its first input float ÷ the input length: the tests fill the
    /// input with 0, 1, 2, …) and the workers that ran them; writes the first input float and the index.
    /// </summary>
    private sealed class RecordingWork(int batch, int inputLength) : IBatchWork
    {
        public int[] Counts { get; } = new int[batch];

        public List<int> Workers { get; } = new();

        public int FailAt { get; set; } = -1;

        public void Reset()
        {
            Array.Clear(Counts);
            Workers.Clear();
        }

        public void Sample(int worker, ReadOnlySpan<float> input, Span<float> output)
        {
            Assert.Equal(inputLength, input.Length);
            int index = (int)input[0] / inputLength;
            lock (Workers)
            {
                Workers.Add(worker);
            }

            Interlocked.Increment(ref Counts[index]);
            if (index == FailAt)
            {
                throw new InvalidOperationException($"sample {index} failed on purpose");
            }

            output[0] = input[0];
            if (output.Length > 1)
            {
                output[1] = index;
            }
        }

        /// <summary>Counts part <paramref name="part"/>'s runs (the op must be 7) and the worker; home is recorded as <see cref="Home"/>.</summary>
        public void Part(int op, int part, int worker, int home)
        {
            Assert.Equal(7, op);
            lock (Workers)
            {
                Workers.Add(worker);
                Home = home;
            }

            Interlocked.Increment(ref Counts[part]);
            if (part == FailAt)
            {
                throw new InvalidOperationException($"part {part} failed on purpose");
            }
        }

        public int Home { get; private set; } = -1;
    }

    /// <summary>Each sample runs a whole inner batch of 8 through <see cref="BatchParallel.Run"/>.</summary>
    private sealed class NestingWork(RecordingWork inner) : IBatchWork
    {
        private int calls;

        public int Calls => calls;

        public void Sample(int worker, ReadOnlySpan<float> input, Span<float> output)
        {
            Interlocked.Increment(ref calls);
            var x = Enumerable.Range(0, 8).Select(i => (float)i).ToArray();
            BatchParallel.Run(inner, x, 1, new float[8], 1, 8, 2);
        }

        public void Part(int op, int part, int worker, int home) => throw new NotSupportedException();
    }
}
