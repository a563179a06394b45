using System.Threading.Tasks;
using ConvGen.CodeFixes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Test = ConvGen.Tests.CodeFixes.CodeFixTest<ConvGen.CodeFixes.CheckerboardCodeFixProvider>;

namespace ConvGen.Tests.CodeFixes;

/// <summary>CG0005: a transposed convolution's kernel becomes the nearest multiple of its stride.</summary>
public sealed class CheckerboardCodeFixTests
{
    private const string Key = CheckerboardCodeFixProvider.KernelMultipleKey;

    [Fact]
    public async Task ConvTranspose1d_ReplacesTheKernel()
    {
        var test = new Test
        {
            TestCode = Test.Declare("[Network(2, 8)]\n[ConvTranspose1d(4, 3, Stride = 2)]"),
            FixedCode = Test.Declare("[Network(2, 8)]\n[ConvTranspose1d(4, 4, Stride = 2)]"),
            CodeActionEquivalenceKey = Key,
            CodeActionVerifier = (action, verifier) => verifier.Equal("Use kernel size 4", action.Title),
        };
        test.ExpectedDiagnostics.Add(new DiagnosticResult("CG0005", DiagnosticSeverity.Warning).WithSpan(6, 21, 6, 22)
            .WithMessage("ConvTranspose1d #0: kernel 3 is not divisible by stride 2 along the length: neighbouring outputs receive 2,1,2,1,… contributions, an uneven overlap that paints checkerboard artifacts; use kernel 4, Upsample(nearest) + Conv, or Conv + PixelShuffle"));
        await test.RunAsync();
    }

    [Fact]
    public Task SquareKernel_BothAxesFlagged_ReplacesTheSingleArgument()
        => Test.VerifyFix(
            Test.Declare("[Network(2, 8, 8)]\n[ConvTranspose2d(4, {|CG0005:{|CG0005:3|}|}, Stride = 2)]"),
            Test.Declare("[Network(2, 8, 8)]\n[ConvTranspose2d(4, 4, Stride = 2)]"),
            Key);

    [Fact]
    public Task SquareKernel_OneAxisFlagged_SplitsTheKernel()
        => Test.VerifyFix(
            Test.Declare("[Network(2, 8, 8)]\n[ConvTranspose2d(4, {|CG0005:3|}, StrideH = 2)]"),
            Test.Declare("[Network(2, 8, 8)]\n[ConvTranspose2d(4, 4, 3, StrideH = 2)]"),
            Key);

    [Fact]
    public Task NamedSquareKernel_OneAxisFlagged_SplitsIntoNamedArguments()
        => Test.VerifyFix(
            Test.Declare("[Network(2, 8, 8)]\n[ConvTranspose2d(4, {|CG0005:kernelSize: 3|}, StrideW = 2)]"),
            Test.Declare("[Network(2, 8, 8)]\n[ConvTranspose2d(4, kernelHeight: 3, kernelWidth: 4, StrideW = 2)]"),
            Key);

    [Fact]
    public Task SeparateKernel_EachAxisGetsItsOwnMultiple()
        => Test.VerifyFix(
            Test.Declare("[Network(2, 8, 8)]\n[ConvTranspose2d(4, {|CG0005:3|}, {|CG0005:5|}, Stride = 2)]"),
            Test.Declare("[Network(2, 8, 8)]\n[ConvTranspose2d(4, 4, 6, Stride = 2)]"),
            Key);

    [Fact]
    public Task FixAll_FixesEveryLayer()
        => Test.VerifyFix(
            Test.Declare("[Network(2, 8)]\n[ConvTranspose1d(4, {|CG0005:3|}, Stride = 2), ReLU, ConvTranspose1d(4, {|CG0005:5|}, Stride = 3)]"),
            Test.Declare("[Network(2, 8)]\n[ConvTranspose1d(4, 4, Stride = 2), ReLU, ConvTranspose1d(4, 6, Stride = 3)]"),
            Key);

    [Fact]
    public Task KernelGivenByAConstant_GetsNoFix()
        => Test.VerifyNoFix(
            Test.Declare("[Network(2, 8)]\n[ConvTranspose1d(4, {|CG0005:Sizes.Kernel|}, Stride = 2)]")
                + "\ninternal static class Sizes\n{\n    public const int Kernel = 3;\n}\n");

    [Fact]
    public Task SquareKernel_BothAxesFlaggedWithDifferentStrides_GetsNoFix()
    {
        // Each diagnostic knows only its own axis: splitting "5" into "6, 5" and "5, 6" would merge into
        // "6, 5, 6" under Fix All, so neither is offered.
        return Test.VerifyNoFix(Test.Declare("[Network(2, 8, 8)]\n[ConvTranspose2d(4, {|CG0005:{|CG0005:5|}|}, StrideH = 2, StrideW = 3)]"));
    }

    [Fact]
    public Task DilatedKernel_HasNoFixData_AndGetsNoFix()
        => Test.VerifyNoFix(Test.Declare("[Network(2, 8)]\n[ConvTranspose1d(4, {|CG0005:3|}, Stride = 2, Dilation = 2)]"));
}
