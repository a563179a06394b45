using System;
using ConvGen.Training;
using Xunit;

namespace ConvGen.Tests.Training;

/// <summary>Argument checks and edge cases of <see cref="SoftmaxCrossEntropy"/> and <see cref="MeanSquaredError"/>.</summary>
public sealed class LossValidationTests
{
    [Fact]
    public void Cross_entropy_names_the_expected_logits_length()
    {
        var e = Assert.Throws<ArgumentException>(() => SoftmaxCrossEntropy.Compute(new float[11], new int[3], 3, 4, new float[12]));
        Assert.Equal("logits", e.ParamName);
        Assert.Contains("12", e.Message);
        Assert.Contains("11", e.Message);
    }

    [Fact]
    public void Cross_entropy_names_the_expected_targets_and_gradient_lengths()
    {
        var targets = Assert.Throws<ArgumentException>(() => SoftmaxCrossEntropy.Compute(new float[12], new int[2], 3, 4, new float[12]));
        Assert.Equal("targets", targets.ParamName);
        Assert.Contains("3 were expected", targets.Message);

        var gradient = Assert.Throws<ArgumentException>(() => SoftmaxCrossEntropy.Compute(new float[12], new long[3], 3, 4, new float[13]));
        Assert.Equal("gradient", gradient.ParamName);
        Assert.Contains("12 were expected", gradient.Message);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(-1)]
    [InlineData(-100)] // PyTorch's default ignore_index: not supported, so rejected rather than silently ignored
    public void Cross_entropy_rejects_a_target_out_of_range_and_names_it(int bad)
    {
        float[] gradient = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1];
        var e = Assert.Throws<ArgumentException>(() => SoftmaxCrossEntropy.Compute(new float[12], [0, bad, 3], 3, 4, gradient));
        Assert.Equal("targets", e.ParamName);
        Assert.Contains($"targets[1] is {bad}", e.Message);
        Assert.Contains("[0, 3]", e.Message);
        Assert.All(gradient, g => Assert.Equal(1f, g)); // nothing written
    }

    [Fact]
    public void Cross_entropy_rejects_an_int64_target_beyond_int_range()
    {
        var e = Assert.Throws<ArgumentException>(() => SoftmaxCrossEntropy.Compute(new float[4], [1L << 33], 1, 4, new float[4]));
        Assert.Contains("targets[0] is 8589934592", e.Message);
    }

    [Fact]
    public void Cross_entropy_rejects_bad_sizes()
    {
        Assert.Throws<ArgumentOutOfRangeException>("batch", () => SoftmaxCrossEntropy.Compute([], new int[0], -1, 4, []));
        Assert.Throws<ArgumentOutOfRangeException>("classes", () => SoftmaxCrossEntropy.Compute([], new int[0], 0, 0, []));
    }

    [Fact]
    public void Cross_entropy_of_an_empty_batch_is_NaN_as_in_PyTorch()
        => Assert.True(float.IsNaN(SoftmaxCrossEntropy.Compute([], new int[0], 0, 5, [])));

    [Fact]
    public void Cross_entropy_rejects_a_gradient_that_partly_overlaps_the_logits()
    {
        var buffer = new float[16];
        var e = Assert.Throws<ArgumentException>(() => SoftmaxCrossEntropy.Compute(buffer.AsSpan(0, 12), new int[3], 3, 4, buffer.AsSpan(4, 12)));
        Assert.Equal("gradient", e.ParamName);
    }

    [Fact]
    public void Cross_entropy_of_uniform_logits_is_log_classes()
    {
        var gradient = new float[8];
        float loss = SoftmaxCrossEntropy.Compute(new float[8], [1, 3], 2, 4, gradient);
        Assert.Equal(MathF.Log(4), loss, 6);
        Assert.Equal([0.125f, -0.375f, 0.125f, 0.125f, 0.125f, 0.125f, 0.125f, -0.375f], gradient);
    }

    [Fact]
    public void Cross_entropy_survives_huge_logits()
    {
        var gradient = new float[3];
        float loss = SoftmaxCrossEntropy.Compute([3e38f, 2.9e38f, 0], [1], 1, 3, gradient);
        Assert.Equal(1e37, loss, 1e31);
        Assert.Equal([1f, -1f, 0f], gradient);
    }

    [Fact]
    public void Mse_names_the_expected_lengths()
    {
        var target = Assert.Throws<ArgumentException>(() => MeanSquaredError.Compute(new float[5], new float[4], new float[5]));
        Assert.Equal("target", target.ParamName);
        Assert.Contains("5 were expected", target.Message);

        var gradient = Assert.Throws<ArgumentException>(() => MeanSquaredError.Compute(new float[5], new float[5], new float[6]));
        Assert.Equal("gradient", gradient.ParamName);
        Assert.Contains("5 were expected", gradient.Message);
    }

    [Fact]
    public void Mse_rejects_a_gradient_that_partly_overlaps_an_input()
    {
        var buffer = new float[8];
        Assert.Throws<ArgumentException>("gradient", () => MeanSquaredError.Compute(buffer.AsSpan(0, 4), new float[4], buffer.AsSpan(2, 4)));
        Assert.Throws<ArgumentException>("gradient", () => MeanSquaredError.Compute(new float[4], buffer.AsSpan(0, 4), buffer.AsSpan(1, 4)));
    }

    [Fact]
    public void Mse_of_nothing_is_NaN_as_in_PyTorch() => Assert.True(float.IsNaN(MeanSquaredError.Compute([], [], [])));

    [Fact]
    public void Mse_by_hand()
    {
        var gradient = new float[4];
        float loss = MeanSquaredError.Compute([1, 2, 3, 4], [1, 0, 4, 8], gradient);
        Assert.Equal((0 + 4 + 1 + 16) / 4f, loss);
        Assert.Equal([0f, 1f, -0.5f, -2f], gradient);
    }
}
