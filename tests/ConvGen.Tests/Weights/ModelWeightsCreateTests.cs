using System;
using System.Linq;
using Xunit;

namespace ConvGen.Tests.Weights;

public class ModelWeightsCreateTests
{
    // 256·64·3·3 = 147,456 values: the sample mean's standard error is σ/384, the sample std's about σ/543.
    private const int FanIn = 64 * 9;
    private const int FanOut = 256 * 9;

    private static TensorSpec Conv(string name = "0.weight") =>
        new(name, new[] { 256, 64, 3, 3 }, TensorRole.Parameter, WeightInit.ConvWeight, fanIn: FanIn, fanOut: FanOut);

    private static (double Mean, double Std, double Kurtosis, float Min, float Max) Stats(float[] values)
    {
        double mean = values.Average(v => (double)v);
        double variance = values.Average(v => (v - mean) * (v - mean));
        double fourth = values.Average(v => Math.Pow(v - mean, 4));
        return (mean, Math.Sqrt(variance), fourth / (variance * variance), values.Min(), values.Max());
    }

    private static float[] Draw(TensorSpec spec, KaimingMode scheme, int seed = 7) => ModelWeights.Create(new[] { spec }, seed, scheme)[spec.Name].Data;

    private static void AssertUniform(float[] values, double bound)
    {
        (double mean, double std, double kurtosis, float min, float max) = Stats(values);
        double expectedStd = bound / Math.Sqrt(3);
        Assert.InRange(min, -bound, bound);
        Assert.InRange(max, -bound, bound);
        Assert.True(min < -0.999 * bound && max > 0.999 * bound, $"values span [{min}, {max}], not about ±{bound}");
        Assert.InRange(mean, -5 * expectedStd / Math.Sqrt(values.Length), 5 * expectedStd / Math.Sqrt(values.Length));
        Assert.InRange(std, 0.99 * expectedStd, 1.01 * expectedStd);
        Assert.InRange(kurtosis, 1.75, 1.85); // a uniform's kurtosis is 1.8
    }

    private static void AssertNormal(float[] values, double expectedStd)
    {
        (double mean, double std, double kurtosis, _, _) = Stats(values);
        Assert.InRange(mean, -5 * expectedStd / Math.Sqrt(values.Length), 5 * expectedStd / Math.Sqrt(values.Length));
        Assert.InRange(std, 0.99 * expectedStd, 1.01 * expectedStd);
        Assert.InRange(kurtosis, 2.9, 3.1); // a normal's kurtosis is 3
        double within1 = values.Count(v => Math.Abs(v) < expectedStd) / (double)values.Length;
        Assert.InRange(within1, 0.6827 - 0.006, 0.6827 + 0.006);
    }

    [Fact]
    public void PyTorch_default_weights_are_uniform_within_one_over_sqrt_fan_in()
        => AssertUniform(Draw(Conv(), KaimingMode.PyTorchDefault), 1 / Math.Sqrt(FanIn));

    [Fact]
    public void Kaiming_uniform_fan_in_weights_are_uniform_within_sqrt_6_over_fan_in()
        => AssertUniform(Draw(Conv(), KaimingMode.KaimingUniformFanIn), Math.Sqrt(6.0 / FanIn));

    [Fact]
    public void Kaiming_normal_fan_in_weights_have_std_sqrt_2_over_fan_in()
        => AssertNormal(Draw(Conv(), KaimingMode.KaimingNormalFanIn), Math.Sqrt(2.0 / FanIn));

    [Fact]
    public void Kaiming_normal_fan_out_weights_have_std_sqrt_2_over_fan_out()
        => AssertNormal(Draw(Conv(), KaimingMode.KaimingNormalFanOut), Math.Sqrt(2.0 / FanOut));

    [Fact]
    public void Linear_weights_follow_the_scheme_too()
    {
        var linear = new TensorSpec("fc.weight", new[] { 1000, 200 }, TensorRole.Parameter, WeightInit.LinearWeight, fanIn: 200, fanOut: 1000);

        AssertNormal(Draw(linear, KaimingMode.KaimingNormalFanIn), Math.Sqrt(2.0 / 200));
        AssertUniform(Draw(linear, KaimingMode.PyTorchDefault), 1 / Math.Sqrt(200));
    }

    [Theory]
    [InlineData(KaimingMode.PyTorchDefault)]
    [InlineData(KaimingMode.KaimingNormalFanOut)]
    public void Biases_are_uniform_within_one_over_sqrt_fan_in_whatever_the_scheme(KaimingMode scheme)
    {
        var bias = new TensorSpec("0.bias", new[] { 100_000 }, TensorRole.Parameter, WeightInit.Bias, fanIn: 25, fanOut: 150);

        AssertUniform(Draw(bias, scheme), 0.2);
    }

    [Fact]
    public void Batch_norm_tensors_are_ones_zeros_and_an_int64_zero()
    {
        var specs = new[]
        {
            new TensorSpec("1.weight", new[] { 8 }, TensorRole.Parameter, WeightInit.Ones),
            new TensorSpec("1.bias", new[] { 8 }, TensorRole.Parameter, WeightInit.Zeros),
            new TensorSpec("1.running_mean", new[] { 8 }, TensorRole.Buffer, WeightInit.Zeros),
            new TensorSpec("1.running_var", new[] { 8 }, TensorRole.Buffer, WeightInit.Ones),
            new TensorSpec("1.num_batches_tracked", Array.Empty<int>(), TensorRole.Buffer, WeightInit.NumBatchesTracked),
        };

        ModelWeights weights = ModelWeights.Create(specs, seed: 3);

        Assert.Equal(specs.Select(s => s.Name), weights.Names);
        Assert.All(weights["1.weight"].Data, v => Assert.Equal(1f, v));
        Assert.All(weights["1.running_var"].Data, v => Assert.Equal(1f, v));
        Assert.All(weights["1.bias"].Data, v => Assert.Equal(0f, v));
        Assert.All(weights["1.running_mean"].Data, v => Assert.Equal(0f, v));
        Tensor counter = weights["1.num_batches_tracked"];
        Assert.Equal(TensorDType.I64, counter.DType);
        Assert.Empty(counter.Shape);
        Assert.Equal(new[] { 0L }, counter.Int64Data);
    }

    [Theory]
    [InlineData(KaimingMode.PyTorchDefault)]
    [InlineData(KaimingMode.KaimingNormalFanIn)]
    public void The_same_seed_gives_the_same_bits_and_other_seeds_differ(KaimingMode scheme)
    {
        float[] first = Draw(Conv(), scheme, seed: 42);
        float[] again = Draw(Conv(), scheme, seed: 42);
        float[] other = Draw(Conv(), scheme, seed: 43);
        float[] negative = Draw(Conv(), scheme, seed: -42);

        Assert.Equal(WeightsTestData.Bits(first), WeightsTestData.Bits(again));
        Assert.True(first.Zip(other).Count(p => p.First == p.Second) < 10);
        Assert.True(first.Zip(negative).Count(p => p.First == p.Second) < 10);
    }

    [Fact]
    public void The_values_are_pinned_so_a_generator_change_is_seen()
    {
        // xoshiro256** seeded through SplitMix64 from (seed, FNV-1a of the name): changing any of it changes these.
        float[] values = ModelWeights.Create(new[] { new TensorSpec("w", new[] { 4 }, TensorRole.Parameter, WeightInit.Bias, fanIn: 1) }, seed: 0)["w"].Data;

        Assert.Equal(PinnedBits, WeightsTestData.Bits(values));
    }

    // Computed independently by a few lines of Python implementing the same xoshiro256**/SplitMix64/FNV-1a recipe.
    private static readonly uint[] PinnedBits = { 1029265547u, 3194861605u, 3210982676u, 3205184191u };

    [Fact]
    public void A_tensor_depends_on_its_name_and_the_seed_only()
    {
        TensorSpec bias = new("0.bias", new[] { 64 }, TensorRole.Parameter, WeightInit.Bias, fanIn: 9);
        ModelWeights alone = ModelWeights.Create(new[] { bias }, seed: 5);
        ModelWeights withOthers = ModelWeights.Create(new[] { Conv(), bias, Conv("9.weight") }, seed: 5);

        Assert.Equal(WeightsTestData.Bits(alone["0.bias"].Data), WeightsTestData.Bits(withOthers["0.bias"].Data));
        Assert.NotEqual(WeightsTestData.Bits(withOthers["0.weight"].Data.Take(100).ToArray()), WeightsTestData.Bits(withOthers["9.weight"].Data.Take(100).ToArray()));
    }

    [Fact]
    public void A_weight_without_the_fan_it_needs_is_an_argument_error()
    {
        var noFanIn = new TensorSpec("0.weight", new[] { 2, 2 }, TensorRole.Parameter, WeightInit.ConvWeight);
        var noFanOut = new TensorSpec("0.weight", new[] { 2, 2 }, TensorRole.Parameter, WeightInit.ConvWeight, fanIn: 2);
        var empty = new TensorSpec("0.weight", new[] { 0, 2 }, TensorRole.Parameter, WeightInit.ConvWeight);

        Assert.Contains("'0.weight' (ConvWeight) needs fanIn > 0", Assert.Throws<ArgumentException>(() => ModelWeights.Create(new[] { noFanIn }, 1)).Message);
        Assert.Contains("needs fanOut > 0", Assert.Throws<ArgumentException>(() => ModelWeights.Create(new[] { noFanOut }, 1, KaimingMode.KaimingNormalFanOut)).Message);
        Assert.Empty(ModelWeights.Create(new[] { empty }, 1)["0.weight"].Data);
    }
}
