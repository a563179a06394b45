using System.Linq;
using System.Text.Json;
using ConvGen.Training;
using Xunit;

namespace ConvGen.Tests.Training;

/// <summary>
/// <see cref="SoftmaxCrossEntropy"/> and <see cref="MeanSquaredError"/> against PyTorch's <c>F.cross_entropy</c> and
/// <c>F.mse_loss</c> (mean reduction) and their autograd gradients, computed in float64 from float32-exact inputs.
/// </summary>
public sealed class LossFixtureTests
{
    // Both sides are accurate to about one float32 rounding; 1e-6 relative leaves a few ulps of room.
    private const double Relative = 1e-6;
    private const double Absolute = 1e-9;

    public static TheoryData<string> CrossEntropyCases => new(TrainingFixtures.Names("cross_entropy"));

    public static TheoryData<string> MseCases => new(TrainingFixtures.Names("mse"));

    [Theory]
    [MemberData(nameof(CrossEntropyCases))]
    public void Cross_entropy_matches_PyTorch(string name)
    {
        JsonElement c = TrainingFixtures.Case("cross_entropy", name);
        int batch = c.GetProperty("batch").GetInt32(), classes = c.GetProperty("classes").GetInt32();
        float[] logits = c.GetProperty("logits").Floats();
        int[] targets = c.GetProperty("targets").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        var gradient = new float[logits.Length];

        float loss = SoftmaxCrossEntropy.Compute(logits, targets, batch, classes, gradient);

        TrainingAssert.Close(c.GetProperty("loss").GetDouble(), loss, Relative, Absolute, $"{name} loss");
        TrainingAssert.Close(c.GetProperty("gradient").Floats(), gradient, Relative, Absolute, $"{name} gradient");
    }

    [Theory]
    [MemberData(nameof(CrossEntropyCases))]
    public void Cross_entropy_with_int64_targets_in_place_gives_the_same_bits(string name)
    {
        JsonElement c = TrainingFixtures.Case("cross_entropy", name);
        int batch = c.GetProperty("batch").GetInt32(), classes = c.GetProperty("classes").GetInt32();
        float[] logits = c.GetProperty("logits").Floats();
        int[] targets = c.GetProperty("targets").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        var gradient = new float[logits.Length];
        float loss = SoftmaxCrossEntropy.Compute(logits, targets, batch, classes, gradient);

        long[] longTargets = targets.Select(t => (long)t).ToArray();
        float[] inPlace = (float[])logits.Clone();
        float loss64 = SoftmaxCrossEntropy.Compute(inPlace, longTargets, batch, classes, inPlace);

        Assert.Equal(loss, loss64);
        Assert.Equal(gradient, inPlace);
    }

    [Fact]
    public void Cross_entropy_fixtures_cover_large_logits()
    {
        float[] logits = TrainingFixtures.Case("cross_entropy", "large_logits").GetProperty("logits").Floats();
        Assert.True(logits.Min() > 800, "exp of these logits overflows float and double without the max shift");
    }

    [Theory]
    [MemberData(nameof(MseCases))]
    public void Mse_matches_PyTorch(string name)
    {
        JsonElement c = TrainingFixtures.Case("mse", name);
        float[] prediction = c.GetProperty("prediction").Floats(), target = c.GetProperty("target").Floats();
        var gradient = new float[prediction.Length];

        float loss = MeanSquaredError.Compute(prediction, target, gradient);

        TrainingAssert.Close(c.GetProperty("loss").GetDouble(), loss, Relative, Absolute, $"{name} loss");
        TrainingAssert.Close(c.GetProperty("gradient").Floats(), gradient, Relative, Absolute, $"{name} gradient");

        float[] inPlace = (float[])prediction.Clone();
        Assert.Equal(loss, MeanSquaredError.Compute(inPlace, target, inPlace));
        Assert.Equal(gradient, inPlace);
    }
}
