using Xunit;

namespace ConvGen.Tests.Forward;

/// <summary>
/// Nearest upsampling (vector rows with duplicated lanes for factor 2, row copies for the repeated rows), bilinear
/// upsampling, and pixel shuffle / unshuffle (vector interleave and even/odd split for factor 2, scalar otherwise).
/// Each case of <see cref="KernelCases.Resampling"/> is checked against the naive reference ops and asserts the strategy
/// its kernel comment names.
/// </summary>
public sealed class ResampleKernelTests
{
    public static TheoryData<string> Cases() => KernelCases.Names(KernelCases.Resampling);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Resampling_matches_the_reference(string name) => KernelCases.AssertMatchesReference(KernelCases.Named(name));
}
