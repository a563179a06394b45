using System;
using System.Linq;
using ConvGen.Tests.Infrastructure;
using Xunit;

namespace ConvGen.Tests.TrainingNetwork;

/// <summary>
/// <c>Training = false</c> (PyTorch's <c>model.eval()</c>): the trainer computes what the inference network computes
/// (BatchNorm with its running statistics, Dropout(P = 0.5) the identity), leaves the running statistics alone, and
/// its backward pass is the derivative of that function.
/// </summary>
public sealed class TrainerEvalModeTests
{
    private const int Batch = 3;

    public static TheoryData<string> Networks() => new(TrainingNetworks.Differentiable.Append(TrainingNetworks.WithDropout).Select(n => n.ClassName));

    [Theory]
    [MemberData(nameof(Networks))]
    [InlineData(nameof(TrainingNetworks.DropoutLast))]
    public void Eval_forward_equals_the_inference_network(string name)
    {
        var (net, weights, input, _) = TrainerFiniteDifferenceTests.Case(name);
        var trainer = TrainingNetworks.Compiled.Trainer(net, weights, Batch);
        trainer.Training = false;
        var output = new float[Batch * trainer.OutputSize];
        var expected = new float[output.Length];
        TrainingNetworks.Compiled.Inference(net, weights).Forward(input, expected, Batch);

        // Twice: a Dropout that drew a mask would differ from the inference output, and from call to call.
        for (int call = 0; call < 2; call++)
        {
            trainer.Forward(input, output, Batch);
            Assert.Null(TrainerStep.Compare($"{net}\neval-mode output, call {call}", expected, output, 1e-4));
        }
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void Eval_steps_leave_the_running_statistics_alone(string name)
    {
        var (net, weights, input, outputGradient) = TrainerFiniteDifferenceTests.Case(name);
        var trainer = TrainingNetworks.Compiled.Trainer(net, weights, Batch);
        var before = trainer.ExportWeights();
        trainer.Training = false;
        for (int step = 0; step < 2; step++)
        {
            TrainerStep.Run(trainer, input, outputGradient, Batch);
        }

        var after = trainer.ExportWeights();
        Assert.Equal(before.Names, after.Names);
        foreach (var tensor in before)
        {
            Assert.True(
                tensor.Data.AsSpan().SequenceEqual(after[tensor.Name].Data) && (tensor.Int64Data ?? []).AsSpan().SequenceEqual(after[tensor.Name].Int64Data ?? []),
                $"{net}\n'{tensor.Name}' changed in eval mode");
        }

        // Control: back in training mode the same step does update them, so the check above can fail.
        trainer.Training = true;
        TrainerStep.Run(trainer, input, outputGradient, Batch);
        var trained = trainer.ExportWeights();
        Assert.All(
            before.Where(t => t.Name.EndsWith(".running_mean", StringComparison.Ordinal)),
            t => Assert.False(t.Data.AsSpan().SequenceEqual(trained[t.Name].Data), $"{net}\n'{t.Name}' unchanged by a train-mode step"));
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void Eval_backward_matches_finite_differences(string name)
    {
        var (net, weights, input, outputGradient) = TrainerFiniteDifferenceTests.Case(name);
        var trainer = TrainingNetworks.Compiled.Trainer(net, weights, Batch);
        trainer.Training = false;
        var step = TrainerStep.Run(trainer, input, outputGradient, Batch);

        var report = FiniteDifferences.Check(net, weights, input, outputGradient, Batch, training: false, step.InputGradient, step.Gradients, seed: 11);
        Assert.True(report.Problems.Count == 0, $"{net}\n{report}");
    }
}
