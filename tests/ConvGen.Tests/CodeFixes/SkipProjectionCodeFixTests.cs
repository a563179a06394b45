using System.Threading.Tasks;
using ConvGen.CodeFixes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Test = ConvGen.Tests.CodeFixes.CodeFixTest<ConvGen.CodeFixes.SkipProjectionCodeFixProvider>;

namespace ConvGen.Tests.CodeFixes;

/// <summary>CG0008: an Add whose saved tensor has another shape gets a 1x1 conv + BatchNorm projection.</summary>
public sealed class SkipProjectionCodeFixTests
{
    private const string Key = SkipProjectionCodeFixProvider.ProjectionKey;

    [Fact]
    public async Task Add_GetsProjection()
    {
        var test = new Test
        {
            TestCode = Test.Declare("[Network(2, 8, 8)]\n[Save(\"x\"), Conv2d(4, 3, Padding = 1), Add(\"x\")]"),
            FixedCode = Test.Declare("[Network(2, 8, 8)]\n[Save(\"x\"), Conv2d(4, 3, Padding = 1), Add(\"x\", Projection = true)]"),
            CodeActionEquivalenceKey = Key,
            CodeActionVerifier = (action, verifier) => verifier.Equal("Project with 1x1 conv + BatchNorm", action.Title),
        };
        test.ExpectedDiagnostics.Add(new DiagnosticResult("CG0008", DiagnosticSeverity.Error).WithSpan(6, 44, 6, 47)
            .WithMessage("Add #2: cannot add 'x' [2, 8, 8] to the current tensor [4, 8, 8]: shapes differ; use [Add(\"x\", Projection = true)] for a 1x1 conv + BatchNorm projection"));
        await test.RunAsync();
    }

    [Fact]
    public Task ProjectionFalse_BecomesTrue()
        => Test.VerifyFix(
            Test.Declare("[Network(2, 9, 9)]\n[Save(\"x\"), Conv2d(4, 3, Stride = 2, Padding = 1)]\n[Add({|CG0008:\"x\"|}, Projection = false, Name = \"shortcut\")]"),
            Test.Declare("[Network(2, 9, 9)]\n[Save(\"x\"), Conv2d(4, 3, Stride = 2, Padding = 1)]\n[Add(\"x\", Projection = true, Name = \"shortcut\")]"),
            Key);

    [Fact]
    public Task FixAll_FixesEveryNetworkInTheDocument()
        => Test.VerifyFix(
            Test.Declare("[Network(2, 8, 8)]\n[Save(\"x\"), Conv2d(4, 3, Padding = 1), Add({|CG0008:\"x\"|})]")
                + "\n" + Test.Network("[Network(2, 16)]\n[Save(\"skip\"), Conv1d(8, 3, Padding = 1), Add({|CG0008:\"skip\"|})]", "Net2"),
            Test.Declare("[Network(2, 8, 8)]\n[Save(\"x\"), Conv2d(4, 3, Padding = 1), Add(\"x\", Projection = true)]")
                + "\n" + Test.Network("[Network(2, 16)]\n[Save(\"skip\"), Conv1d(8, 3, Padding = 1), Add(\"skip\", Projection = true)]", "Net2"),
            Key);

    [Fact]
    public Task UnknownSkipName_HasNoFixData_AndGetsNoFix()
        => Test.VerifyNoFix(Test.Declare("[Network(2, 8, 8)]\n[Save(\"a\"), Conv2d(2, 3, Padding = 1)]\n[Add({|CG0008:\"b\"|})]"));

    [Fact]
    public Task ProjectionGivenByAConstant_GetsNoFix()
        => Test.VerifyNoFix(
            Test.Declare("[Network(2, 8, 8)]\n[Save(\"x\"), Conv2d(4, 3, Padding = 1), Add({|CG0008:\"x\"|}, Projection = Flags.Project)]")
                + "\ninternal static class Flags\n{\n    public const bool Project = false;\n}\n");
}
