using System;
using System.Collections.Generic;
using ConvGen.Training;
using Xunit;

namespace ConvGen.Tests.Training;

/// <summary>Argument checks, hand-computed steps and bookkeeping of <see cref="ParameterSlot"/> and the optimizers.</summary>
public sealed class OptimizerBehaviorTests
{
    [Fact]
    public void Slot_rejects_mismatched_or_shared_arrays_and_empty_names()
    {
        var e = Assert.Throws<ArgumentException>(() => new ParameterSlot("w", new float[3], new float[4]));
        Assert.Equal("gradient", e.ParamName);
        Assert.Contains("3 elements, not 4", e.Message);
        var shared = new float[3];
        Assert.Throws<ArgumentException>("gradient", () => new ParameterSlot("w", shared, shared));
        Assert.Throws<ArgumentException>("name", () => new ParameterSlot("", new float[1]));
        Assert.Throws<ArgumentNullException>("value", () => new ParameterSlot("w", null!));
        Assert.Throws<ArgumentNullException>("gradient", () => new ParameterSlot("w", new float[1], null!));
    }

    [Fact]
    public void Slot_keeps_its_arrays_and_can_make_a_zero_gradient()
    {
        float[] value = [1, 2];
        var slot = new ParameterSlot("fc.bias", value);
        Assert.Same(value, slot.Value);
        Assert.Equal([0f, 0f], slot.Gradient);
        Assert.Equal(2, slot.Length);
        Assert.Equal("fc.bias (2 elements)", slot.ToString());
    }

    [Fact]
    public void Optimizer_rejects_a_bad_parameter_list()
    {
        Assert.Throws<ArgumentNullException>("parameters", () => new Sgd(null!, 0.1));
        Assert.Throws<ArgumentException>("parameters", () => new Sgd([null!], 0.1));
        var dup = Assert.Throws<ArgumentException>("parameters", () => new Adam([new("w", new float[1]), new("w", new float[1])]));
        Assert.Contains("'w'", dup.Message);
        var value = new float[2];
        Assert.Throws<ArgumentException>("parameters", () => new AdamW([new("a", value), new("b", value)]));
    }

    [Theory]
    [InlineData(-0.1, 0, 0, false, 0, "learningRate")]
    [InlineData(double.NaN, 0, 0, false, 0, "learningRate")]
    [InlineData(0.1, -0.9, 0, false, 0, "momentum")]
    [InlineData(0.1, 0, 0, false, -1e-4, "weightDecay")]
    [InlineData(0.1, 0, double.NaN, false, 0, "dampening")]
    public void Sgd_rejects_out_of_range_hyperparameters(double lr, double momentum, double dampening, bool nesterov, double decay, string param)
        => Assert.Throws<ArgumentOutOfRangeException>(param, () => new Sgd([], lr, momentum, dampening, nesterov, decay));

    [Theory]
    [InlineData(0, 0)]
    [InlineData(0.9, 0.1)]
    public void Sgd_rejects_nesterov_without_momentum_or_with_dampening(double momentum, double dampening)
        => Assert.Throws<ArgumentException>("nesterov", () => new Sgd([], 0.1, momentum, dampening, nesterov: true));

    [Theory]
    [InlineData(-1e-3, 0.9, 0.999, 1e-8, 0, "learningRate")]
    [InlineData(1e-3, 1.0, 0.999, 1e-8, 0, "beta1")]
    [InlineData(1e-3, -0.1, 0.999, 1e-8, 0, "beta1")]
    [InlineData(1e-3, 0.9, 1.0, 1e-8, 0, "beta2")]
    [InlineData(1e-3, 0.9, double.NaN, 1e-8, 0, "beta2")]
    [InlineData(1e-3, 0.9, 0.999, -1e-8, 0, "epsilon")]
    [InlineData(1e-3, 0.9, 0.999, 1e-8, -0.01, "weightDecay")]
    public void Adam_and_AdamW_reject_out_of_range_hyperparameters(double lr, double beta1, double beta2, double eps, double decay, string param)
    {
        Assert.Throws<ArgumentOutOfRangeException>(param, () => new Adam([], lr, beta1, beta2, eps, decay));
        Assert.Throws<ArgumentOutOfRangeException>(param, () => new AdamW([], lr, beta1, beta2, eps, decay));
    }

    [Fact]
    public void Learning_rate_can_change_between_steps_but_not_to_a_negative()
    {
        var slot = new ParameterSlot("w", [1f], [1f]);
        var sgd = new Sgd([slot], 0.5);
        sgd.Step();
        Assert.Equal(0.5f, slot.Value[0]);
        sgd.LearningRate = 0.25;
        sgd.Step();
        Assert.Equal(0.25f, slot.Value[0]);
        Assert.Throws<ArgumentOutOfRangeException>("value", () => sgd.LearningRate = -1);
        Assert.Equal(0.25, sgd.LearningRate);
    }

    [Fact]
    public void Sgd_first_step_stores_the_gradient_itself_in_the_momentum_buffer()
    {
        // PyTorch: buf = g on the first step (not (1 − dampening)·g), then buf = momentum·buf + (1 − dampening)·g.
        var slot = new ParameterSlot("w", [1f], [1f]);
        var sgd = new Sgd([slot], learningRate: 1, momentum: 0.5, dampening: 0.5);
        sgd.Step();
        Assert.Equal(0f, slot.Value[0]);  // 1 − 1·1
        sgd.Step();
        Assert.Equal(-1f, slot.Value[0]); // buf = 0.5·1 + 0.5·1 = 1
    }

    [Fact]
    public void Adam_first_step_moves_each_parameter_by_about_lr()
    {
        var slot = new ParameterSlot("w", [0f, 0f, 0f], [3f, -0.5f, 0f]);
        var adam = new Adam([slot], learningRate: 0.01);
        adam.Step();
        Assert.Equal(-0.01f, slot.Value[0], 6);
        Assert.Equal(0.01f, slot.Value[1], 6);
        Assert.Equal(0f, slot.Value[2]);
    }

    [Fact]
    public void AdamW_with_zero_gradient_only_decays()
    {
        var slot = new ParameterSlot("w", [2f, -4f]);
        var adamw = new AdamW([slot], learningRate: 0.1, weightDecay: 0.5);
        adamw.Step();
        Assert.Equal([1.9f, -3.8f], slot.Value);
    }

    [Fact]
    public void ZeroGrad_clears_gradients_and_leaves_values()
    {
        var a = new ParameterSlot("a", [1f, 2f], [3f, 4f]);
        var b = new ParameterSlot("b", [5f], [6f]);
        var adam = new Adam([a, b]);
        adam.ZeroGrad();
        Assert.Equal([0f, 0f], a.Gradient);
        Assert.Equal([0f], b.Gradient);
        Assert.Equal([1f, 2f], a.Value);
        Assert.Equal(0, adam.StepCount);
    }

    [Fact]
    public void Parameters_are_a_read_only_copy_of_the_list()
    {
        var list = new List<ParameterSlot> { new("a", [1f]) };
        var sgd = new Sgd(list, 0.1);
        list.Add(new ParameterSlot("b", [1f]));
        Assert.Single(sgd.Parameters);
        Assert.Same(list[0], sgd.Parameters[0]);
        Assert.False(sgd.Parameters is ParameterSlot[]);
    }

    [Fact]
    public void Empty_parameter_lists_and_empty_tensors_step_quietly()
    {
        new Sgd([], 0.1, momentum: 0.9).Step();
        var empty = new ParameterSlot("e", []);
        var adam = new Adam([empty, new ParameterSlot("f", [])], amsgrad: true);
        adam.Step();
        Assert.Equal(1, adam.StepCount);
    }
}
