using System.Threading.Tasks;
using ConvGen.CodeFixes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Test = ConvGen.Tests.CodeFixes.CodeFixTest<ConvGen.CodeFixes.RedundantBiasCodeFixProvider>;

namespace ConvGen.Tests.CodeFixes;

/// <summary>CG0011: a bias that the next BatchNorm cancels is removed with <c>Bias = false</c>.</summary>
public sealed class RedundantBiasCodeFixTests
{
    private const string Key = RedundantBiasCodeFixProvider.RemoveBiasKey;

    [Fact]
    public async Task ImplicitBias_GetsBiasFalse()
    {
        var test = new Test
        {
            TestCode = Test.Declare("[Network(3, 8, 8)]\n[Conv2d(8, 3, Padding = 1), BatchNorm2d, ReLU]"),
            FixedCode = Test.Declare("[Network(3, 8, 8)]\n[Conv2d(8, 3, Padding = 1, Bias = false), BatchNorm2d, ReLU]"),
            CodeActionEquivalenceKey = Key,
            CodeActionVerifier = (action, verifier) => verifier.Equal("Remove the bias", action.Title),
        };
        test.ExpectedDiagnostics.Add(new DiagnosticResult("CG0011", DiagnosticSeverity.Info).WithSpan(6, 2, 6, 27)
            .WithMessage("Conv2d #0: its bias is redundant: BatchNorm2d #1 right after it subtracts the per-channel mean, which cancels any per-channel constant; set Bias = false (saves 8 parameters)"));
        await test.RunAsync();
    }

    [Fact]
    public Task BiasTrue_BecomesFalse()
        => Test.VerifyFix(
            Test.Declare("[Network(3, 8, 8)]\n[Conv2d(8, 3, {|CG0011:Bias = true|}, Padding = 1), BatchNorm2d]"),
            Test.Declare("[Network(3, 8, 8)]\n[Conv2d(8, 3, Bias = false, Padding = 1), BatchNorm2d]"),
            Key);

    [Fact]
    public Task Linear_GetsBiasFalse()
        => Test.VerifyFix(
            Test.Declare("[Network(2, 4, 4)]\n[Flatten, {|CG0011:Linear(10)|}, BatchNorm1d]"),
            Test.Declare("[Network(2, 4, 4)]\n[Flatten, Linear(10, Bias = false), BatchNorm1d]"),
            Key);

    [Fact]
    public Task FixAll_FixesEveryLayer()
        => Test.VerifyFix(
            Test.Declare("[Network(3, 8, 8)]\n[{|CG0011:Conv2d(8, 3, Padding = 1)|}, BatchNorm2d, ReLU]\n[ConvTranspose2d(4, 2, Stride = 2, {|CG0011:Bias = true|}), BatchNorm2d]"),
            Test.Declare("[Network(3, 8, 8)]\n[Conv2d(8, 3, Padding = 1, Bias = false), BatchNorm2d, ReLU]\n[ConvTranspose2d(4, 2, Stride = 2, Bias = false), BatchNorm2d]"),
            Key);

    [Fact]
    public Task BiasGivenByAConstant_GetsNoFix()
        => Test.VerifyNoFix(
            Test.Declare("[Network(3, 8, 8)]\n[Conv2d(8, 3, {|CG0011:Bias = Flags.Bias|}, Padding = 1), BatchNorm2d]")
                + "\ninternal static class Flags\n{\n    public const bool Bias = true;\n}\n");
}
