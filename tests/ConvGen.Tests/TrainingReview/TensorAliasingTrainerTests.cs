using Xunit;

namespace ConvGen.Tests.TrainingReview;

/// <summary>
/// One tensor read by two ops of the same layer: a saved tensor added to or concatenated with itself (its gradient
/// array is both dx and ds of one backward kernel, so both contributions must land), the network input saved for a
/// projection (∂input wanted or not), and a convolution whose every window lies in the padding (no tap block at all).
/// </summary>
public sealed class TensorAliasingTrainerTests
{
    public static TheoryData<string> Networks() => new(
        nameof(ReviewNetworks.SelfAdd), nameof(ReviewNetworks.SelfConcat), nameof(ReviewNetworks.InputProjection), nameof(ReviewNetworks.AllPadding));

    [Theory]
    [MemberData(nameof(Networks))]
    public void A_step_matches_the_reference(string name)
    {
        var net = ReviewNetworks.Named(name);
        var problems = ReviewNetworks.StepMismatches(net, batch: 3, maxBatch: 3, seed: 41);
        Assert.True(problems.Count == 0, $"{net}\n" + string.Join("\n", problems));
    }
}
