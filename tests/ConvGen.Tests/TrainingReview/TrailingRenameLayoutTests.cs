using System;
using ConvGen.Tests.Infrastructure;
using ConvGen.Tests.TrainingNetwork;
using Xunit;

namespace ConvGen.Tests.TrainingReview;

/// <summary>
/// Flatten and Identity only rename a tensor in the trainer, so after a trailing Flatten the last tensor still carries
/// its spatial shape while the network's output is flat. A channels-last network gives a flat output in PyTorch's
/// C·H·W order (the inference network does): the trainer must not transpose it back to channels-last, nor transpose
/// ∂loss/∂output on the way in.
/// </summary>
public sealed class TrailingRenameLayoutTests
{
    private const int Batch = 2;

    public static TheoryData<string> Networks() => new(
        nameof(ReviewNetworks.NhwcConvFlatten), nameof(ReviewNetworks.NlcConvFlatten), nameof(ReviewNetworks.NhwcFlattenOnly), nameof(ReviewNetworks.NlcIdentityOnly));

    [Theory]
    [MemberData(nameof(Networks))]
    public void A_step_through_a_trailing_rename_matches_the_reference(string name)
    {
        var net = ReviewNetworks.Named(name);
        var problems = ReviewNetworks.StepMismatches(net, Batch, maxBatch: Batch, seed: 21);
        Assert.True(problems.Count == 0, $"{net}\n" + string.Join("\n", problems));
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void Eval_forward_through_a_trailing_rename_equals_the_inference_network(string name)
    {
        var net = ReviewNetworks.Named(name);
        var weights = ReferenceNetwork.CreateWeights(net.Plans, 22);
        var trainer = ReviewNetworks.Compiled.Trainer(net, weights, Batch);
        trainer.Training = false;
        var input = ReferenceNetwork.RandomInput(23, Batch * trainer.InputSize);
        var output = new float[Batch * trainer.OutputSize];
        var expected = new float[output.Length];
        ReviewNetworks.Compiled.Inference(net, weights).Forward(input, expected, Batch);
        trainer.Forward(input, output, Batch);
        Assert.Null(TrainerStep.Compare($"{net}\neval-mode output", expected, output, 1e-5));
    }

    [Fact]
    public void The_output_length_error_names_the_flat_output_shape()
    {
        var net = ReviewNetworks.NhwcConvFlatten;
        var trainer = ReviewNetworks.Compiled.Trainer(net, ReferenceNetwork.CreateWeights(net.Plans, 24), Batch);
        var e = Assert.ThrowsAny<ArgumentException>(() => trainer.Forward(new float[trainer.InputSize], new float[trainer.OutputSize + 1], 1));
        Assert.Contains("[36]", e.Message, StringComparison.Ordinal);
    }
}
