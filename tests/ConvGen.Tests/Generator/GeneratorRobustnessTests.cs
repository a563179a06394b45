using System;
using System.Collections;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Reflection;
using ConvGen.Generator;
using ConvGen.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;
using Xunit.Abstractions;

namespace ConvGen.Tests.Generator;

/// <summary>
/// A generator never throws for user input (an exception becomes CS8785 and the user loses all generated
/// code) and never emits code that does not compile; the analyzer never throws either (AD0001). Whatever is
/// declared, the result is either a compiling network, or an analyzer error and a compiling stub.
/// </summary>
public sealed class GeneratorRobustnessTests
{
    private const int Declarations = 300;
    private const int Seed = 20250611;

    private readonly ITestOutputHelper _output;

    public GeneratorRobustnessTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void RandomDeclarations_NeverThrow_AndWhatIsGeneratedCompiles()
    {
        var clock = Stopwatch.StartNew();
        var random = new RandomDeclarations(Seed);
        var problems = new List<string>();
        var generated = new List<(string Source, RandomDeclarations.Kind Kind, string ClassName, bool Kernels)>();
        var kinds = new Dictionary<RandomDeclarations.Kind, (int Total, int Kernels)>();
        for (int i = 0; i < Declarations; i++)
        {
            string className = "Fuzz" + i;
            var (source, kind) = random.Next(className);
            var (result, _, _) = GeneratorRuns.Run(false, source);
            if (result.Exception is not null)
            {
                problems.Add($"#{i} threw {result.Exception.GetType().Name}: {result.Exception.Message}\n{source}");
                continue;
            }

            // The generator stays quiet (the analyzer reports); every class here is a public partial class, so it
            // gets kernels or the stub, never nothing.
            if (result.Diagnostics.Length > 0)
            {
                problems.Add($"#{i}: the generator reported {string.Join(", ", result.Diagnostics)}\n{source}");
            }

            if (result.GeneratedSources.Length != 1)
            {
                problems.Add($"#{i}: {result.GeneratedSources.Length} generated files\n{source}");
                continue;
            }

            bool kernels = GeneratorRuns.IsKernels(result.GeneratedSources[0].SourceText.ToString());
            var counts = kinds.TryGetValue(kind, out var c) ? c : default;
            kinds[kind] = (counts.Total + 1, counts.Kernels + (kernels ? 1 : 0));
            generated.Add((source, kind, className, kernels));
        }

        var generation = clock.Elapsed;

        // The analyzer never throws either (an exception is an AD0001 warning and the user loses every CG rule):
        // one run over every declaration, each in its own file.
        var all = GeneratorHarness.Compilation(generated.Select(g => g.Source).ToArray());
        var (diagnostics, exceptions) = GeneratorRuns.AnalyzeCatching(all);
        problems.AddRange(exceptions.Select(e => "the analyzer threw: " + e));
        problems.AddRange(diagnostics
            .Where(d => !d.Id.StartsWith("CG", StringComparison.Ordinal) || !d.Location.IsInSource)
            .Select(d => $"the analyzer reported {d} (not a CG rule in source)"));
        var analysis = clock.Elapsed - generation;

        // Compile every generated network of the mutated, wild and bad-syntax kinds (the likeliest to break) and
        // a quarter of the plausible ones, stubs included, in one compilation; only diagnostics in generated files count.
        var sample = generated.Where(g => g.Kind != RandomDeclarations.Kind.Plausible)
            .Concat(generated.Where(g => g.Kind == RandomDeclarations.Kind.Plausible).Where((_, i) => i % 4 == 0))
            .ToList();
        var (run, compilation, _) = GeneratorRuns.Run(false, sample.Select(s => s.Source).ToArray());
        GeneratorRuns.AssertNoException(run, "the compiled sample");
        foreach (var group in GeneratorRuns.CompileProblems(compilation, checkDocumentation: false, emit: false)
            .Where(d => GeneratorRuns.IsGenerated(d.Location.SourceTree))
            .GroupBy(d => System.IO.Path.GetFileName(d.Location.SourceTree!.FilePath)))
        {
            string className = group.Key.Split('.')[1];
            var declaration = sample.Single(s => s.ClassName == className).Source;
            problems.Add($"{group.Key} does not compile:\n  {string.Join("\n  ", group.Take(5))}\n{declaration}");
        }

        _output.WriteLine($"{Declarations} declarations generated in {generation.TotalSeconds:0.0} s, analyzed in {analysis.TotalSeconds:0.0} s; {sample.Count} generated networks compiled in {(clock.Elapsed - generation - analysis).TotalSeconds:0.0} s.");
        foreach (var (kind, (total, withKernels)) in kinds.OrderBy(k => k.Key))
        {
            _output.WriteLine($"  {kind}: {total} declarations, {withKernels} with kernels");
        }

        Assert.True(problems.Count == 0, $"{problems.Count} problems:\n\n" + string.Join("\n\n", problems.Take(12)));
        Assert.True(kinds[RandomDeclarations.Kind.Plausible].Kernels >= 30, "the fuzz should reach the emitter often");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"fuzz took {clock.Elapsed}");
    }

    [Fact]
    public void AnalyzerExceptions_AreCaught_ByTheFuzzCheck()
    {
        // The fuzz's "the analyzer never throws" is only as good as its net: a throwing analyzer must be caught.
        var (_, exceptions) = GeneratorRuns.AnalyzeCatching(GeneratorHarness.Compilation(GeneratorHarness.Declare("[Network(1, 4, 4)]\n[ReLU]")), new ThrowingAnalyzer());

        Assert.NotEmpty(exceptions);
        Assert.Contains("AD0001", exceptions[0], StringComparison.Ordinal);
    }

    [Fact]
    public void NetworkAttributeOnTwoPartialDeclarations_DoesNotThrow()
    {
        // CS0579 in the user's code, but the generator must still not crash: both declarations match the
        // attribute, and two identical hint names make AddSource throw.
        string first = "using ConvGen;\n\nnamespace Tests;\n\n[Network(1, 8, 8)]\n[Conv2d(2, 3), ReLU]\npublic partial class Net\n{\n}\n";
        string second = "using ConvGen;\n\nnamespace Tests;\n\n[Network(1, 8, 8)]\npublic partial class Net\n{\n}\n";

        var (result, _, _) = GeneratorRuns.Run(false, first, second);

        GeneratorRuns.AssertNoException(result, "[Network] on two partial declarations");
    }

    public static TheoryData<string> NonFiniteHyperParameters => new()
    {
        "[Conv2d(2, 3), LeakyReLU(NegativeSlope = double.NaN)]",
        "[Conv2d(2, 3), LeakyReLU(NegativeSlope = double.PositiveInfinity)]",
        "[Conv2d(2, 3), LeakyReLU(NegativeSlope = 1e39)]",
        "[LeakyReLU(NegativeSlope = double.NegativeInfinity)]",
        "[Conv2d(2, 3), BatchNorm2d(Eps = double.PositiveInfinity)]",
        "[BatchNorm2d(Eps = double.PositiveInfinity)]",
        "[BatchNorm2d(Eps = 1e-300)]",
    };

    [Theory]
    [MemberData(nameof(NonFiniteHyperParameters))]
    public void NonFiniteFloatArguments_AreReportedOrCompile(string layers)
        => AssertReportedOrCompiles(GeneratorHarness.Declare("[Network(1, 6, 6)]\n" + layers));

    public static TheoryData<string> OddNames => new()
    {
        "a\\\"b",
        "a\\\\b",
        "<b>&amp;",
        "ünïcödé",
    };

    [Theory]
    [MemberData(nameof(OddNames))]
    public void OddLayerNames_ProduceCompilingCode(string escapedName)
    {
        // Names flow into string literals, // comments and /// XML docs (the border-path helpers' summaries).
        string n = escapedName;
        string source = GeneratorHarness.Declare(
            $"[Network(1, 6, 6)]\n[Conv2d(2, 3, Padding = 1, Name = \"{n}\"), BatchNorm2d(Name = \"{n}bn\"), ReLU]\n"
            + $"[MaxPool2d(2, Padding = 1, Name = \"{n}pool\"), Save(\"{n}s\"), Conv2d(2, 1, Name = \"{n}c\"), Add(\"{n}s\", Name = \"{n}add\")]");

        var result = GeneratorHarness.Run(source);

        Assert.Empty(result.GeneratorDiagnostics);
        Assert.DoesNotContain(result.AnalyzerDiagnostics, d => d.Severity == DiagnosticSeverity.Error);
        var problems = GeneratorRuns.CompileProblems(result.Compilation);
        Assert.True(problems.Count == 0, string.Join("\n", problems) + "\n\n" + string.Join("\n", result.Sources.Values));
    }

    public static TheoryData<string> InvalidNames => new()
    {
        "",
        "   ",
        "block..conv",
        ".conv",
        "conv.",
        "line\\nbreak",
        "carriage\\rreturn",
        "line\\u2028separator",
        "next\\u0085line",
    };

    [Theory]
    [MemberData(nameof(InvalidNames))]
    public void NamesPyTorchRejectsOrThatBreakSource_AreReported(string escapedName)
    {
        // A name is a state_dict prefix: an empty segment ("", "a..b", ".a") names nothing PyTorch could write;
        // line breaks and control characters would break the generated source. All get CG0012 on the Name
        // argument, with the name shown escaped.
        var result = GeneratorHarness.Run(GeneratorHarness.Declare($"[Network(1, 6, 6)]\n[Conv2d(2, 3, Name = \"{escapedName}\")]"));

        var diagnostic = Assert.Single(result.AnalyzerDiagnostics);
        Assert.Equal("CG0012", diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.StartsWith("Name = ", GeneratorRuns.SpanText(diagnostic, result.Compilation), StringComparison.Ordinal);
        Assert.DoesNotContain('\n', diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(GeneratorRuns.IsStub(Assert.Single(result.Sources).Value));
        Assert.Empty(GeneratorRuns.CompileProblems(result.Compilation));
    }

    [Fact]
    public void UndefinedEnumValues_AreReportedOrCompile()
    {
        // Two convolutions whose (undefined) padding modes both fall back to the circular index map.
        AssertReportedOrCompiles(GeneratorHarness.Declare(
            "[Network(2, 8, 8)]\n[Conv2d(2, 3, Padding = 1, PaddingMode = PaddingMode.Circular), Conv2d(2, 3, Padding = 1, PaddingMode = (PaddingMode)7)]"));
        AssertReportedOrCompiles(GeneratorHarness.Declare(
            "[Network(2, 8, 8, Layout = (TensorLayout)5)]\n[Conv2d(2, 3, Pad = (Pad)42), Upsample(2, Mode = (UpsampleMode)9)]"));
    }

    [Theory]
    [InlineData("[Network(1, 50000, 50000)]\n[Conv2d(1, 1)]")]
    [InlineData("[Network(1, 1000, 1000)]\n[Conv2d(4096, 1)]")]
    [InlineData("[Network(3, 100000)]\n[Upsample(100000)]")]
    [InlineData("[Network(1, 256, 256)]\n[Flatten, Linear(100000), Linear(100000)]")]
    public void TensorsBeyondIntRange_AreReported(string attributes)
    {
        // Sizes are int constants and array lengths in the generated code: one that overflows int must be a
        // diagnostic, not a wrapped (negative or wrong) constant.
        var result = GeneratorHarness.Run(GeneratorHarness.Declare(attributes));

        Assert.True(
            result.AnalyzerDiagnostics.Any(d => d.Id == "CG0012" && d.Severity == DiagnosticSeverity.Error),
            "no diagnostic; generated:\n" + string.Join("\n", result.Sources.Values.SelectMany(s => s.Split('\n')).Where(l => l.Contains("Length = ", StringComparison.Ordinal) || l.Contains("new float[", StringComparison.Ordinal))));
        Assert.True(GeneratorRuns.IsStub(Assert.Single(result.Sources).Value));
    }

    [Theory]
    [InlineData(65536)]
    [InlineData(46341)]
    [InlineData(int.MaxValue)]
    public void HugeKernels_AreNeverUnrolled(int kernel)
    {
        // [Network(1, 1, 1)] [ConvTranspose2d(1, kernel)]: the emitter writes one statement per unrolled tap,
        // and kH·kW computed in int wraps to 0 or a negative number for these kernels, which passes the
        // 256-tap cap: emitting would write billions of lines until the generator runs out of memory. So the
        // schedule is checked directly (by reflection, without running the emitter), and a failure cannot
        // take the test run down with it.
        var unrolled = GeneratorInternals.UnrolledKernelTaps(
            channels: 1, height: 1, width: 1,
            ("Kind", "ConvTranspose"), ("AttributeName", "ConvTranspose2d"), ("Rank", 2), ("OutChannels", 1), ("KernelH", kernel), ("KernelW", kernel));

        Assert.All(unrolled, taps => Assert.InRange(taps, 0L, 256L));
    }

    [Theory]
    [InlineData("namespace @event;", "@class", "event.class.g.cs")]
    [InlineData("", "GlobalNet", "GlobalNet.g.cs")]
    [InlineData("namespace Outer.Inner;", "Net", "Outer.Inner.Net.g.cs")]
    public void NamespaceAndClassNames_ProduceCompilingCode(string namespaceLine, string className, string hint)
    {
        string source = $"using ConvGen;\n\n{namespaceLine}\n\n[Network(1, 6, 6)]\n[Conv2d(2, 3), ReLU]\ninternal partial class {className}\n{{\n}}\n";

        var result = GeneratorHarness.Run(source);

        Assert.Empty(result.GeneratorDiagnostics);
        Assert.Empty(result.AnalyzerDiagnostics);
        Assert.Equal(new[] { hint }, result.Sources.Keys);
        Assert.Empty(GeneratorRuns.CompileProblems(result.Compilation));
    }

    [Theory]
    [InlineData("public partial record Net;")]
    [InlineData("file partial class Net\n{\n}")]
    public void ClassKindsTheGeneratorCannotExtend_AreReported_NotSilentlyDropped(string declaration)
    {
        // [Network] is valid on a record class and on a file-local class, but the generator cannot add members
        // to either (a record's members clash; a file-local class is invisible from the generated file). The
        // user's own code that constructs the network must work, or a CG error must say why it cannot.
        string source = "using ConvGen;\n\nnamespace Tests;\n\n[Network(1, 6, 6)]\n[Conv2d(2, 3), ReLU]\n" + declaration + "\n\n"
            + "public static class Use\n{\n    public static object Create(global::ConvGen.ModelWeights weights) => new Net(weights);\n}\n";

        var (result, compilation, _) = GeneratorRuns.Run(false, source);

        GeneratorRuns.AssertNoException(result, declaration);
        Assert.Empty(result.Diagnostics);
        Assert.Empty(result.GeneratedSources);
        var (diagnostics, exceptions) = GeneratorRuns.AnalyzeCatching(compilation);
        Assert.Empty(exceptions);
        var error = Assert.Single(diagnostics);
        Assert.Equal("CG0012", error.Id);
        Assert.Equal(DiagnosticSeverity.Error, error.Severity);
        Assert.Equal("Net", GeneratorRuns.SpanText(error, compilation));
    }

    [Fact]
    public void NetworksWithoutKernels_Compile()
    {
        // Every layer passes the tensor through: Forward only copies (or transposes) it.
        AssertCompiles(GeneratorHarness.Declare("[Network(2, 4, 4)]\n[Identity, Dropout, Save(\"x\")]", className: "PassThrough"));
        AssertCompiles(GeneratorHarness.Declare("[Network(2, 4, 4, Layout = TensorLayout.Nhwc)]\n[Flatten]", className: "FlattenOnly"));
        AssertCompiles(GeneratorHarness.Declare("[Network(2, 4, 4)]\n[Save(\"x\"), Add(\"x\"), Concat(\"x\")]", className: "SelfSkip"));
    }

    private static void AssertReportedOrCompiles(string source)
    {
        // Reported: an analyzer error and the stub. Either way, what is generated compiles.
        var result = GeneratorHarness.Run(source);
        Assert.Empty(result.GeneratorDiagnostics);
        bool reported = result.AnalyzerDiagnostics.Any(d => d.Severity == DiagnosticSeverity.Error);
        Assert.Equal(reported, GeneratorRuns.IsStub(Assert.Single(result.Sources).Value));
        var problems = GeneratorRuns.CompileProblems(result.Compilation);
        Assert.True(problems.Count == 0, string.Join("\n", problems) + "\n\n" + string.Join("\n", result.Sources.Values));
    }

    private static void AssertCompiles(string source)
    {
        var result = GeneratorHarness.Run(source);
        Assert.Empty(result.GeneratorDiagnostics);
        Assert.DoesNotContain(result.AnalyzerDiagnostics, d => d.Severity == DiagnosticSeverity.Error);
        Assert.True(GeneratorRuns.IsKernels(Assert.Single(result.Sources).Value));
        var problems = GeneratorRuns.CompileProblems(result.Compilation);
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }
}

/// <summary>
/// An analyzer that throws on every class: the fuzz's exception net must catch it. Not a shipped extension (no
/// [DiagnosticAnalyzer], a borrowed descriptor), so the analyzer-authoring rules for this test assembly stay quiet.
/// </summary>
#pragma warning disable RS1001 // a test double handed to WithAnalyzers, never discovered by a compiler
internal sealed class ThrowingAnalyzer : Microsoft.CodeAnalysis.Diagnostics.DiagnosticAnalyzer
#pragma warning restore RS1001
{
    public override System.Collections.Immutable.ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics
        => System.Collections.Immutable.ImmutableArray.Create(global::ConvGen.Analyzers.DiagnosticDescriptors.Invalid);

    public override void Initialize(Microsoft.CodeAnalysis.Diagnostics.AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(Microsoft.CodeAnalysis.Diagnostics.GeneratedCodeAnalysisFlags.None);
        context.RegisterSymbolAction(_ => throw new InvalidOperationException("deliberate"), SymbolKind.NamedType);
    }
}

/// <summary>Reaches the generator's internal shape inference and schedule by reflection, for checks that must not run the emitter.</summary>
internal static class GeneratorInternals
{
    private static readonly Assembly Generator = typeof(NetworkGenerator).Assembly;

    /// <summary>
    /// kH·kW (as long) of every kernel the schedule would unroll, for a 2-D network of the given input and
    /// one layer whose LayerDecl properties are <paramref name="layer"/> (enum values by name).
    /// </summary>
    public static List<long> UnrolledKernelTaps(int channels, int height, int width, params (string Property, object Value)[] layer)
    {
        var networkType = Type("ConvGen.Shapes.NetworkDecl");
        var layerType = Type("ConvGen.Shapes.LayerDecl");
        object network = Activator.CreateInstance(networkType, channels, height, width, 2, false, 20000)!;
        object decl = Activator.CreateInstance(layerType)!;
        foreach (var (property, value) in layer)
        {
            var info = layerType.GetProperty(property)!;
            info.SetValue(decl, info.PropertyType.IsEnum ? Enum.Parse(info.PropertyType, (string)value) : value);
        }

        var layers = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(layerType))!;
        layers.Add(decl);
        object inference = Type("ConvGen.Shapes.ShapeInference").GetMethod("Infer", BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic)!
            .Invoke(null, new[] { network, layers })!;
        object plans = inference.GetType().GetProperty("Layers")!.GetValue(inference)!;
        object schedule = Type("ConvGen.Generator.Emit.NetworkSchedule").GetMethod("Build", BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic)!
            .Invoke(null, new[] { network, plans })!;
        var taps = new List<long>();
        foreach (var op in (IEnumerable)schedule.GetType().GetProperty("Ops")!.GetValue(schedule)!)
        {
            string kind = op.GetType().GetProperty("Kind")!.GetValue(op)!.ToString()!;
            if (!(bool)op.GetType().GetProperty("Unrolled")!.GetValue(op)! || kind is not ("Conv" or "ConvTranspose" or "MaxPool" or "AvgPool"))
            {
                continue;
            }

            object plan = op.GetType().GetProperty("Layer")!.GetValue(op)!;
            object opDecl = plan.GetType().GetProperty("Decl")!.GetValue(plan)!;
            taps.Add((long)(int)layerType.GetProperty("KernelH")!.GetValue(opDecl)! * (int)layerType.GetProperty("KernelW")!.GetValue(opDecl)!);
        }

        return taps;
    }

    private static Type Type(string name) => Generator.GetType(name, throwOnError: true)!;
}
