using System.Threading.Tasks;
using ConvGen.CodeFixes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Test = ConvGen.Tests.CodeFixes.CodeFixTest<ConvGen.CodeFixes.CausalPaddingCodeFixProvider>;

namespace ConvGen.Tests.CodeFixes;

/// <summary>
/// CG0004: a Conv1d that sees the future becomes <c>Pad = Pad.Causal</c> with no padding numbers. Once a causal
/// network is clean, CG0014 reports its context length as info on the network attribute: the fixed states of
/// causal networks expect that info and nothing else.
/// </summary>
public sealed class CausalPaddingCodeFixTests
{
    private const string Key = CausalPaddingCodeFixProvider.CausalPaddingKey;

    private static DiagnosticResult Context(int samples, int line = 5, int column = 2, int endColumn = 31)
        => new DiagnosticResult("CG0014", DiagnosticSeverity.Info)
            .WithSpan(line, column, line, endColumn)
            .WithMessage($"The network is causal: each output sees {samples} samples of context (1 + Σ d(k-1)·jump)");

    [Fact]
    public async Task SymmetricPadding_InACausalNetwork_BecomesCausal()
    {
        var test = new Test
        {
            TestCode = Test.Declare("[Network(2, 16, Causal = true)]\n[Conv1d(4, 3, Padding = 1)]"),
            FixedCode = Test.Declare("[Network(2, 16, Causal = true)]\n[Conv1d(4, 3, Pad = Pad.Causal)]"),
            CodeActionEquivalenceKey = Key,
            CodeActionVerifier = (action, verifier) => verifier.Equal("Use causal padding", action.Title),
        };
        test.ExpectedDiagnostics.Add(new DiagnosticResult("CG0004", DiagnosticSeverity.Error).WithSpan(6, 2, 6, 27)
            .WithMessage("Conv1d #0: sees the future in a causal network: output t reads inputs t-1..t+1, 1 sample(s) after t (padding left 1; causal needs left d(k-1) = 2): use Pad = Pad.Causal"));
        test.FixedState.ExpectedDiagnostics.Add(Context(3));
        await test.RunAsync();
    }

    [Fact]
    public async Task SamePadding_InACausalNetwork_IsRewrittenInPlace()
    {
        var test = new Test
        {
            TestCode = Test.Declare("[Network(2, 16, Causal = true)]\n[Conv1d(4, 3, {|CG0004:Pad = Pad.Same|}, Dilation = 2)]"),
            FixedCode = Test.Declare("[Network(2, 16, Causal = true)]\n[Conv1d(4, 3, Pad = Pad.Causal, Dilation = 2)]"),
            CodeActionEquivalenceKey = Key,
        };
        test.FixedState.ExpectedDiagnostics.Add(Context(5));
        await test.RunAsync();
    }

    [Fact]
    public Task CausalWithPaddingNumbers_DropsTheNumbers()
        => Test.VerifyFix(
            Test.Declare("[Network(2, 16)]\n[Conv1d(4, 3, {|CG0004:Pad = Pad.Causal|}, Padding = 1, Dilation = 2, Name = \"tcn\")]"),
            Test.Declare("[Network(2, 16)]\n[Conv1d(4, 3, Pad = Pad.Causal, Dilation = 2, Name = \"tcn\")]"),
            Key);

    [Fact]
    public async Task PadLeftAndPadRight_OnSeparateLines_AreRemovedWithTheirLines()
    {
        var test = new Test
        {
            TestCode = Test.Declare("[Network(2, 16, Causal = true)]\n[{|CG0004:Conv1d(4, 3,\n    PadLeft = 1,\n    PadRight = 1,\n    Name = \"tcn\")|}]"),
            FixedCode = Test.Declare("[Network(2, 16, Causal = true)]\n[Conv1d(4, 3,\n    Name = \"tcn\",\n    Pad = Pad.Causal)]"),
            CodeActionEquivalenceKey = Key,
        };
        test.FixedState.ExpectedDiagnostics.Add(Context(3));
        await test.RunAsync();
    }

    [Fact]
    public async Task QualifiedPad_KeepsItsQualification()
    {
        var test = new Test
        {
            TestCode = Test.Declare("[Network(2, 16, Causal = true)]\n[Conv1d(4, 3, {|CG0004:Pad = ConvGen.Pad.Same|})]"),
            FixedCode = Test.Declare("[Network(2, 16, Causal = true)]\n[Conv1d(4, 3, Pad = ConvGen.Pad.Causal)]"),
            CodeActionEquivalenceKey = Key,
        };
        test.FixedState.ExpectedDiagnostics.Add(Context(3));
        await test.RunAsync();
    }

    [Fact]
    public async Task WithoutAUsing_TheAddedPadIsQualified()
    {
        const string Before = "namespace Tests;\n\n[ConvGen.Network(2, 16, Causal = true)]\n[{|CG0004:ConvGen.Conv1d(4, 3, Padding = 1)|}]\npublic partial class Net\n{\n}\n";
        const string After = "namespace Tests;\n\n[ConvGen.Network(2, 16, Causal = true)]\n[ConvGen.Conv1d(4, 3, Pad = ConvGen.Pad.Causal)]\npublic partial class Net\n{\n}\n";
        var test = new Test { TestCode = Before, FixedCode = After, CodeActionEquivalenceKey = Key };
        test.FixedState.ExpectedDiagnostics.Add(Context(3, line: 3, endColumn: 39));
        await test.RunAsync();
    }

    [Fact]
    public async Task FixAll_FixesEveryLayer()
    {
        var test = new Test
        {
            TestCode = Test.Declare("[Network(2, 16, Causal = true)]\n[{|CG0004:Conv1d(4, 3, Padding = 1)|}, ReLU, Conv1d(4, 3, {|CG0004:Pad = Pad.Same|})]"),
            FixedCode = Test.Declare("[Network(2, 16, Causal = true)]\n[Conv1d(4, 3, Pad = Pad.Causal), ReLU, Conv1d(4, 3, Pad = Pad.Causal)]"),
            CodeActionEquivalenceKey = Key,
        };
        test.FixedState.ExpectedDiagnostics.Add(Context(5));
        await test.RunAsync();
    }

    [Fact]
    public Task CausalOnA2DConvolution_HasNoFixData_AndGetsNoFix()
        => Test.VerifyNoFix(Test.Declare("[Network(3, 8, 8)]\n[Conv2d(8, 3, {|CG0004:Pad = Pad.Causal|})]"));

    [Fact]
    public Task PadGivenByAConstant_GetsNoFix()
        => Test.VerifyNoFix(
            Test.Declare("[Network(2, 16, Causal = true)]\n[Conv1d(4, 3, {|CG0004:Pad = Defaults.Pad|})]")
                + "\ninternal static class Defaults\n{\n    public const ConvGen.Pad Pad = ConvGen.Pad.Same;\n}\n");
}
