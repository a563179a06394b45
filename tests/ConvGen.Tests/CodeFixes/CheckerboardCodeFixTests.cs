using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using ConvGen.Analyzers;
using ConvGen.CodeFixes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Test = ConvGen.Tests.CodeFixes.CodeFixTest<ConvGen.CodeFixes.CheckerboardCodeFixProvider>;

namespace ConvGen.Tests.CodeFixes;

/// <summary>
/// CG0005: a transposed convolution's kernel becomes the nearest multiple of its stride (the whole kernel, one
/// edit for both axes), or the layer is replaced by Upsample + Conv or Conv + PixelShuffle. Every test also runs
/// Fix All and checks the fixed source's diagnostics: no CG0005 (unless marked) and no compiler or CG errors.
/// </summary>
public sealed class CheckerboardCodeFixTests
{
    private const string UpsampleConv = CheckerboardCodeFixProvider.UpsampleConvKey;
    private const string PixelShuffle = CheckerboardCodeFixProvider.ConvPixelShuffleKey;

    private static readonly string Sizes = "\ninternal static class Sizes\n{\n    public const int Kernel = 3;\n    public const int Channels = 8;\n}\n";

    // "Use kernel size K".

    [Fact]
    public async Task ConvTranspose1d_ReplacesTheKernel()
    {
        var test = new Test
        {
            TestCode = Test.Declare("[Network(2, 8)]\n[ConvTranspose1d(4, 3, Stride = 2)]"),
            FixedCode = Test.Declare("[Network(2, 8)]\n[ConvTranspose1d(4, 4, Stride = 2)]"),
            CodeActionEquivalenceKey = CheckerboardCodeFixProvider.KernelKey(4),
            CodeActionVerifier = (action, verifier) => verifier.Equal("Use kernel size 4", action.Title),
        };
        test.ExpectedDiagnostics.Add(new DiagnosticResult("CG0005", DiagnosticSeverity.Warning).WithSpan(6, 21, 6, 22)
            .WithMessage("ConvTranspose1d #0: the overlap is uneven along the length (kernel 3 is not divisible by stride 2: neighbouring outputs receive 2,1,2,1,… contributions), which paints checkerboard artifacts; use kernel 4 (or Upsample(nearest) + Conv, or Conv + PixelShuffle)"));
        await test.RunAsync();
    }

    [Fact]
    public Task SquareKernel_BothAxesFlagged_ReplacesTheSingleArgument()
        => Test.VerifyFix(
            Test.Declare("[Network(2, 8, 8)]\n[ConvTranspose2d(4, {|CG0005:3|}, Stride = 2)]"),
            Test.Declare("[Network(2, 8, 8)]\n[ConvTranspose2d(4, 4, Stride = 2)]"),
            CheckerboardCodeFixProvider.KernelKey(4));

    [Fact]
    public async Task FixAll_SquareKernel_BothAxesFlagged_AppliesTheEditOnce()
    {
        // Both diagnostics of a layer make the same edit under the same key; Fix All (document, project,
        // solution) merges them into one, in every layer and network.
        var test = new Test
        {
            TestCode = Test.Declare("[Network(2, 8, 8)]\n[ConvTranspose2d(4, {|CG0005:3|}, Stride = 2), ReLU, ConvTranspose2d(4, {|CG0005:5|}, Stride = 4)]")
                + "\n" + Test.Network("[Network(2, 8, 8)]\n[ConvTranspose2d(4, {|CG0005:3|}, Stride = 2, Padding = 1)]", "Net2"),
            FixedCode = Test.Declare("[Network(2, 8, 8)]\n[ConvTranspose2d(4, 4, Stride = 2), ReLU, ConvTranspose2d(4, 4, Stride = 4)]")
                + "\n" + Test.Network("[Network(2, 8, 8)]\n[ConvTranspose2d(4, 4, Stride = 2, Padding = 1)]", "Net2"),
            CodeActionEquivalenceKey = CheckerboardCodeFixProvider.KernelKey(4),
            NumberOfFixAllIterations = 1,
            NumberOfFixAllInDocumentIterations = 1,
            NumberOfFixAllInProjectIterations = 1,
        };
        await test.RunAsync();
    }

    [Fact]
    public Task SquareKernel_OneAxisFlagged_SplitsTheKernel()
        => Test.VerifyFix(
            Test.Declare("[Network(2, 8, 8)]\n[ConvTranspose2d(4, {|CG0005:3|}, StrideH = 2)]"),
            Test.Declare("[Network(2, 8, 8)]\n[ConvTranspose2d(4, 4, 3, StrideH = 2)]"),
            CheckerboardCodeFixProvider.KernelKey(4, 3));

    [Fact]
    public Task NamedSquareKernel_OneAxisFlagged_SplitsIntoNamedArguments()
        => Test.VerifyFix(
            Test.Declare("[Network(2, 8, 8)]\n[ConvTranspose2d(4, {|CG0005:kernelSize: 3|}, StrideW = 2)]"),
            Test.Declare("[Network(2, 8, 8)]\n[ConvTranspose2d(4, kernelHeight: 3, kernelWidth: 4, StrideW = 2)]"),
            CheckerboardCodeFixProvider.KernelKey(3, 4));

    [Fact]
    public Task SeparateKernel_EachAxisGetsItsOwnMultiple()
        => Test.VerifyFix(
            Test.Declare("[Network(2, 8, 8)]\n[{|CG0005:ConvTranspose2d(4, 3, 5, Stride = 2)|}]"),
            Test.Declare("[Network(2, 8, 8)]\n[ConvTranspose2d(4, 4, 6, Stride = 2)]"),
            CheckerboardCodeFixProvider.KernelKey(4, 6));

    [Fact]
    public Task SquareKernel_BothAxesFlaggedWithDifferentStrides_SameMultiple_StaysSquare()
        // 5 → 6 for stride 2 and for stride 3.
        => Test.VerifyFix(
            Test.Declare("[Network(2, 8, 8)]\n[ConvTranspose2d(4, {|CG0005:5|}, StrideH = 2, StrideW = 3)]"),
            Test.Declare("[Network(2, 8, 8)]\n[ConvTranspose2d(4, 6, StrideH = 2, StrideW = 3)]"),
            CheckerboardCodeFixProvider.KernelKey(6));

    [Fact]
    public async Task SquareKernel_BothAxesFlaggedWithDifferentStrides_SplitsIntoBothMultiples()
    {
        // 5 → 6 for stride 2, 5 → 4 for stride 4: both diagnostics carry "kernels=6,4" and make the same edit.
        var test = new Test
        {
            TestCode = Test.Declare("[Network(2, 8, 8)]\n[ConvTranspose2d(4, {|CG0005:5|}, StrideH = 2, StrideW = 4)]"),
            FixedCode = Test.Declare("[Network(2, 8, 8)]\n[ConvTranspose2d(4, 6, 4, StrideH = 2, StrideW = 4)]"),
            CodeActionEquivalenceKey = CheckerboardCodeFixProvider.KernelKey(6, 4),
            CodeActionVerifier = (action, verifier) => verifier.Equal("Use kernel size 6x4", action.Title),
        };
        await test.RunAsync();
    }

    [Fact]
    public Task FixAll_FixesEveryLayerWithTheSameKernel()
        => Test.VerifyFix(
            Test.Declare("[Network(2, 8)]\n[ConvTranspose1d(4, {|CG0005:3|}, Stride = 2), ReLU, ConvTranspose1d(4, {|CG0005:5|}, Stride = 4)]"),
            Test.Declare("[Network(2, 8)]\n[ConvTranspose1d(4, 4, Stride = 2), ReLU, ConvTranspose1d(4, 4, Stride = 4)]"),
            CheckerboardCodeFixProvider.KernelKey(4));

    [Fact]
    public async Task FixAll_LeavesALayerWithAnotherKernel()
    {
        // "Use kernel size 4" does not write kernel 6 elsewhere: that layer has its own "Use kernel size 6".
        var test = new Test
        {
            TestCode = Test.Declare("[Network(2, 8)]\n[ConvTranspose1d(4, {|CG0005:3|}, Stride = 2), ReLU, ConvTranspose1d(4, {|CG0005:5|}, Stride = 3)]"),
            FixedCode = Test.Declare("[Network(2, 8)]\n[ConvTranspose1d(4, 4, Stride = 2), ReLU, ConvTranspose1d(4, {|CG0005:5|}, Stride = 3)]"),
            CodeActionEquivalenceKey = CheckerboardCodeFixProvider.KernelKey(4),
        };
        test.FixedState.MarkupHandling = MarkupMode.Allow;
        await test.RunAsync();
    }

    [Fact]
    public Task KernelGivenByAConstant_GetsNoKernelFix()
        => Test.VerifyNoFix(
            Test.Declare("[Network(2, 8)]\n[ConvTranspose1d(4, {|CG0005:Sizes.Kernel|}, Stride = 2)]") + Sizes);

    [Fact]
    public Task DilatedKernel_HasNoFixData_AndGetsNoFix()
        => Test.VerifyNoFix(Test.Declare("[Network(2, 8)]\n[ConvTranspose1d(4, {|CG0005:3|}, Stride = 2, Dilation = 2)]"));

    // "Replace with Upsample + Conv2d".

    [Fact]
    public async Task UpsampleConv2d_ReplacesTheLayer()
    {
        var test = new Test
        {
            TestCode = Test.Declare("[Network(16, 8, 8)]\n[ConvTranspose2d(8, {|CG0005:3|}, Stride = 2, Padding = 1, OutputPadding = 1), ReLU]"),
            FixedCode = Test.Declare("[Network(16, 8, 8)]\n[Upsample(2), Conv2d(8, 3, Padding = 1), ReLU]"),
            CodeActionEquivalenceKey = UpsampleConv,
            CodeActionVerifier = (action, verifier) => verifier.Equal("Replace with Upsample + Conv2d", action.Title),
        };
        await test.RunAsync();
    }

    [Fact]
    public async Task UpsampleConv1d_ReplacesTheLayer()
    {
        var test = new Test
        {
            TestCode = Test.Declare("[Network(2, 8)]\n[ConvTranspose1d(4, {|CG0005:3|}, Stride = 2, Padding = 1, OutputPadding = 1)]"),
            FixedCode = Test.Declare("[Network(2, 8)]\n[Upsample(2), Conv1d(4, 3, Padding = 1)]"),
            CodeActionEquivalenceKey = UpsampleConv,
            CodeActionVerifier = (action, verifier) => verifier.Equal("Replace with Upsample + Conv1d", action.Title),
        };
        await test.RunAsync();
    }

    [Fact]
    public Task UpsampleConv_KeepsNameAndBiasFalse_DropsTheRest()
        => Test.VerifyFix(
            Test.Declare("[Network(16, 8, 8)]\n[ConvTranspose2d(8, {|CG0005:3|}, Name = \"up\", Stride = 2, Padding = 1, OutputPadding = 1, Dilation = 1, Groups = 1, Bias = false)]"),
            Test.Declare("[Network(16, 8, 8)]\n[Upsample(2), Conv2d(8, 3, Padding = 1, Name = \"up\", Bias = false)]"),
            UpsampleConv);

    [Fact]
    public Task UpsampleConv_DropsBiasTrue()
        => Test.VerifyFix(
            Test.Declare("[Network(16, 8, 8)]\n[ConvTranspose2d(8, {|CG0005:3|}, StrideH = 2, StrideW = 2, PaddingH = 1, PaddingW = 1, OutputPaddingH = 1, OutputPaddingW = 1, Bias = true)]"),
            Test.Declare("[Network(16, 8, 8)]\n[Upsample(2), Conv2d(8, 3, Padding = 1)]"),
            UpsampleConv);

    [Fact]
    public Task UpsampleConv_CopiesOutChannelsGivenByAConstant()
        => Test.VerifyFix(
            Test.Declare("[Network(16, 8, 8)]\n[ConvTranspose2d(Sizes.Channels, {|CG0005:3|}, Stride = 2, Padding = 1, OutputPadding = 1)]") + Sizes,
            Test.Declare("[Network(16, 8, 8)]\n[Upsample(2), Conv2d(Sizes.Channels, 3, Padding = 1)]") + Sizes,
            UpsampleConv);

    [Fact]
    public Task UpsampleConv_Stride3()
        // (n - 1)·3 - 2 + 5 = 3n: kernel 5, stride 3, padding 1 triples the size.
        => Test.VerifyFix(
            Test.Declare("[Network(16, 8, 8)]\n[ConvTranspose2d(16, {|CG0005:5|}, Stride = 3, Padding = 1)]"),
            Test.Declare("[Network(16, 8, 8)]\n[Upsample(3), Conv2d(16, 3, Padding = 1)]"),
            UpsampleConv);

    [Fact]
    public Task UpsampleConv_KeepsTheQualifiedSpelling()
        => Test.VerifyFix(
            Test.Declare("[Network(16, 8, 8)]\n[ConvGen.ConvTranspose2dAttribute(8, {|CG0005:3|}, Stride = 2, Padding = 1, OutputPadding = 1)]"),
            Test.Declare("[Network(16, 8, 8)]\n[ConvGen.UpsampleAttribute(2), ConvGen.Conv2dAttribute(8, 3, Padding = 1)]"),
            UpsampleConv);

    [Fact]
    public Task UpsampleConv_UnderAnAlias_WritesTheSimplifiedName()
        => Test.VerifyFix(
            "using Up = ConvGen.ConvTranspose2dAttribute;\n" + Test.Declare("[Network(16, 8, 8)]\n[Up(8, {|CG0005:3|}, Stride = 2, Padding = 1, OutputPadding = 1)]"),
            "using Up = ConvGen.ConvTranspose2dAttribute;\n" + Test.Declare("[Network(16, 8, 8)]\n[Upsample(2), Conv2d(8, 3, Padding = 1)]"),
            UpsampleConv);

    [Fact]
    public Task UpsampleConv_OneAttributePerLine_KeepsTheLayout()
        => Test.VerifyFix(
            Test.Declare("[Network(16, 8, 8)]\n[Conv2d(16, 3, Padding = 1),\n ConvTranspose2d(8, {|CG0005:3|}, Stride = 2, Padding = 1, OutputPadding = 1),\n ReLU]"),
            Test.Declare("[Network(16, 8, 8)]\n[Conv2d(16, 3, Padding = 1),\n Upsample(2),\n Conv2d(8, 3, Padding = 1),\n ReLU]"),
            UpsampleConv);

    [Fact]
    public Task FixAll_UpsampleConv_ReplacesEveryLayerOnce()
        => Test.VerifyFix(
            Test.Declare("[Network(16, 8, 8)]\n[ConvTranspose2d(8, {|CG0005:3|}, Stride = 2, Padding = 1, OutputPadding = 1), ReLU, ConvTranspose2d(4, {|CG0005:3|}, Stride = 2, Padding = 1, OutputPadding = 1)]"),
            Test.Declare("[Network(16, 8, 8)]\n[Upsample(2), Conv2d(8, 3, Padding = 1), ReLU, Upsample(2), Conv2d(4, 3, Padding = 1)]"),
            UpsampleConv);

    // "Replace with Conv2d + PixelShuffle".

    [Fact]
    public async Task ConvPixelShuffle_MultipliesTheChannels()
    {
        var test = new Test
        {
            TestCode = Test.Declare("[Network(16, 8, 8)]\n[ConvTranspose2d(16, {|CG0005:3|}, Stride = 2, Padding = 1, OutputPadding = 1, Name = \"up\"), ReLU]"),
            FixedCode = Test.Declare("[Network(16, 8, 8)]\n[Conv2d(64, 3, Padding = 1, Name = \"up\"), PixelShuffle(2), ReLU]"),
            CodeActionEquivalenceKey = PixelShuffle,
            CodeActionVerifier = (action, verifier) => verifier.Equal("Replace with Conv2d + PixelShuffle", action.Title),
        };
        await test.RunAsync();
    }

    [Fact]
    public Task ConvPixelShuffle_Stride3()
        => Test.VerifyFix(
            Test.Declare("[Network(16, 8, 8)]\n[ConvTranspose2d(16, {|CG0005:5|}, Stride = 3, Padding = 1, Bias = false)]"),
            Test.Declare("[Network(16, 8, 8)]\n[Conv2d(144, 3, Padding = 1, Bias = false), PixelShuffle(3)]"),
            PixelShuffle);

    [Fact]
    public Task ConvPixelShuffle_NotOfferedWhenOutChannelsIsAConstant()
        => Test.VerifyNoFix(
            Test.Declare("[Network(16, 8, 8)]\n[ConvTranspose2d(Sizes.Channels, {|CG0005:3|}, Stride = 2, Padding = 1, OutputPadding = 1)]") + Sizes,
            PixelShuffle);

    [Fact]
    public Task ConvPixelShuffle_NotOfferedIn1D()
        => Test.VerifyNoFix(
            Test.Declare("[Network(2, 8)]\n[ConvTranspose1d(4, {|CG0005:3|}, Stride = 2, Padding = 1, OutputPadding = 1)]"),
            PixelShuffle);

    // No replacement without "upsample=S" in the data.

    [Theory]
    [InlineData(UpsampleConv)]
    [InlineData(PixelShuffle)]
    public Task NoReplacement_WhenTheOutputIsNotExactlySTimesTheInput(string key)
        // k = 3, s = 2, p = 0: (n - 1)·2 + 3 = 2n + 1.
        => Test.VerifyNoFix(Test.Declare("[Network(16, 8, 8)]\n[ConvTranspose2d(8, {|CG0005:3|}, Stride = 2)]"), key);

    [Theory]
    [InlineData(UpsampleConv)]
    [InlineData(PixelShuffle)]
    public Task NoReplacement_WithDifferentStridesPerAxis(string key)
        // One stride per axis (2 and 4): no single Upsample factor.
        => Test.VerifyNoFix(Test.Declare("[Network(16, 8, 8)]\n[ConvTranspose2d(8, {|CG0005:5|}, StrideH = 2, StrideW = 4)]"), key);

    [Theory]
    [InlineData(UpsampleConv)]
    [InlineData(PixelShuffle)]
    public Task NoReplacement_WithGroups(string key)
        => Test.VerifyNoFix(Test.Declare("[Network(16, 8, 8)]\n[ConvTranspose2d(8, {|CG0005:3|}, Stride = 2, Padding = 1, OutputPadding = 1, Groups = 2)]"), key);

    // One light bulb for both axes.

    [Fact]
    public async Task BothAxesAtOneSpan_OfferEachFixOnce()
    {
        // The IDE passes the diagnostics of one span together: each fix is registered once, for both of them.
        using var workspace = new AdhocWorkspace();
        var references = Basic.Reference.Assemblies.Net100.References.All
            .Append(MetadataReference.CreateFromFile(typeof(NetworkAttribute).Assembly.Location));
        var document = workspace.AddProject("Test", LanguageNames.CSharp)
            .WithCompilationOptions(new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary))
            .WithMetadataReferences(references)
            .AddDocument("Test0.cs", Test.Declare("[Network(16, 8, 8)]\n[ConvTranspose2d(16, 3, Stride = 2, Padding = 1, OutputPadding = 1)]"));
        var compilation = (await document.Project.GetCompilationAsync())!;
        var diagnostics = (await compilation.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new NetworkDeclarationAnalyzer())).GetAnalyzerDiagnosticsAsync())
            .Where(d => d.Id == "CG0005").ToImmutableArray();
        Assert.Single(diagnostics); // both axes in one diagnostic

        var actions = new List<(CodeAction Action, ImmutableArray<Diagnostic> Diagnostics)>();
        var context = new CodeFixContext(document, diagnostics[0].Location.SourceSpan, diagnostics, (action, fixes) => actions.Add((action, fixes)), CancellationToken.None);
        await new CheckerboardCodeFixProvider().RegisterCodeFixesAsync(context);

        Assert.Equal(
            new[] { "Use kernel size 4", "Replace with Upsample + Conv2d", "Replace with Conv2d + PixelShuffle" },
            actions.Select(a => a.Action.Title));
        Assert.Equal(
            new[] { CheckerboardCodeFixProvider.KernelKey(4), UpsampleConv, PixelShuffle },
            actions.Select(a => a.Action.EquivalenceKey));
        Assert.All(actions, a => Assert.Single(a.Diagnostics));
    }
}
