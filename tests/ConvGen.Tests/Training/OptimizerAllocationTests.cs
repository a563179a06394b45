using System;
using ConvGen.Training;
using Xunit;

namespace ConvGen.Tests.Training;

/// <summary>Step, ZeroGrad and the losses allocate nothing once the optimizer exists.</summary>
public sealed class OptimizerAllocationTests
{
    public static TheoryData<string> Optimizers => new("sgd", "sgd_momentum", "sgd_nesterov_decay", "adam", "adam_amsgrad_decay", "adamw", "adamw_amsgrad");

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void Hundred_steps_allocate_nothing(string kind)
    {
        ParameterSlot[] slots = [Slot("a", 37), Slot("b", 3), Slot("c", 64)];
        Optimizer optimizer = kind switch
        {
            "sgd" => new Sgd(slots, 0.01),
            "sgd_momentum" => new Sgd(slots, 0.01, momentum: 0.9, dampening: 0.1),
            "sgd_nesterov_decay" => new Sgd(slots, 0.01, momentum: 0.9, nesterov: true, weightDecay: 1e-4, maximize: true),
            "adam" => new Adam(slots),
            "adam_amsgrad_decay" => new Adam(slots, weightDecay: 0.01, amsgrad: true, maximize: true),
            "adamw" => new AdamW(slots),
            "adamw_amsgrad" => new AdamW(slots, amsgrad: true),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };

        // Warm up so that tiered compilation has settled for these methods before measuring.
        for (int i = 0; i < 50; i++)
        {
            optimizer.Step();
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            optimizer.Step();
            optimizer.ZeroGrad();
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Losses_allocate_nothing()
    {
        var logits = new float[8 * 10];
        var targets = new int[8];
        var longTargets = new long[8];
        var gradient = new float[logits.Length];
        var prediction = new float[50];
        var target = new float[50];
        var mseGradient = new float[50];
        float sink = 0;
        for (int i = 0; i < 10; i++)
        {
            sink += SoftmaxCrossEntropy.Compute(logits, targets, 8, 10, gradient);
            sink += SoftmaxCrossEntropy.Compute(logits, longTargets, 8, 10, gradient);
            sink += MeanSquaredError.Compute(prediction, target, mseGradient);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            sink += SoftmaxCrossEntropy.Compute(logits, targets, 8, 10, gradient);
            sink += SoftmaxCrossEntropy.Compute(logits, longTargets, 8, 10, gradient);
            sink += MeanSquaredError.Compute(prediction, target, mseGradient);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.False(float.IsNaN(sink));
    }

    private static ParameterSlot Slot(string name, int length)
    {
        var value = new float[length];
        var gradient = new float[length];
        for (int i = 0; i < length; i++)
        {
            value[i] = (i % 7) - 3;
            gradient[i] = ((i % 5) - 2) * 0.25f;
        }

        return new ParameterSlot(name, value, gradient);
    }
}
