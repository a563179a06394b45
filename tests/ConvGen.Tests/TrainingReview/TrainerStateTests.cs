using System.Linq;
using ConvGen.Tests.Infrastructure;
using ConvGen.Tests.TrainingNetwork;
using ConvGen.Training;
using Xunit;

namespace ConvGen.Tests.TrainingReview;

/// <summary>
/// What a trainer carries from call to call. Backward differentiates the function the last Forward computed, whatever
/// <see cref="ITrainer.Training"/> says by then; a step on a smaller batch after a larger one sees nothing of the
/// larger batch (BatchNorm sums, max-pool picks, patch matrices and gradient tensors all hold stale samples past it).
/// </summary>
public sealed class TrainerStateTests
{
    private const int Batch = 3;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Backward_follows_the_mode_of_the_last_Forward_not_the_current_one(bool trainedForward)
    {
        var net = ReviewNetworks.NormDropout;
        var weights = ReferenceNetwork.CreateWeights(net.Plans, 51);
        var input = ReferenceNetwork.RandomInput(52, Batch * net.Network.InputShape.Size);
        var outputGradient = ReferenceNetwork.RandomInput(53, Batch * net.Plans[^1].Output.Size);
        var steady = ReviewNetworks.Compiled.Trainer(net, weights, Batch, seed: 5);
        var switched = ReviewNetworks.Compiled.Trainer(net, weights, Batch, seed: 5);
        steady.Training = switched.Training = trainedForward;
        steady.Forward(input, new float[outputGradient.Length], Batch);
        switched.Forward(input, new float[outputGradient.Length], Batch);

        switched.Training = !trainedForward;
        var expected = new float[input.Length];
        var actual = new float[input.Length];
        steady.Backward(outputGradient, expected);
        switched.Backward(outputGradient, actual);

        Assert.Equal(expected, actual);
        foreach (var (a, e) in switched.Parameters.Zip(steady.Parameters))
        {
            Assert.True(a.Gradient.SequenceEqual(e.Gradient), $"'{a.Name}': the gradient changed with the mode set after Forward");
        }
    }

    [Fact]
    public void A_smaller_batch_after_a_larger_one_matches_the_reference()
    {
        var net = ReviewNetworks.BatchState;
        var plans = net.Plans;
        var trainer = ReviewNetworks.Compiled.Trainer(net, ReferenceNetwork.CreateWeights(plans, 61), maxBatch: 4);

        // A full batch of large values first: anything left over from it would show in the next step.
        var big = ReferenceNetwork.RandomInput(62, 4 * trainer.InputSize).Select(v => (4 * v) + 2).ToArray();
        var bigGradient = ReferenceNetwork.RandomInput(63, 4 * trainer.OutputSize).Select(v => 5 * v).ToArray();
        trainer.Forward(big, new float[bigGradient.Length], 4);
        trainer.Backward(bigGradient, new float[big.Length]);

        const int Small = 2;
        var state = trainer.ExportWeights(); // the running statistics the first step left
        var input = ReferenceNetwork.RandomInput(64, Small * trainer.InputSize);
        var outputGradient = ReferenceNetwork.RandomInput(65, Small * trainer.OutputSize);
        var (tape, expected) = ReferenceTrainer.Step(net.Network, plans, state, input, Small, outputGradient);
        var problems = TrainerStep.Run(trainer, input, outputGradient, Small).Mismatches(tape, expected, 1e-4);
        Assert.True(problems.Count == 0, $"{net}\nbatch {Small} after batch 4:\n" + string.Join("\n", problems));
    }
}
