using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using Basic.Reference.Assemblies;
using ConvGen.Analyzers;
using ConvGen.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ConvGen.Tests.Infrastructure;

/// <summary>
/// Runs the generator the way the compiler does: a compilation of user source (reference assemblies from
/// Basic.Reference.Assemblies, so no downloads), the generator driver, then emit to memory and load.
/// </summary>
internal static class GeneratorHarness
{
    private static readonly ImmutableArray<MetadataReference> References = Net100.References.All
        .Cast<MetadataReference>()
        .Append(MetadataReference.CreateFromFile(typeof(NetworkAttribute).Assembly.Location))
        .ToImmutableArray();

    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    /// <summary>A file that declares one network class from attribute lines.</summary>
    public static string Declare(string attributes, string className = "Net", string ns = "Tests")
        => $"using ConvGen;\n\nnamespace {ns};\n\n{attributes}\npublic partial class {className}\n{{\n}}\n";

    public static CSharpCompilation Compilation(params string[] sources) => Compilation(ParseOptions, sources);

    public static CSharpCompilation Compilation(CSharpParseOptions parseOptions, params string[] sources) => CSharpCompilation.Create(
        "ConvGenTest" + Guid.NewGuid().ToString("N"),
        sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, parseOptions, path: $"Source{i}.cs")),
        References,
        new CSharpCompilationOptions(
            OutputKind.DynamicallyLinkedLibrary,
            optimizationLevel: OptimizationLevel.Release,
            nullableContextOptions: NullableContextOptions.Enable,
            allowUnsafe: false));

    public static GeneratorDriver Driver(bool trackSteps = false, CSharpParseOptions? parseOptions = null) => CSharpGeneratorDriver.Create(
        new[] { new NetworkGenerator().AsSourceGenerator() },
        parseOptions: parseOptions ?? ParseOptions,
        driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: trackSteps));

    /// <summary>Runs the generator over <paramref name="sources"/>.</summary>
    public static GeneratorResult Run(params string[] sources) => Run(ParseOptions, sources);

    /// <summary>Runs the generator over <paramref name="sources"/> parsed with <paramref name="parseOptions"/> (a language version).</summary>
    public static GeneratorResult Run(CSharpParseOptions parseOptions, params string[] sources)
    {
        var compilation = Compilation(parseOptions, sources);
        var driver = Driver(parseOptions: parseOptions).RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics);
        var run = driver.GetRunResult();
        if (run.Results.Any(r => r.Exception is not null))
        {
            throw new InvalidOperationException("The generator threw: " + run.Results.First(r => r.Exception is not null).Exception);
        }

        return new GeneratorResult(
            (CSharpCompilation)output,
            diagnostics,
            Analyze(output),
            run.GeneratedTrees.ToDictionary(t => Path.GetFileName(t.FilePath), t => t.ToString(), StringComparer.Ordinal));
    }

    /// <summary>What ConvGen's analyzers report on <paramref name="compilation"/>, in source order.</summary>
    public static ImmutableArray<Diagnostic> Analyze(Compilation compilation)
        => compilation
            .WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new NetworkDeclarationAnalyzer()))
            .GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult()
            .OrderBy(d => d.Location.SourceSpan.Start)
            .ToImmutableArray();

    /// <summary>Runs the generator, compiles everything (no warnings allowed in generated code) and loads the assembly.</summary>
    public static Assembly CompileAndLoad(params string[] sources)
    {
        var result = Run(sources);
        var errors = result.GeneratorDiagnostics.AddRange(result.AnalyzerDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error));
        if (errors.Length > 0)
        {
            throw new InvalidOperationException("Diagnostics:\n" + string.Join("\n", errors));
        }

        using var stream = new MemoryStream();
        var emit = result.Compilation.Emit(stream);
        var problems = emit.Diagnostics
            .Where(d => d.Severity == DiagnosticSeverity.Error || (d.Severity == DiagnosticSeverity.Warning && d.Location.SourceTree?.FilePath.EndsWith(".g.cs", StringComparison.Ordinal) == true))
            .ToList();
        if (!emit.Success || problems.Count > 0)
        {
            throw new InvalidOperationException("Compilation failed:\n" + string.Join("\n", problems) + "\n\n" + string.Join("\n\n", result.Sources.Values));
        }

        stream.Position = 0;
        return new AssemblyLoadContext("ConvGenTest", isCollectible: true).LoadFromStream(stream);
    }

    /// <summary>Compiles a one-network source and instantiates the network with <paramref name="weights"/> (null: seeded weights).</summary>
    public static INetwork Build(string attributes, ModelWeights? weights = null, int seed = 1)
    {
        var type = CompileAndLoad(Declare(attributes)).GetType("Tests.Net", throwOnError: true)!;
        weights ??= CreateWeights(type, seed);
        return (INetwork)Activator.CreateInstance(type, weights)!;
    }

    /// <summary>The nested Trainer of a compiled network type.</summary>
    public static ConvGen.Training.ITrainer CreateTrainer(Type network, ModelWeights weights, int maxBatch, int seed = 1)
    {
        var trainer = network.GetNestedType("Trainer") ?? throw new InvalidOperationException(network + " has no nested Trainer.");
        return (ConvGen.Training.ITrainer)Activator.CreateInstance(trainer, weights, maxBatch, seed)!;
    }

    public static ModelWeights CreateWeights(Type network, int seed)
        => (ModelWeights)network.GetMethod("CreateWeights")!.Invoke(null, new object[] { seed, KaimingMode.PyTorchDefault })!;

    public static IReadOnlyList<TensorSpec> Specs(Type network)
        => (IReadOnlyList<TensorSpec>)network.GetProperty("ParameterSpecs")!.GetValue(null)!;
}

/// <summary>What one generator run produced, and what the analyzers report on the result.</summary>
internal sealed record GeneratorResult(
    CSharpCompilation Compilation,
    ImmutableArray<Diagnostic> GeneratorDiagnostics,
    ImmutableArray<Diagnostic> AnalyzerDiagnostics,
    IReadOnlyDictionary<string, string> Sources);
