using System;
using Xunit;

namespace ConvGen.Tests.Forward;

/// <summary>
/// Nearest upsampling (vector rows with duplicated lanes for factor 2, row copies for the repeated rows), (bi)linear
/// upsampling (vector rows for factor 2: both output phases from three loads of each input row, interleaved; scalar edge
/// columns), and pixel shuffle / unshuffle (vector interleave and even/odd split for factor 2, scalar otherwise).
/// Each case of <see cref="KernelCases.Resampling"/> is checked against the naive reference ops and asserts the strategy
/// its kernel comment names; random factor-2 (bi)linear layers add maps from 1×1 up, widths around the vector width and
/// 1-D rows.
/// </summary>
public sealed class ResampleKernelTests
{
    public static TheoryData<string> Cases() => KernelCases.Names(KernelCases.Resampling);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Resampling_matches_the_reference(string name) => KernelCases.AssertMatchesReference(KernelCases.Named(name));

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(10)]
    [InlineData(11)]
    [InlineData(12)]
    public void Random_linear_upsampling_by_two_matches_the_reference(int seed)
    {
        var random = new Random(seed);
        int c = random.Next(1, 4), h = random.Next(4) == 0 ? 0 : random.Next(1, 8), w = random.Next(1, 41);
        string strategy = w - 2 >= 8 ? "vector rows: input columns" : "scalar: every output column";
        var k = KernelCases.Layer(
            $"linear x2, {c}x{h}x{w} (seed {seed})", c, h, w, strategy, "[Upsample(2, Mode = UpsampleMode.Linear)]",
            KernelCases.Upsample(2) with { LinearInterpolation = true });
        KernelCases.AssertMatchesReference(k, seed);
    }
}
