using System.Threading.Tasks;
using ConvGen.CodeFixes;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Test = ConvGen.Tests.CodeFixes.CodeFixTest<ConvGen.CodeFixes.GroupsCodeFixProvider>;

namespace ConvGen.Tests.CodeFixes;

/// <summary>CG0001: "Use groups = N" for each of the nearest valid group counts.</summary>
public sealed class GroupsCodeFixTests
{
    [Fact]
    public Task NearestValidGroups_ReplacesTheValue()
        => Test.VerifyFix(
            Test.Declare("[Network(6, 8, 8)]\n[Conv2d(6, 3, Padding = 1, {|CG0001:Groups = 4|})]"),
            Test.Declare("[Network(6, 8, 8)]\n[Conv2d(6, 3, Padding = 1, Groups = 3)]"),
            GroupsCodeFixProvider.EquivalenceKeyPrefix + "3");

    [Fact]
    public Task SecondNearestValidGroups_IsOfferedToo()
        => Test.VerifyFix(
            Test.Declare("[Network(6, 8, 8)]\n[Conv2d(6, 3, Padding = 1, {|CG0001:Groups = 4|})]"),
            Test.Declare("[Network(6, 8, 8)]\n[Conv2d(6, 3, Padding = 1, Groups = 2)]"),
            GroupsCodeFixProvider.EquivalenceKeyPrefix + "2");

    [Fact]
    public async Task Title_NamesTheGroupCount_AndTheMessageListsTheValidOnes()
    {
        var test = new Test
        {
            TestCode = Test.Declare("[Network(8, 8, 8)]\n[Conv2d(6, 3, Groups = 4)]"),
            FixedCode = Test.Declare("[Network(8, 8, 8)]\n[Conv2d(6, 3, Groups = 2)]"),
            CodeActionEquivalenceKey = GroupsCodeFixProvider.EquivalenceKeyPrefix + "2",
            CodeActionVerifier = (action, verifier) => verifier.Equal("Use groups = 2", action.Title),
        };
        test.ExpectedDiagnostics.Add(new DiagnosticResult("CG0001", Microsoft.CodeAnalysis.DiagnosticSeverity.Error)
            .WithSpan(6, 15, 6, 25)
            .WithMessage("Conv2d #0: out_channels 6 is not divisible by groups 4 (6 / 4 = 1.5), so the channels cannot be split into equal groups; use Groups = 2 (valid: 1, 2)"));
        await test.RunAsync();
    }

    [Fact]
    public Task TransposedConvolution_IsFixedAlike()
        => Test.VerifyFix(
            Test.Declare("[Network(4, 8, 8)]\n[ConvTranspose2d(6, 2, Stride = 2, {|CG0001:Groups = 4|})]"),
            Test.Declare("[Network(4, 8, 8)]\n[ConvTranspose2d(6, 2, Stride = 2, Groups = 2)]"),
            GroupsCodeFixProvider.EquivalenceKeyPrefix + "2");

    [Fact]
    public Task FixAll_FixesEveryNetworkInTheDocument()
        => Test.VerifyFix(
            Test.Declare("[Network(6, 8, 8)]\n[Conv2d(6, 3, Padding = 1, {|CG0001:Groups = 4|})]")
                + "\n" + Test.Network("[Network(6, 8)]\n[Conv1d(6, 3, {|CG0001:Groups = 4|})]", "Net2"),
            Test.Declare("[Network(6, 8, 8)]\n[Conv2d(6, 3, Padding = 1, Groups = 3)]")
                + "\n" + Test.Network("[Network(6, 8)]\n[Conv1d(6, 3, Groups = 3)]", "Net2"),
            GroupsCodeFixProvider.EquivalenceKeyPrefix + "3");

    [Fact]
    public Task GroupsGivenByAConstant_GetsNoFix()
        => Test.VerifyNoFix(
            Test.Declare("[Network(6, 8, 8)]\n[Conv2d(6, 3, Padding = 1, {|CG0001:Groups = Sizes.Groups|})]")
                + "\ninternal static class Sizes\n{\n    public const int Groups = 4;\n}\n");

    [Fact]
    public Task GroupsBelowOne_HasNoFixData_AndGetsNoFix()
        => Test.VerifyNoFix(Test.Declare("[Network(2, 16)]\n[Conv1d(4, 3, {|CG0001:Groups = 0|})]"));
}
