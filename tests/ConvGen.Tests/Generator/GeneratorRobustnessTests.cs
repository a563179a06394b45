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
/// code) and never emits code that does not compile: whatever is declared, the result is either a
/// diagnostic or a compiling network.
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
        var generated = new List<(string Source, RandomDeclarations.Kind Kind, string ClassName)>();
        var kinds = new Dictionary<RandomDeclarations.Kind, (int Total, int Generated)>();
        for (int i = 0; i < Declarations; i++)
        {
            string className = "Fuzz" + i;
            var (source, kind) = random.Next(className);
            var (result, _, _) = GeneratorRuns.Run(false, source);
            var counts = kinds.TryGetValue(kind, out var c) ? c : default;
            bool any = result.GeneratedSources.Length > 0;
            kinds[kind] = (counts.Total + 1, counts.Generated + (any ? 1 : 0));
            if (result.Exception is not null)
            {
                problems.Add($"#{i} threw {result.Exception.GetType().Name}: {result.Exception.Message}\n{source}");
                continue;
            }

            var errors = result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
            if (result.Diagnostics.Any(d => !d.Id.StartsWith("CG", StringComparison.Ordinal) || d.Severity != DiagnosticSeverity.Error))
            {
                problems.Add($"#{i} reported {string.Join(", ", result.Diagnostics)}\n{source}");
            }

            if (any == (errors.Count > 0))
            {
                problems.Add($"#{i}: {(any ? "generated source despite errors" : "neither source nor a diagnostic")}\n{source}");
            }

            if (any)
            {
                generated.Add((source, kind, className));
            }
        }

        var generation = clock.Elapsed;

        // Compile every generated network of the mutated, wild and bad-syntax kinds (the likeliest to break) and
        // a quarter of the plausible ones, in one compilation; only diagnostics in generated files count.
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

        _output.WriteLine($"{Declarations} declarations generated in {generation.TotalSeconds:0.0} s; {sample.Count} generated networks compiled in {(clock.Elapsed - generation).TotalSeconds:0.0} s.");
        foreach (var (kind, (total, withSource)) in kinds.OrderBy(k => k.Key))
        {
            _output.WriteLine($"  {kind}: {total} declarations, {withSource} generated source");
        }

        Assert.True(problems.Count == 0, $"{problems.Count} problems:\n\n" + string.Join("\n\n", problems.Take(12)));
        Assert.True(kinds[RandomDeclarations.Kind.Plausible].Generated >= 30, "the fuzz should reach the emitter often");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"fuzz took {clock.Elapsed}");
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
        var problems = GeneratorRuns.CompileProblems(result.Compilation);
        Assert.True(problems.Count == 0, string.Join("\n", problems) + "\n\n" + string.Join("\n", result.Sources.Values));
    }

    public static TheoryData<string> InvalidNames => new()
    {
        "",
        "   ",
        "block.conv",
        "line\\nbreak",
        "carriage\\rreturn",
        "line\\u2028separator",
        "next\\u0085line",
    };

    [Theory]
    [MemberData(nameof(InvalidNames))]
    public void NamesPyTorchRejectsOrThatBreakSource_AreReported(string escapedName)
    {
        // PyTorch refuses empty module names and names with '.'; line breaks and control characters would
        // break the generated source. All get CG0012 on the Name argument, with the name shown escaped.
        var result = GeneratorHarness.Run(GeneratorHarness.Declare($"[Network(1, 6, 6)]\n[Conv2d(2, 3, Name = \"{escapedName}\")]"));

        var diagnostic = Assert.Single(result.GeneratorDiagnostics);
        Assert.Equal("CG0012", diagnostic.Id);
        Assert.StartsWith("Name = ", GeneratorRuns.SpanText(diagnostic, result.Compilation), StringComparison.Ordinal);
        Assert.DoesNotContain('\n', diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Empty(result.Sources);
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
            result.GeneratorDiagnostics.Any(d => d.Severity == DiagnosticSeverity.Error),
            "no diagnostic; generated:\n" + string.Join("\n", result.Sources.Values.SelectMany(s => s.Split('\n')).Where(l => l.Contains("Length = ", StringComparison.Ordinal) || l.Contains("new float[", StringComparison.Ordinal))));
        Assert.Empty(result.Sources);
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
        Assert.Equal(new[] { hint }, result.Sources.Keys);
        Assert.Empty(GeneratorRuns.CompileProblems(result.Compilation));
    }

    [Theory]
    [InlineData("public partial record Net;")]
    [InlineData("file partial class Net\n{\n}")]
    public void ClassKindsTheGeneratorCannotExtend_AreReported_NotSilentlyDropped(string declaration)
    {
        // [Network] is valid on a record class and on a file-local class, but the generator's predicate skips
        // records (no code, no diagnostic), and for a file-local class it emits an unrelated internal class of
        // the same name. Either way the user's own code that constructs the network must work, or a CG
        // diagnostic must say why it cannot.
        string source = "using ConvGen;\n\nnamespace Tests;\n\n[Network(1, 6, 6)]\n[Conv2d(2, 3), ReLU]\n" + declaration + "\n\n"
            + "public static class Use\n{\n    public static object Create(global::ConvGen.ModelWeights weights) => new Net(weights);\n}\n";

        var (result, compilation, _) = GeneratorRuns.Run(false, source);

        GeneratorRuns.AssertNoException(result, declaration);
        if (result.Diagnostics.Any(d => d.Id.StartsWith("CG", StringComparison.Ordinal) && d.Severity == DiagnosticSeverity.Error))
        {
            return;
        }

        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, "no CG diagnostic, and the user's code does not compile against the generated network:\n" + string.Join("\n", errors));
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
        var result = GeneratorHarness.Run(source);
        if (result.GeneratorDiagnostics.Any(d => d.Severity == DiagnosticSeverity.Error))
        {
            Assert.Empty(result.Sources);
            return;
        }

        var problems = GeneratorRuns.CompileProblems(result.Compilation);
        Assert.True(problems.Count == 0, string.Join("\n", problems) + "\n\n" + string.Join("\n", result.Sources.Values));
    }

    private static void AssertCompiles(string source)
    {
        var result = GeneratorHarness.Run(source);
        Assert.Empty(result.GeneratorDiagnostics);
        var problems = GeneratorRuns.CompileProblems(result.Compilation);
        Assert.True(problems.Count == 0, string.Join("\n", problems));
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
