using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Reflection;
using ConvGen.Tests.Infrastructure;
using Xunit;

namespace ConvGen.Tests.Forward;

/// <summary>
/// The contract of a generated network beyond its numbers: argument checks on Forward, no allocation per call,
/// weight validation and copying in the constructor, and batching that equals one call per sample.
/// </summary>
public sealed class ForwardContractTests
{
    internal const string LeNet5 = """
        [Network(1, 32, 32)]
        [Conv2d(6, 5), ReLU, MaxPool2d(2)]
        [Conv2d(16, 5), ReLU, MaxPool2d(2)]
        [Flatten]
        [Linear(120), ReLU]
        [Linear(84), ReLU]
        [Linear(10)]
        """;

    /// <summary>
    /// Rows wide enough for the vector strategy's multi-vector steps: a depthwise conv (1 channel per block,
    /// 4 column vectors per step), 2-channel blocks (3 vectors), a Sigmoid stored lane by lane after the vectors,
    /// and a zero-padded conv that reads a padded copy.
    /// </summary>
    private const string Wide = """
        [Network(4, 6, 41)]
        [Conv2d(4, 3, Padding = 1, Groups = 4), ReLU6]
        [Conv2d(6, 3, 5), Sigmoid]
        [Conv2d(2, 1, 3, Dilation = 2, Bias = false), LeakyReLU(NegativeSlope = 0.2)]
        """;

    /// <summary>
    /// Channels-last I/O, BatchNorm folded (0+1, 4+5, 9+10) and standalone (13), Add with and without projection,
    /// reflect padding, a transposed convolution, Concat, ceil-mode/padded pooling and linear upsampling.
    /// </summary>
    private const string Mixed = """
        [Network(3, 12, 12, Layout = TensorLayout.Nhwc)]
        [Conv2d(8, 3, Padding = 1, Bias = false), BatchNorm2d, ReLU]
        [Save("a")]
        [Conv2d(8, 3, Pad = Pad.Same, PaddingMode = PaddingMode.Reflect), BatchNorm2d, ReLU6]
        [Add("a")]
        [Save("b")]
        [Conv2d(12, 3, Stride = 2, Padding = 1), BatchNorm2d(Affine = false)]
        [Add("b", Projection = true), SiLU]
        [BatchNorm2d]
        [ConvTranspose2d(6, 2, Stride = 2)]
        [Concat("a")]
        [MaxPool2d(3, Stride = 2, Padding = 1, CeilMode = true), AvgPool2d(2, Padding = 1, CountIncludePad = false)]
        [Upsample(2, Mode = UpsampleMode.Linear)]
        [Conv2d(4, 1)]
        """;

    /// <summary>A channels-last 1-D network with a causal dilated convolution and a flat output.</summary>
    private const string Sequence = """
        [Network(2, 16, Layout = TensorLayout.Nhwc)]
        [Conv1d(4, 3, Pad = Pad.Causal, Dilation = 2), BatchNorm1d, Tanh]
        [ConvTranspose1d(3, 3, Stride = 2, Padding = 1, OutputPadding = 1)]
        [MaxPool1d(2)]
        [Flatten]
        [Linear(5, Bias = false)]
        """;

    private static readonly Dictionary<string, string> Declarations = new(StringComparer.Ordinal)
    {
        ["lenet5"] = LeNet5,
        ["mixed"] = Mixed,
        ["sequence"] = Sequence,
        ["wide"] = Wide,
    };

    private static readonly Dictionary<string, Type> Compiled = new(StringComparer.Ordinal);

    public static TheoryData<string> Networks() => new(Declarations.Keys);

    [Theory]
    [MemberData(nameof(Networks))]
    public void Forward_rejects_an_input_of_the_wrong_length_and_states_the_expected_length(string key)
    {
        var network = Create(key);
        foreach (int batch in new[] { 1, 2 })
        {
            int expected = batch * network.InputSize;
            var output = new float[batch * network.OutputSize];
            foreach (int length in new[] { expected - 1, expected + 1, network.InputSize * (batch + 1), 0 })
            {
                var input = new float[length];
                var e = Assert.ThrowsAny<ArgumentException>(() => network.Forward(input, output, batch));
                Assert.Equal("input", e.ParamName);
                Assert.Contains(expected.ToString(CultureInfo.InvariantCulture), e.Message, StringComparison.Ordinal);
                Assert.Contains(length.ToString(CultureInfo.InvariantCulture), e.Message, StringComparison.Ordinal);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void Forward_rejects_an_output_of_the_wrong_length_and_states_the_expected_length(string key)
    {
        var network = Create(key);
        foreach (int batch in new[] { 1, 3 })
        {
            int expected = batch * network.OutputSize;
            var input = new float[batch * network.InputSize];
            foreach (int length in new[] { expected - 1, expected + 1, network.OutputSize * (batch + 1), 0 })
            {
                var output = new float[length];
                var e = Assert.ThrowsAny<ArgumentException>(() => network.Forward(input, output, batch));
                Assert.Equal("output", e.ParamName);
                Assert.Contains(expected.ToString(CultureInfo.InvariantCulture), e.Message, StringComparison.Ordinal);
                Assert.Contains(length.ToString(CultureInfo.InvariantCulture), e.Message, StringComparison.Ordinal);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void Forward_rejects_a_batch_below_one(string key)
    {
        var network = Create(key);
        foreach (int batch in new[] { 0, -1, int.MinValue })
        {
            // Empty spans match batch 0 exactly: the batch itself must be refused, not silently do nothing.
            var e = Assert.Throws<ArgumentOutOfRangeException>(() => network.Forward(Array.Empty<float>(), Array.Empty<float>(), batch));
            Assert.Equal("batch", e.ParamName);
            Assert.Contains("1", e.Message, StringComparison.Ordinal);

            var sized = Assert.Throws<ArgumentOutOfRangeException>(() => network.Forward(new float[network.InputSize], new float[network.OutputSize], batch));
            Assert.Equal("batch", sized.ParamName);
        }
    }

    [Theory]
    [InlineData("lenet5")]
    [InlineData("mixed")]
    [InlineData("sequence")]
    public void Forward_allocates_nothing_after_the_first_call(string key)
    {
        var network = Create(key);
        const int Batch = 2;
        var input = ReferenceNetwork.RandomInput(3, Batch * network.InputSize);
        var output = new float[Batch * network.OutputSize];
        network.Forward(input.AsSpan(0, network.InputSize), output.AsSpan(0, network.OutputSize), 1);

        // Enough calls for the runtime's tiering of non-generated helpers (tier-0 call counting can allocate on the
        // calling thread when a counter completes) to have happened before the measured calls.
        for (int i = 0; i < 200; i++)
        {
            network.Forward(input, output, Batch);
        }

        Assert.Equal(0, AllocationProbe.PerWindow(() => network.Forward(input, output, Batch), calls: 100));
    }

    [Theory]
    [InlineData("lenet5", "0.weight")]
    [InlineData("lenet5", "3.bias")]
    [InlineData("lenet5", "11.weight")]
    [InlineData("mixed", "1.running_var")]
    [InlineData("mixed", "5.running_mean")]
    [InlineData("mixed", "10.running_var")]
    [InlineData("mixed", "11.0.weight")]
    [InlineData("mixed", "11.1.bias")]
    [InlineData("mixed", "13.weight")]
    [InlineData("mixed", "14.weight")]
    [InlineData("mixed", "19.bias")]
    [InlineData("sequence", "1.bias")]
    [InlineData("sequence", "3.weight")]
    [InlineData("sequence", "6.weight")]
    public void Constructor_rejects_weights_missing_a_tensor_and_names_it(string key, string tensor)
    {
        var type = Compile(key);
        var weights = GeneratorHarness.CreateWeights(type, 1);
        Assert.True(weights.Contains(tensor), $"the test expects {key} to have '{tensor}'; it has: {string.Join(", ", weights.Names)}");
        var without = new ModelWeights(weights.Where(t => t.Name != tensor));

        var e = ConstructionError(type, without);
        Assert.Contains("'" + tensor + "'", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("lenet5", "0.weight")]
    [InlineData("lenet5", "7.weight")]
    [InlineData("lenet5", "11.bias")]
    [InlineData("mixed", "0.weight")]
    [InlineData("mixed", "5.running_var")]
    [InlineData("mixed", "11.0.weight")]
    [InlineData("mixed", "13.running_mean")]
    [InlineData("mixed", "14.weight")]
    [InlineData("sequence", "0.weight")]
    [InlineData("sequence", "3.weight")]
    public void Constructor_rejects_a_tensor_of_the_wrong_shape_and_names_it(string key, string tensor)
    {
        var type = Compile(key);
        var weights = GeneratorHarness.CreateWeights(type, 1);
        var original = weights[tensor];
        int[] shape = (int[])original.Shape.Clone();
        shape[shape.Length - 1] += 1;
        int count = shape.Aggregate(1, (a, b) => a * b);
        var misshaped = new ModelWeights(weights.Select(t => t.Name == tensor ? new Tensor(tensor, shape, new float[count]) : t));

        var e = ConstructionError(type, misshaped);
        Assert.Contains("'" + tensor + "'", e.Message, StringComparison.Ordinal);

        // Same element count, different shape (a transposed or flattened tensor) must be refused too.
        if (original.Shape.Length >= 2 && original.Shape[0] != original.Shape[1])
        {
            int[] swapped = (int[])original.Shape.Clone();
            (swapped[0], swapped[1]) = (swapped[1], swapped[0]);
            var transposed = new ModelWeights(weights.Select(t => t.Name == tensor ? new Tensor(tensor, swapped, (float[])t.Data.Clone()) : t));
            Assert.Contains("'" + tensor + "'", ConstructionError(type, transposed).Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Constructor_rejects_null_weights()
    {
        var e = ConstructionError(Compile("lenet5"), null);
        Assert.IsType<ArgumentNullException>(e);
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void Weights_are_copied_so_later_edits_to_the_ModelWeights_change_nothing(string key)
    {
        var type = Compile(key);
        var weights = GeneratorHarness.CreateWeights(type, 5);
        Randomize(weights, 5);
        var network = (INetwork)Activator.CreateInstance(type, weights)!;
        const int Batch = 2;
        var input = ReferenceNetwork.RandomInput(11, Batch * network.InputSize);
        var before = new float[Batch * network.OutputSize];
        network.Forward(input, before, Batch);

        // Edit every tensor in place, through the arrays the network was given.
        foreach (var tensor in weights)
        {
            for (int i = 0; i < tensor.Data.Length; i++)
            {
                tensor.Data[i] = (tensor.Data[i] * -3f) + 0.25f;
            }
        }

        var after = new float[Batch * network.OutputSize];
        network.Forward(input, after, Batch);
        Assert.Equal(before, after);

        // The edit matters: a network built from the edited weights computes something else.
        var edited = (INetwork)Activator.CreateInstance(type, weights)!;
        var fresh = new float[Batch * network.OutputSize];
        edited.Forward(input, fresh, Batch);
        Assert.NotEqual(before, fresh);
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void A_batch_of_N_equals_N_single_calls(string key)
    {
        var type = Compile(key);
        var weights = GeneratorHarness.CreateWeights(type, 9);
        Randomize(weights, 9);
        var network = (INetwork)Activator.CreateInstance(type, weights)!;
        foreach (int n in new[] { 2, 3, 5 })
        {
            var input = ReferenceNetwork.RandomInput(100 + n, n * network.InputSize);
            var copy = (float[])input.Clone();
            var batched = new float[n * network.OutputSize];
            network.Forward(input, batched, n);
            Assert.Equal(copy, input);

            for (int b = 0; b < n; b++)
            {
                var single = new float[network.OutputSize];
                network.Forward(input.AsSpan(b * network.InputSize, network.InputSize), single, 1);
                Assert.Equal(single, batched.AsSpan(b * network.OutputSize, network.OutputSize).ToArray());
            }
        }
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void Forward_matches_the_reference_network(string key)
    {
        // The contract networks must also be right, or the other tests here would check the wrong thing.
        var type = Compile(key);
        var weights = GeneratorHarness.CreateWeights(type, 21);
        Randomize(weights, 21);
        var network = (INetwork)Activator.CreateInstance(type, weights)!;
        const int Batch = 2;
        var input = ReferenceNetwork.RandomInput(21, Batch * network.InputSize);
        var actual = new float[Batch * network.OutputSize];
        network.Forward(input, actual, Batch);

        var (decl, layers) = ContractDecls.For(key);
        var expected = ReferenceNetwork.Run(decl, layers, weights, input, Batch);
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < actual.Length; i++)
        {
            double e = expected[i];
            Assert.True(Math.Abs(actual[i] - e) <= 1e-4 * Math.Max(1.0, Math.Abs(e)), $"{key}: output[{i}] = {actual[i]:R}, reference {e:R}");
        }
    }

    /// <summary>Non-trivial values everywhere, BatchNorm statistics included (running_var kept positive).</summary>
    private static void Randomize(ModelWeights weights, int seed)
    {
        var random = new Random(seed);
        foreach (var tensor in weights)
        {
            if (tensor.DType != TensorDType.F32)
            {
                continue;
            }

            bool positive = tensor.Name.EndsWith(".running_var", StringComparison.Ordinal);
            bool scale = tensor.Name.EndsWith(".weight", StringComparison.Ordinal) && tensor.Shape.Length == 1;
            for (int i = 0; i < tensor.Data.Length; i++)
            {
                double u = random.NextDouble();
                tensor.Data[i] = positive ? (float)(0.5 + (1.5 * u))
                    : scale ? (float)(0.5 + u)
                    : tensor.Shape.Length == 1 ? (float)(u - 0.5)
                    : tensor.Data[i];
            }
        }
    }

    private static INetwork Create(string key)
    {
        var type = Compile(key);
        var weights = GeneratorHarness.CreateWeights(type, 1);
        return (INetwork)Activator.CreateInstance(type, weights)!;
    }

    private static Type Compile(string key)
    {
        lock (Compiled)
        {
            if (!Compiled.TryGetValue(key, out var type))
            {
                type = GeneratorHarness.CompileAndLoad(GeneratorHarness.Declare(Declarations[key])).GetType("Tests.Net", throwOnError: true)!;
                Compiled[key] = type;
            }

            return type;
        }
    }

    /// <summary>The exception the generated constructor throws (unwrapped from reflection's TargetInvocationException).</summary>
    private static Exception ConstructionError(Type type, ModelWeights? weights)
    {
        try
        {
            Activator.CreateInstance(type, new object?[] { weights });
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            return e.InnerException;
        }

        throw new Xunit.Sdk.XunitException("the constructor accepted weights it should have refused");
    }
}
