using System;
using System.Linq;
using ConvGen.Training;
using Xunit;

namespace ConvGen.Tests.TrainingGolden;

/// <summary>
/// The generated <c>Trainer</c> against PyTorch 1.13 in train mode (tests/fixtures/training_golden): the forward pass,
/// the input and parameter gradients and BatchNorm's running statistics for every gradient case, one SGD or Adam
/// step for the optimizer cases, and a 20-step training curve. Each case is compiled from its declaration and loaded
/// with PyTorch's state_dict; every comparison uses the case's own tolerance for that group of tensors.
/// </summary>
public sealed class TrainingGoldenTests
{
    public static TheoryData<string> GradientCases => TrainingGoldenCase.Names("gradient");

    public static TheoryData<string> OptimizerCases => TrainingGoldenCase.Names("optimizer");

    public static TheoryData<string> CurveCases => TrainingGoldenCase.Names("training_curve");

    [Fact]
    public void Every_kind_has_cases()
    {
        Assert.Equal(["gradient", "optimizer", "training_curve"], TrainingGoldenCase.All().Select(c => c.Kind).Distinct().Order());
        int gradientCases = TrainingGoldenCase.All().Count(c => c.Kind == "gradient");
        Assert.True(gradientCases >= 50, $"Only {gradientCases} gradient cases.");
    }

    [Theory]
    [MemberData(nameof(GradientCases))]
    public void Gradients_and_running_statistics_match_PyTorch(string name)
    {
        var (c, file, trainer) = TrainingGoldenCase.Start(name);

        ForwardBackwardMatches(c, file, trainer);
        TrainingGoldenAssert.StateMatches(c, file, "after.", c.BatchNormBuffers, trainer.ExportWeights(), "after");
    }

    [Theory]
    [MemberData(nameof(OptimizerCases))]
    public void One_optimizer_step_matches_PyTorch(string name)
    {
        var (c, file, trainer) = TrainingGoldenCase.Start(name);
        ForwardBackwardMatches(c, file, trainer);

        c.CreateOptimizer(trainer.Parameters).Step();

        // after.* holds every parameter after the step and every BatchNorm buffer after the forward.
        TrainingGoldenAssert.StateMatches(c, file, "after.", c.BatchNormBuffers.Concat(c.Parameters), trainer.ExportWeights(), "after");
    }

    [Theory]
    [MemberData(nameof(CurveCases))]
    public void Training_curve_matches_PyTorch(string name)
    {
        var (c, file, trainer) = TrainingGoldenCase.Start(name);
        Assert.Equal("cross_entropy_mean", c.Loss);
        Optimizer optimizer = c.CreateOptimizer(trainer.Parameters);
        Assert.Equal(c.Classes, trainer.OutputSize);
        Assert.Equal(c.Steps, file["losses"].ElementCount);

        float[] input = file["input"].Data;
        long[] labels = file["labels"].Int64Data!;
        var logits = new float[c.Batch * c.Classes];
        var gradient = new float[logits.Length];
        var losses = new float[c.Steps];
        for (int step = 0; step < c.Steps; step++)
        {
            // PyTorch's loop: zero_grad, forward, F.cross_entropy, backward, step; losses[t] is taken before update t.
            optimizer.ZeroGrad();
            trainer.Forward(input, logits, c.Batch);
            losses[step] = SoftmaxCrossEntropy.Compute(logits, labels, c.Batch, c.Classes, gradient);
            trainer.Backward(gradient);
            optimizer.Step();
        }

        TrainingGoldenAssert.AllClose($"{c.Name} losses", file["losses"], losses, c.For("losses"));
        TrainingGoldenAssert.StateMatches(c, file, "final.", TrainingGoldenCase.StateDict(file).Names, trainer.ExportWeights(), "final");
    }

    /// <summary>
    /// One train-mode forward on <c>input</c> and one backward from <c>grad_output</c>: the output, ∂loss/∂input and
    /// every parameter's gradient against PyTorch's, and the parameters named and ordered as <c>named_parameters()</c>.
    /// </summary>
    internal static void ForwardBackwardMatches(TrainingGoldenCase c, ModelWeights file, ITrainer trainer)
    {
        Assert.Equal(c.Parameters, trainer.Parameters.Select(p => p.Name));
        Tensor input = file["input"], output = file["output"];
        Assert.Equal(input.ElementCount, c.Batch * trainer.InputSize);
        Assert.Equal(output.ElementCount, c.Batch * trainer.OutputSize);

        var actualOutput = new float[output.ElementCount];
        trainer.Forward(input.Data, actualOutput, c.Batch);
        TrainingGoldenAssert.AllClose($"{c.Name} output", output, actualOutput, c.For("output"));

        var gradInput = new float[input.ElementCount];
        trainer.Backward(file["grad_output"].Data, gradInput);
        TrainingGoldenAssert.AllClose($"{c.Name} grad_input", file["grad_input"], gradInput, c.For("grad_input"));

        ModelWeights gradients = trainer.ExportGradients();
        foreach (ParameterSlot slot in trainer.Parameters)
        {
            Assert.True(
                gradients.TryGet(slot.Name, out Tensor? exported) && slot.Gradient.AsSpan().SequenceEqual(exported.Data),
                $"{c.Name}: ExportGradients()['{slot.Name}'] is missing or differs from Parameters' gradient.");
        }

        TrainingGoldenAssert.StateMatches(c, file, "grad.", c.Parameters, gradients, "grad_params");
    }
}
