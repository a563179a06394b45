using System.Threading.Tasks;
using ConvGen.CodeFixes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Test = ConvGen.Tests.CodeFixes.CodeFixTest<ConvGen.CodeFixes.SamePaddingStrideCodeFixProvider>;

namespace ConvGen.Tests.CodeFixes;

/// <summary>CG0003: 'same' padding with a stride becomes the explicit d(k − 1)/2 per axis.</summary>
public sealed class SamePaddingStrideCodeFixTests
{
    private const string Key = SamePaddingStrideCodeFixProvider.ExplicitPaddingKey;

    [Fact]
    public async Task Conv2d_SquareKernel_UsesPadding()
    {
        var test = new Test
        {
            TestCode = Test.Declare("[Network(3, 9, 9)]\n[Conv2d(8, 3, Pad = Pad.Same, Stride = 2)]"),
            FixedCode = Test.Declare("[Network(3, 9, 9)]\n[Conv2d(8, 3, Padding = 1, Stride = 2)]"),
            CodeActionEquivalenceKey = Key,
            CodeActionVerifier = (action, verifier) => verifier.Equal("Use explicit padding", action.Title),
        };
        test.ExpectedDiagnostics.Add(new DiagnosticResult("CG0003", DiagnosticSeverity.Error).WithSpan(6, 15, 6, 29)
            .WithMessage("Conv2d #0: padding 'same' needs stride 1, but the stride is (2, 2): PyTorch rejects it, because a strided output cannot keep the input size; use Padding = 1 (d(k-1)/2 = 1*(3-1)/2 = 1)"));
        await test.RunAsync();
    }

    [Fact]
    public Task Conv2d_RectangularKernel_UsesPaddingHAndPaddingW()
        => Test.VerifyFix(
            Test.Declare("[Network(3, 9, 9)]\n[Conv2d(8, 3, 5, {|CG0003:Pad = Pad.Same|}, Stride = 2)]"),
            Test.Declare("[Network(3, 9, 9)]\n[Conv2d(8, 3, 5, PaddingH = 1, PaddingW = 2, Stride = 2)]"),
            Key);

    [Fact]
    public Task Conv1d_UsesPadding()
        => Test.VerifyFix(
            Test.Declare("[Network(2, 17)]\n[Conv1d(4, 3, Stride = 2, {|CG0003:Pad = Pad.Same|})]"),
            Test.Declare("[Network(2, 17)]\n[Conv1d(4, 3, Stride = 2, Padding = 1)]"),
            Key);

    [Fact]
    public Task QualifiedPadValue_IsRecognised()
        => Test.VerifyFix(
            Test.Declare("[Network(2, 17)]\n[Conv1d(4, 5, {|CG0003:Pad = ConvGen.Pad.Same|}, Dilation = 1, Stride = 2)]"),
            Test.Declare("[Network(2, 17)]\n[Conv1d(4, 5, Padding = 2, Dilation = 1, Stride = 2)]"),
            Key);

    [Fact]
    public Task FixAll_FixesEveryNetworkInTheDocument()
        => Test.VerifyFix(
            Test.Declare("[Network(3, 9, 9)]\n[Conv2d(8, 3, {|CG0003:Pad = Pad.Same|}, Stride = 2)]")
                + "\n" + Test.Network("[Network(2, 17)]\n[Conv1d(4, 3, Stride = 2, {|CG0003:Pad = Pad.Same|})]", "Net2"),
            Test.Declare("[Network(3, 9, 9)]\n[Conv2d(8, 3, Padding = 1, Stride = 2)]")
                + "\n" + Test.Network("[Network(2, 17)]\n[Conv1d(4, 3, Stride = 2, Padding = 1)]", "Net2"),
            Key);

    [Fact]
    public Task SameNextToPaddingNumbers_GetsNoFix()
        => Test.VerifyNoFix(
            Test.Declare("[Network(3, 9, 9)]\n[Conv2d(8, 3, {|CG0003:{|CG0012:Pad = Pad.Same|}|}, Padding = 1, Stride = 2)]"));

    [Fact]
    public Task SameWrittenAsACast_GetsNoFix()
        => Test.VerifyNoFix(
            Test.Declare("[Network(3, 9, 9)]\n[Conv2d(8, 3, {|CG0003:Pad = (Pad)1|}, Stride = 2)]"));
}
