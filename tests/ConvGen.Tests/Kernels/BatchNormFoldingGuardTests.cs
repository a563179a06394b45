using System;
using ConvGen.Kernels;
using Xunit;

namespace ConvGen.Tests.Kernels;

/// <summary>Arguments that do not describe a BatchNorm over the layer's channels are refused before anything is indexed.</summary>
public class BatchNormFoldingGuardTests
{
    private static float[] Ones(int n)
    {
        var values = new float[n];
        values.AsSpan().Fill(1f);
        return values;
    }

    private static (float[] Weight, float[] Bias) Fold(
        int weightLength = 24, int outChannels = 4, int taps = 3, bool transposed = false, int groups = 1,
        int? biasLength = 4, int? gammaLength = 4, int? betaLength = 4, int meanLength = 4, int varLength = 4) =>
        BatchNormFolding.Fold(
            Ones(weightLength),
            biasLength is { } b ? Ones(b) : null,
            gammaLength is { } g ? Ones(g) : null,
            betaLength is { } bt ? Ones(bt) : null,
            new float[meanLength],
            Ones(varLength),
            eps: 0,
            outChannels,
            taps,
            transposed,
            groups);

    [Fact]
    public void Consistent_arguments_fold()
    {
        (float[] weight, float[] bias) = Fold();
        Assert.Equal(24, weight.Length);
        Assert.Equal(4, bias.Length);

        // ConvTranspose [C_in = 4, C_out/g = 2, taps = 3] with groups = 2 and C_out = 4.
        Assert.Equal(24, Fold(transposed: true, groups: 2).Weight.Length);
        Assert.Equal(4, Fold(biasLength: null, gammaLength: null, betaLength: null).Bias.Length);
        Assert.Empty(Fold(weightLength: 0).Weight);
    }

    [Fact]
    public void Folding_still_scales_each_output_channel()
    {
        float[] weight = { 1, 1, 1, 1, 1, 1 };
        (float[] folded, float[] bias) = BatchNormFolding.Fold(weight, null, new float[] { 2, 3 }, new float[] { 1, 0 }, new float[] { 1, 0 }, new float[] { 4, 9 }, 0, outChannels: 2, taps: 3);

        Assert.Equal(new float[] { 1, 1, 1, 1, 1, 1 }, folded);
        Assert.Equal(new float[] { 0, 0 }, bias);
    }

    [Theory]
    [InlineData(0, "outChannels")]
    [InlineData(-1, "outChannels")]
    public void OutChannels_must_be_positive(int outChannels, string param)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Fold(outChannels: outChannels));
        Assert.Equal(param, e.ParamName);
        Assert.StartsWith("outChannels must be at least 1.", e.Message);
    }

    [Fact]
    public void Taps_must_be_positive()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Fold(taps: 0));
        Assert.Equal("taps", e.ParamName);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-2)]
    [InlineData(3)]
    public void Groups_must_divide_outChannels(int groups)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Fold(groups: groups, transposed: true));
        Assert.Equal("groups", e.ParamName);
        Assert.StartsWith("groups must be at least 1 and divide outChannels (4).", e.Message);
    }

    [Fact]
    public void The_weight_must_hold_whole_output_channels()
    {
        var e = Assert.Throws<ArgumentException>(() => Fold(weightLength: 25));
        Assert.Equal("weight", e.ParamName);
        Assert.StartsWith("The weight [C_out, C_in/g, taps] holds 25 values, not a multiple of outChannels × taps = 4 × 3 = 12.", e.Message);
    }

    [Fact]
    public void The_transposed_weight_must_hold_whole_groups_of_input_channels()
    {
        // [C_in = 3, C_out/g = 2, taps = 1] = 6 values is whole rows, but C_in = 3 does not split into 2 groups.
        var e = Assert.Throws<ArgumentException>(() => Fold(weightLength: 6, taps: 1, transposed: true, groups: 2));
        Assert.Equal("weight", e.ParamName);
        Assert.Contains("transposed weight [C_in, C_out/g, taps] holds 6 values", e.Message);
    }

    [Theory]
    [InlineData("bias")]
    [InlineData("gamma")]
    [InlineData("beta")]
    [InlineData("runningMean")]
    [InlineData("runningVar")]
    public void Per_channel_vectors_must_hold_outChannels_values(string param)
    {
        var e = Assert.Throws<ArgumentException>(() => Fold(
            biasLength: param == "bias" ? 3 : 4,
            gammaLength: param == "gamma" ? 5 : 4,
            betaLength: param == "beta" ? 3 : 4,
            meanLength: param == "runningMean" ? 3 : 4,
            varLength: param == "runningVar" ? 2 : 4));
        Assert.Equal(param, e.ParamName);
        Assert.Contains($"{param} holds", e.Message);
        Assert.Contains("but there are 4 channels.", e.Message);
    }

    [Fact]
    public void ScaleShift_takes_its_channels_from_the_running_mean()
    {
        (float[] scale, float[] shift) = BatchNormFolding.ScaleShift(new float[] { 2, 4 }, null, new float[] { 1, 1 }, new float[] { 4, 16 }, 0);

        Assert.Equal(new float[] { 1, 1 }, scale);
        Assert.Equal(new float[] { -1, -1 }, shift);
        Assert.Empty(BatchNormFolding.ScaleShift(null, null, ReadOnlySpan<float>.Empty, ReadOnlySpan<float>.Empty, 1e-5).Scale);
    }

    [Theory]
    [InlineData("gamma")]
    [InlineData("beta")]
    [InlineData("runningVar")]
    public void ScaleShift_vectors_must_match_the_running_mean(string param)
    {
        var e = Assert.Throws<ArgumentException>(() => BatchNormFolding.ScaleShift(
            param == "gamma" ? new float[2] : new float[3],
            param == "beta" ? new float[4] : new float[3],
            new float[3],
            param == "runningVar" ? new float[2] : Ones(3),
            1e-5));
        Assert.Equal(param, e.ParamName);
        Assert.Contains("but there are 3 channels.", e.Message);
    }
}
