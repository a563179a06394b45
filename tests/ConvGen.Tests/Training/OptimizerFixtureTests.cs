using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using ConvGen.Training;
using Xunit;

namespace ConvGen.Tests.Training;

/// <summary>
/// <see cref="Sgd"/>, <see cref="Adam"/> and <see cref="AdamW"/> against torch.optim (PyTorch 1.13, foreach=False,
/// float32): three parameter tensors, a fixed gradient per step, the parameters compared after each of 5 steps.
/// </summary>
public sealed class OptimizerFixtureTests
{
    // Same formulas, same order, same fused multiply-adds: bit-identical on FMA hardware (tested below); without FMA
    // the unfused roundings move the last bits, by up to ~5e-6 relative on parameters that pass near zero.
    private const double Relative = 1e-6;
    private const double Absolute = 1e-7;

    public static TheoryData<string> Cases => new(TrainingFixtures.Names("optimizers"));

    [Fact]
    public void Fixtures_cover_every_optimizer_and_option()
    {
        JsonElement[] cases = TrainingFixtures.Section("optimizers");
        Assert.Equal(["adam", "adamw", "sgd"], cases.Select(c => c.GetProperty("optimizer").GetString()!).Distinct().Order());
        string[] options = cases.SelectMany(c => c.GetProperty("options").EnumerateObject().Select(p => p.Name)).Distinct().ToArray();
        Assert.Superset(
            new HashSet<string> { "lr", "momentum", "dampening", "nesterov", "weight_decay", "maximize", "betas", "eps", "amsgrad" },
            options.ToHashSet());
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Five_steps_match_PyTorch(string name)
        => Run(name, (expected, actual, context) => TrainingAssert.Close(expected, actual, Relative, Absolute, context));

    /// <summary>
    /// Where the hardware fuses multiply-adds, the optimizers round exactly where PyTorch's kernels do, so every
    /// parameter after every step has PyTorch's bits. Elsewhere only the tolerance above applies.
    /// </summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public void Five_steps_are_bit_identical_to_PyTorch_with_hardware_fma(string name)
    {
        if (!System.Runtime.Intrinsics.X86.Fma.IsSupported && !System.Runtime.Intrinsics.Arm.AdvSimd.IsSupported)
        {
            return;
        }

        Run(name, (expected, actual, context) =>
        {
            for (int i = 0; i < expected.Length; i++)
            {
                Assert.True(
                    BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(actual[i]),
                    $"{context}[{i}]: got {actual[i]:R}, PyTorch has {expected[i]:R}.");
            }
        });
    }

    private static void Run(string name, Action<float[], float[], string> compare)
    {
        JsonElement c = TrainingFixtures.Case("optimizers", name);
        ParameterSlot[] slots = c.GetProperty("parameters").EnumerateArray()
            .Select(p => new ParameterSlot(p.GetProperty("name").GetString()!, p.GetProperty("initial").Floats()))
            .ToArray();
        Optimizer optimizer = Create(c.GetProperty("optimizer").GetString()!, c.GetProperty("options"), slots);

        int step = 0;
        foreach (JsonElement s in c.GetProperty("steps").EnumerateArray())
        {
            step++;
            JsonElement[] gradients = s.GetProperty("gradients").EnumerateArray().ToArray();
            JsonElement[] expected = s.GetProperty("expected").EnumerateArray().ToArray();
            for (int i = 0; i < slots.Length; i++)
            {
                gradients[i].Floats().CopyTo(slots[i].Gradient, 0);
            }

            optimizer.Step();

            Assert.Equal(step, optimizer.StepCount);
            for (int i = 0; i < slots.Length; i++)
            {
                compare(expected[i].Floats(), slots[i].Value, $"{name} step {step} {slots[i].Name}");
            }
        }

        Assert.Equal(5, step);
    }

    /// <summary>The optimizer a fixture case describes, with PyTorch's defaults for options it leaves out.</summary>
    private static Optimizer Create(string kind, JsonElement options, ParameterSlot[] slots)
    {
        string[] known = ["lr", "momentum", "dampening", "nesterov", "weight_decay", "maximize", "betas", "eps", "amsgrad"];
        foreach (JsonProperty p in options.EnumerateObject())
        {
            Assert.Contains(p.Name, known);
        }

        double Number(string key, double fallback) => options.TryGetProperty(key, out JsonElement e) ? e.GetDouble() : fallback;
        bool Flag(string key) => options.TryGetProperty(key, out JsonElement e) && e.GetBoolean();
        double[] betas = options.TryGetProperty("betas", out JsonElement b)
            ? b.EnumerateArray().Select(e => e.GetDouble()).ToArray()
            : [0.9, 0.999];

        return kind switch
        {
            "sgd" => new Sgd(slots, Number("lr", double.NaN), Number("momentum", 0), Number("dampening", 0), Flag("nesterov"),
                Number("weight_decay", 0), Flag("maximize")),
            "adam" => new Adam(slots, Number("lr", 1e-3), betas[0], betas[1], Number("eps", 1e-8), Number("weight_decay", 0),
                Flag("amsgrad"), Flag("maximize")),
            "adamw" => new AdamW(slots, Number("lr", 1e-3), betas[0], betas[1], Number("eps", 1e-8), Number("weight_decay", 1e-2),
                Flag("amsgrad"), Flag("maximize")),
            _ => throw new InvalidOperationException($"Unknown optimizer '{kind}'."),
        };
    }
}
