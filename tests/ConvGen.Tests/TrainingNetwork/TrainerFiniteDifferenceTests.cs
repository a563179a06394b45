using System.Linq;
using ConvGen.Tests.Infrastructure;
using Xunit;

namespace ConvGen.Tests.TrainingNetwork;

/// <summary>
/// The generated train-mode backward pass against central finite differences through whole small networks
/// (<see cref="TrainingNetworks.Differentiable"/>: BatchNorm in train mode, max pooling, reflect padding, projection Add,
/// Concat, bilinear upsampling and more), for L = Σ G·output. The reference trainer's own backward pass is held to the
/// same check, so that the oracle of the randomized tests is itself checked without any backward op.
/// </summary>
public sealed class TrainerFiniteDifferenceTests
{
    private const int Batch = 3;

    public static TheoryData<string> Networks() => new(TrainingNetworks.Differentiable.Select(n => n.ClassName));

    [Theory]
    [MemberData(nameof(Networks))]
    public void Generated_backward_matches_finite_differences(string name)
    {
        var (net, weights, input, outputGradient) = Case(name);
        var trainer = TrainingNetworks.Compiled.Trainer(net, weights, Batch);
        var step = TrainerStep.Run(trainer, input, outputGradient, Batch);

        // The same function first: else a difference below would blame the backward pass for a forward or declaration bug.
        var expectedOutput = ReferenceTrainer.Forward(net.Network, net.Plans, weights, input, Batch).Output;
        Assert.Null(TrainerStep.Compare($"{name}: train-mode output", expectedOutput, step.Output, 1e-4));

        var report = FiniteDifferences.Check(net, weights, input, outputGradient, Batch, training: true, step.InputGradient, step.Gradients, seed: 7);
        Assert.True(report.Problems.Count == 0, $"{net}\n{report}");
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void Reference_trainer_backward_matches_finite_differences(string name)
    {
        var (net, weights, input, outputGradient) = Case(name);
        var (_, gradients) = ReferenceTrainer.Step(net.Network, net.Plans, weights, input, Batch, outputGradient);
        var report = FiniteDifferences.Check(net, weights, input, outputGradient, Batch, training: true, gradients.Input, gradients.Parameters, seed: 7);
        Assert.True(report.Problems.Count == 0, $"{net}\n{report}");

        // Most entries must be checked, or the test proves little.
        Assert.True(report.Skipped * 10 <= report.Checked, $"{net}\n{report}");
    }

    /// <summary>The network, PyTorch-convention weights with non-trivial BatchNorm statistics, an input and a G.</summary>
    internal static (DeclaredNetwork Net, ModelWeights Weights, float[] Input, float[] OutputGradient) Case(string name)
    {
        var net = TrainingNetworks.Named(name);
        var plans = net.Plans;
        int seed = name.Length;
        var weights = ReferenceNetwork.CreateWeights(plans, seed);
        var input = ReferenceNetwork.RandomInput(seed, Batch * net.Network.InputShape.Size);
        var outputGradient = ReferenceNetwork.RandomInput(seed + 1, Batch * plans[plans.Count - 1].Output.Size);
        return (net, weights, input, outputGradient);
    }
}
