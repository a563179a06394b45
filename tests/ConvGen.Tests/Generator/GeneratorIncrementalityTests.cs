using System.Linq;
using ConvGen.Generator;
using ConvGen.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace ConvGen.Tests.Generator;

/// <summary>
/// The pipeline caches: an edit that does not touch a network leaves its model Unchanged (or Cached) and its
/// source output Cached, so typing elsewhere never re-emits kernels; an edit to a layer does re-emit.
/// </summary>
public sealed class GeneratorIncrementalityTests
{
    private const string Helper = """
        namespace Tests;

        public static class Helper
        {
            public static int Twice(int x) => x * 2;
        }
        """;

    private static readonly string LeNet = SnapshotNetworks.Source("LeNet5");
    private static readonly string UNet = SnapshotNetworks.Source("TinyUNet");

    [Fact]
    public void AddingAnUnrelatedFile_LeavesEveryNetworkCached()
    {
        var (driver, compilation) = FirstRun(LeNet, UNet, Helper);

        var edited = compilation.AddSyntaxTrees(Parse("namespace Tests;\n\npublic sealed class Unrelated { }\n", "Unrelated.cs"));
        var run = driver.RunGenerators(edited).GetRunResult().Results.Single();

        AssertAllCached(run, networks: 2);
    }

    [Fact]
    public void EditingAMethodBodyInAnotherClass_LeavesEveryNetworkCached()
    {
        var (driver, compilation) = FirstRun(LeNet, UNet, Helper);

        var edited = Replace(compilation, "Source2.cs", Helper.Replace("x * 2", "x + x"));
        var run = driver.RunGenerators(edited).GetRunResult().Results.Single();

        AssertAllCached(run, networks: 2);
    }

    [Fact]
    public void EditingAnotherClassInTheNetworksOwnFile_LeavesTheNetworkCached()
    {
        // The edit moves the network's text; a valid network's model holds no positions, so it stays equal.
        string withHelper = LeNet + "\npublic static class Local\n{\n    public static int One() => 1;\n}\n";
        var (driver, compilation) = FirstRun(withHelper);

        string edited = "// a comment that shifts every span below it\n" + withHelper.Replace("=> 1;", "=> 1 + 0;");
        var run = driver.RunGenerators(Replace(compilation, "Source0.cs", edited)).GetRunResult().Results.Single();

        AssertAllCached(run, networks: 1);
    }

    [Fact]
    public void EditingALayerAttribute_ModifiesOnlyThatNetwork()
    {
        var (driver, compilation) = FirstRun(LeNet, UNet, Helper);

        var edited = Replace(compilation, "Source0.cs", LeNet.Replace("[Linear(84), ReLU]", "[Linear(64), ReLU]"));
        driver = driver.RunGenerators(edited);
        var run = driver.GetRunResult().Results.Single();

        var models = GeneratorRuns.ModelOutputs(run);
        Assert.Equal(2, models.Count);
        Assert.Single(models, m => m.Reason == IncrementalStepRunReason.Modified);
        Assert.Single(models, m => m.Reason is IncrementalStepRunReason.Unchanged or IncrementalStepRunReason.Cached);
        var outputs = GeneratorRuns.SourceOutputReasons(run);
        Assert.Contains(IncrementalStepRunReason.Modified, outputs);
        Assert.Single(outputs, r => r == IncrementalStepRunReason.Modified);
        Assert.Contains("public const int OutputLength = 10;", GeneratorRuns.Sources(run)[SnapshotNetworks.HintName("LeNet5")]);
        Assert.Contains("84 -> 10 features", GeneratorRuns.Sources(GeneratorRuns.Run(false, LeNet).Result)[SnapshotNetworks.HintName("LeNet5")]);
        Assert.Contains("64 -> 10 features", GeneratorRuns.Sources(run)[SnapshotNetworks.HintName("LeNet5")]);
    }

    [Fact]
    public void EditingANamedArgument_ModifiesTheOutput()
    {
        string source = GeneratorHarness.Declare("[Network(2, 8, 8)]\n[Conv2d(4, 3, Padding = 1), LeakyReLU(NegativeSlope = 0.2)]");
        var (driver, compilation) = FirstRun(source);

        var run = driver.RunGenerators(Replace(compilation, "Source0.cs", source.Replace("0.2", "0.3"))).GetRunResult().Results.Single();

        Assert.Equal(IncrementalStepRunReason.Modified, Assert.Single(GeneratorRuns.ModelOutputs(run)).Reason);
        Assert.Equal(IncrementalStepRunReason.Modified, Assert.Single(GeneratorRuns.SourceOutputReasons(run)));
        Assert.Contains("0.3f", GeneratorRuns.Sources(run).Values.Single());
    }

    [Fact]
    public void AnInvalidNetwork_IsRereportedAtItsNewPosition_AfterAnEditAboveIt()
    {
        // The analyzer reports on the current text; the generator's stub holds no position, so it does not change.
        string broken = GeneratorHarness.Declare("[Network(6, 8, 8)]\n[Conv2d(8, 3, Groups = 4)]");
        var (driver, compilation) = FirstRun(broken);
        string stub = GeneratorRuns.Sources(driver.GetRunResult().Results.Single()).Values.Single();
        GeneratorHarness.Driver().RunGeneratorsAndUpdateCompilation(compilation, out var output0, out _);
        var diagnostic0 = Assert.Single(GeneratorHarness.Analyze(output0));

        var edited = Replace(compilation, "Source0.cs", "// one more line\n" + broken);
        driver = driver.RunGeneratorsAndUpdateCompilation(edited, out var output, out _);
        var diagnostic = Assert.Single(GeneratorHarness.Analyze(output));

        Assert.Equal("CG0001", diagnostic.Id);
        Assert.Equal(diagnostic0.Location.GetLineSpan().StartLinePosition.Line + 1, diagnostic.Location.GetLineSpan().StartLinePosition.Line);
        Assert.Equal("Groups = 4", GeneratorRuns.SpanText(diagnostic, output));
        Assert.Equal(stub, GeneratorRuns.Sources(driver.GetRunResult().Results.Single()).Values.Single());
        Assert.True(GeneratorRuns.IsStub(stub));
    }

    [Fact]
    public void EditingAnotherClassInABrokenNetworksOwnFile_LeavesItsStubCached()
    {
        // As for a valid network: the generator no longer reports diagnostics, so nothing it emits depends on
        // where the declaration sits, and an edit that only moves it must not re-emit its stub.
        string withHelper = GeneratorHarness.Declare("[Network(6, 8, 8)]\n[Conv2d(8, 3, Groups = 4)]") + "\npublic static class Local\n{\n    public static int One() => 1;\n}\n";
        var (driver, compilation) = FirstRun(withHelper);

        string edited = "// a comment that shifts every span below it\n" + withHelper.Replace("=> 1;", "=> 1 + 0;", System.StringComparison.Ordinal);
        var run = driver.RunGenerators(Replace(compilation, "Source0.cs", edited)).GetRunResult().Results.Single();

        AssertAllCached(run, networks: 1, parsedModelsToo: false);
    }

    [Fact]
    public void RemovingTheNetwork_RemovesItsSource()
    {
        var (driver, compilation) = FirstRun(LeNet, UNet);

        var edited = compilation.RemoveSyntaxTrees(compilation.SyntaxTrees.Single(t => t.FilePath == "Source1.cs"));
        var run = driver.RunGenerators(edited).GetRunResult().Results.Single();

        Assert.Equal(new[] { SnapshotNetworks.HintName("LeNet5") }, GeneratorRuns.Sources(run).Keys);
    }

    private static (GeneratorDriver Driver, CSharpCompilation Compilation) FirstRun(params string[] sources)
    {
        var compilation = GeneratorHarness.Compilation(sources);
        var driver = GeneratorHarness.Driver(trackSteps: true).RunGenerators(compilation);
        var run = driver.GetRunResult().Results.Single();
        Assert.Null(run.Exception);
        Assert.All(GeneratorRuns.ModelOutputs(run), m => Assert.Equal(IncrementalStepRunReason.New, m.Reason));
        Assert.All(GeneratorRuns.SourceOutputReasons(run), r => Assert.Equal(IncrementalStepRunReason.New, r));
        return (driver, compilation);
    }

    private static void AssertAllCached(GeneratorRunResult run, int networks, bool parsedModelsToo = true)
    {
        Assert.Null(run.Exception);
        if (parsedModelsToo)
        {
            Assert.All(GeneratorRuns.ModelOutputs(run), m => Assert.True(
                m.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
                $"{TrackingNames.Model} output was {m.Reason}: {m.Value}"));
        }

        // The output step reads the model without its diagnostics (whose spans move with any edit above the
        // class); for a valid network without findings the parsed model itself is unchanged too.
        var models = GeneratorRuns.EmissionOutputs(run);
        Assert.Equal(networks, models.Count);
        Assert.All(models, m => Assert.True(
            m.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
            $"{TrackingNames.Emission} output was {m.Reason}: {m.Value}"));
        var outputs = GeneratorRuns.SourceOutputReasons(run);
        Assert.Equal(networks, outputs.Count);
        Assert.All(outputs, r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"source output was {r}"));
    }

    private static SyntaxTree Parse(string text, string path) => CSharpSyntaxTree.ParseText(text, GeneratorHarness.ParseOptions, path: path);

    private static CSharpCompilation Replace(CSharpCompilation compilation, string path, string text)
        => compilation.ReplaceSyntaxTree(compilation.SyntaxTrees.Single(t => t.FilePath == path), Parse(text, path));
}
