using Xunit;

namespace ConvGen.Tests.Forward;

/// <summary>
/// The standalone activation, Add and ScaleShift (unfolded BatchNorm) kernels, all on vector lanes: ReLU, ReLU6 and
/// LeakyReLU (NaN, ±∞ and ±0 inputs pass exactly as in PyTorch), Sigmoid, Tanh and SiLU through VectorMath (with NaN,
/// ±∞ and ±0 inputs too); sizes below, at and off a multiple of the vector width, per-channel planes and flat features. Each case of <see cref="KernelCases.Elementwise"/>
/// is checked against the naive reference ops and asserts the strategy its kernel comment names.
/// </summary>
public sealed class ElementwiseKernelTests
{
    public static TheoryData<string> Cases() => KernelCases.Names(KernelCases.Elementwise);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Elementwise_kernel_matches_the_reference(string name) => KernelCases.AssertMatchesReference(KernelCases.Named(name));
}
