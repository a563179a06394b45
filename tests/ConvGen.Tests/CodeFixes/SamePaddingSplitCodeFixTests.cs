using System.Threading.Tasks;
using ConvGen.CodeFixes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Test = ConvGen.Tests.CodeFixes.CodeFixTest<ConvGen.CodeFixes.SamePaddingSplitCodeFixProvider>;

namespace ConvGen.Tests.CodeFixes;

/// <summary>CG0002: 'same' padding with odd d(k − 1): write the split out, or take the next odd kernel.</summary>
public sealed class SamePaddingSplitCodeFixTests
{
    private const string Explicit = SamePaddingSplitCodeFixProvider.ExplicitPaddingKey;
    private const string OddKernel = SamePaddingSplitCodeFixProvider.OddKernelKey;

    [Fact]
    public Task Conv1d_ExplicitPadding_IsLeftAndRight()
        => Test.VerifyFix(
            Test.Declare("[Network(2, 16)]\n[Conv1d(4, 4, {|CG0002:Pad = Pad.Same|})]"),
            Test.Declare("[Network(2, 16)]\n[Conv1d(4, 4, PadLeft = 1, PadRight = 2)]"),
            Explicit);

    [Fact]
    public Task Conv1d_OddKernel_KeepsSame()
        => Test.VerifyFix(
            Test.Declare("[Network(2, 16)]\n[Conv1d(4, 4, {|CG0002:Pad = Pad.Same|})]"),
            Test.Declare("[Network(2, 16)]\n[Conv1d(4, 5, Pad = Pad.Same)]"),
            OddKernel);

    [Fact]
    public async Task Conv2d_ExplicitPadding_IsAllFourSides_AndFixesBothAxes()
    {
        // Both axes are flagged in one diagnostic at the Pad argument; one fix clears both.
        var test = new Test
        {
            TestCode = Test.Declare("[Network(3, 8, 8)]\n[Conv2d(8, 2, Pad = Pad.Same)]"),
            FixedCode = Test.Declare("[Network(3, 8, 8)]\n[Conv2d(8, 2, PadTop = 0, PadBottom = 1, PadLeft = 0, PadRight = 1)]"),
            CodeActionEquivalenceKey = Explicit,
            CodeActionVerifier = (action, verifier) => verifier.Equal("Make the padding explicit", action.Title),
        };
        test.ExpectedDiagnostics.Add(new DiagnosticResult("CG0002", DiagnosticSeverity.Warning).WithSpan(6, 15, 6, 29)
            .WithMessage("Conv2d #0: padding 'same' cannot be split evenly along the height and the width (d(k-1) = 1*(2-1) = 1 is odd: PyTorch pads 0 before and 1 after), which shifts the output grid by half a pixel; make the padding explicit or use kernel size 3"));
        await test.RunAsync();
    }

    [Fact]
    public async Task Conv2d_SquareOddKernel_ReplacesTheSingleArgument()
    {
        var test = new Test
        {
            TestCode = Test.Declare("[Network(3, 8, 8)]\n[Conv2d(8, 2, {|CG0002:Pad = Pad.Same|})]"),
            FixedCode = Test.Declare("[Network(3, 8, 8)]\n[Conv2d(8, 3, Pad = Pad.Same)]"),
            CodeActionEquivalenceKey = OddKernel,
            CodeActionVerifier = (action, verifier) => verifier.Equal("Use kernel size 3", action.Title),
        };
        await test.RunAsync();
    }

    [Fact]
    public async Task Conv2d_OneAxisFlagged_SplitsASquareKernel()
    {
        // Dilation 2 makes d(k-1) even along the height: only the width needs kernel 5.
        var test = new Test
        {
            TestCode = Test.Declare("[Network(3, 16, 16)]\n[Conv2d(8, 4, DilationH = 2, {|CG0002:Pad = Pad.Same|})]"),
            FixedCode = Test.Declare("[Network(3, 16, 16)]\n[Conv2d(8, 4, 5, DilationH = 2, Pad = Pad.Same)]"),
            CodeActionEquivalenceKey = OddKernel,
            CodeActionVerifier = (action, verifier) => verifier.Equal("Use kernel size 4x5", action.Title),
        };
        await test.RunAsync();
    }

    [Fact]
    public Task Conv2d_OneAxisFlagged_ExplicitPaddingKeepsTheEvenSplit()
        => Test.VerifyFix(
            Test.Declare("[Network(3, 16, 16)]\n[Conv2d(8, 4, DilationH = 2, {|CG0002:Pad = Pad.Same|})]"),
            Test.Declare("[Network(3, 16, 16)]\n[Conv2d(8, 4, DilationH = 2, PadTop = 3, PadBottom = 3, PadLeft = 1, PadRight = 2)]"),
            Explicit);

    [Fact]
    public Task Conv2d_SeparateKernel_ChangesOnlyTheFlaggedAxis()
        => Test.VerifyFix(
            Test.Declare("[Network(3, 8, 8)]\n[Conv2d(8, 3, 4, {|CG0002:Pad = Pad.Same|})]"),
            Test.Declare("[Network(3, 8, 8)]\n[Conv2d(8, 3, 5, Pad = Pad.Same)]"),
            OddKernel);

    [Fact]
    public async Task Conv2d_SeparateKernel_BothAxesFlagged_ChangesBoth()
    {
        var test = new Test
        {
            TestCode = Test.Declare("[Network(3, 8, 8)]\n[Conv2d(8, 2, 4, {|CG0002:Pad = Pad.Same|})]"),
            FixedCode = Test.Declare("[Network(3, 8, 8)]\n[Conv2d(8, 3, 5, Pad = Pad.Same)]"),
            CodeActionEquivalenceKey = OddKernel,
            CodeActionVerifier = (action, verifier) => verifier.Equal("Use kernel size 3x5", action.Title),
        };
        await test.RunAsync();
    }

    [Fact]
    public Task MultiLineArguments_KeepTheirLayout()
        => Test.VerifyFix(
            Test.Declare("[Network(2, 16)]\n[Conv1d(4, 4,\n        {|CG0002:Pad = Pad.Same|},\n        Name = \"conv\")]"),
            Test.Declare("[Network(2, 16)]\n[Conv1d(4, 4,\n        PadLeft = 1, PadRight = 2,\n        Name = \"conv\")]"),
            Explicit);

    [Fact]
    public Task FixAll_FixesEveryLayerAndNetwork()
        => Test.VerifyFix(
            Test.Declare("[Network(2, 16)]\n[Conv1d(4, 4, {|CG0002:Pad = Pad.Same|}), ReLU, Conv1d(4, 2, {|CG0002:Pad = Pad.Same|})]")
                + "\n" + Test.Network("[Network(3, 8, 8)]\n[Conv2d(8, 2, {|CG0002:Pad = Pad.Same|})]", "Net2"),
            Test.Declare("[Network(2, 16)]\n[Conv1d(4, 5, Pad = Pad.Same), ReLU, Conv1d(4, 3, Pad = Pad.Same)]")
                + "\n" + Test.Network("[Network(3, 8, 8)]\n[Conv2d(8, 3, Pad = Pad.Same)]", "Net2"),
            OddKernel);

    [Fact]
    public Task KernelGivenByAConstant_GetsOnlyTheExplicitPadding()
        => Test.VerifyNoFix(
            Test.Declare("[Network(2, 16)]\n[Conv1d(4, Sizes.Kernel, {|CG0002:Pad = Pad.Same|})]")
                + "\ninternal static class Sizes\n{\n    public const int Kernel = 4;\n}\n",
            OddKernel);

    [Fact]
    public Task KernelGivenByAConstant_StillGetsTheExplicitPadding()
        => Test.VerifyFix(
            Test.Declare("[Network(2, 16)]\n[Conv1d(4, Sizes.Kernel, {|CG0002:Pad = Pad.Same|})]")
                + "\ninternal static class Sizes\n{\n    public const int Kernel = 4;\n}\n",
            Test.Declare("[Network(2, 16)]\n[Conv1d(4, Sizes.Kernel, PadLeft = 1, PadRight = 2)]")
                + "\ninternal static class Sizes\n{\n    public const int Kernel = 4;\n}\n",
            Explicit);
}
