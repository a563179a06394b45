using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using ConvGen.Analyzers;
using ConvGen.Generator;
using ConvGen.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;

namespace ConvGen.Tests.Generator;

/// <summary>
/// Generator runs that keep what <see cref="GeneratorHarness"/> hides: the raw run result (exceptions,
/// tracked steps), diagnostics with their source text, compiler checks with documentation comments on, the
/// analyzer with its exceptions, and the stub the generator emits for a declaration with errors.
/// </summary>
internal static class GeneratorRuns
{
    /// <summary>The output step name Roslyn gives <c>RegisterSourceOutput</c> (WellKnownGeneratorOutputs.SourceOutput).</summary>
    public const string SourceOutput = "SourceOutput";

    /// <summary>Runs a fresh driver once over <paramref name="sources"/> without throwing on generator exceptions.</summary>
    public static (GeneratorRunResult Result, CSharpCompilation Output, GeneratorDriver Driver) Run(bool trackSteps, params string[] sources)
    {
        var compilation = GeneratorHarness.Compilation(sources);
        var driver = GeneratorHarness.Driver(trackSteps).RunGeneratorsAndUpdateCompilation(compilation, out var output, out _);
        return (driver.GetRunResult().Results.Single(), (CSharpCompilation)output, driver);
    }

    /// <summary>
    /// Runs the generator alone (no analyzer, unlike <see cref="GeneratorHarness.Run"/>) and returns its output
    /// compilation and text by file name, failing if it threw: for tests about the generated text only.
    /// </summary>
    public static (CSharpCompilation Output, Dictionary<string, string> Sources) Generate(params string[] sources)
    {
        var (result, output, _) = Run(false, sources);
        AssertNoException(result, "the sources");
        return (output, Sources(result));
    }

    /// <summary>Generated text by file name ("Tests.Net.g.cs").</summary>
    public static Dictionary<string, string> Sources(GeneratorRunResult result)
        => result.GeneratedSources.ToDictionary(s => s.HintName, s => s.SourceText.ToString(), StringComparer.Ordinal);

    /// <summary>The model values the ConvGen.Model step produced, with why each was produced.</summary>
    public static List<(object Value, IncrementalStepRunReason Reason)> ModelOutputs(GeneratorRunResult result)
        => result.TrackedSteps[TrackingNames.Model]
            .SelectMany(step => step.Outputs)
            .Select(o => (o.Value, o.Reason))
            .ToList();

    /// <summary>The outputs of the step the source output reads: the model without diagnostic locations.</summary>
    public static List<(object Value, IncrementalStepRunReason Reason)> EmissionOutputs(GeneratorRunResult result)
        => result.TrackedSteps[TrackingNames.Emission]
            .SelectMany(step => step.Outputs)
            .Select(o => (o.Value, o.Reason))
            .ToList();

    /// <summary>The reasons of every source-output step of the run.</summary>
    public static List<IncrementalStepRunReason> SourceOutputReasons(GeneratorRunResult result)
        => result.TrackedOutputSteps.TryGetValue(SourceOutput, out var steps)
            ? steps.SelectMany(s => s.Outputs).Select(o => o.Reason).ToList()
            : new List<IncrementalStepRunReason>();

    /// <summary>
    /// Compiler errors anywhere and warnings in generated files, with documentation comments parsed and
    /// checked (as a project with GenerateDocumentationFile sees them) and, unless <paramref name="emit"/> is
    /// false, the IL emitted.
    /// </summary>
    public static List<Diagnostic> CompileProblems(CSharpCompilation compilation, bool checkDocumentation = true, bool emit = true)
    {
        if (checkDocumentation)
        {
            var options = GeneratorHarness.ParseOptions.WithDocumentationMode(DocumentationMode.Diagnose);
            foreach (var tree in compilation.SyntaxTrees.ToList())
            {
                compilation = compilation.ReplaceSyntaxTree(tree, tree.WithRootAndOptions(tree.GetRoot(), options));
            }
        }

        IEnumerable<Diagnostic> diagnostics;
        if (emit)
        {
            using var stream = new MemoryStream();
            diagnostics = compilation.Emit(stream, xmlDocumentationStream: checkDocumentation ? new MemoryStream() : null).Diagnostics;
        }
        else
        {
            diagnostics = compilation.GetDiagnostics();
        }

        return diagnostics
            .Where(d => d.Severity == DiagnosticSeverity.Error
                || (d.Severity == DiagnosticSeverity.Warning && IsGenerated(d.Location.SourceTree)))
            .ToList();
    }

    public static bool IsGenerated(SyntaxTree? tree) => tree?.FilePath.EndsWith(".g.cs", StringComparison.Ordinal) == true;

    /// <summary>The source text a diagnostic points at (generator locations are file-path locations without a tree).</summary>
    public static string SpanText(Diagnostic diagnostic, Compilation compilation)
    {
        var path = diagnostic.Location.GetLineSpan().Path;
        var tree = compilation.SyntaxTrees.Single(t => t.FilePath == path);
        return tree.GetText().ToString(diagnostic.Location.SourceSpan);
    }

    /// <summary>Runs <paramref name="action"/> with CurrentCulture and CurrentUICulture set to <paramref name="culture"/>.</summary>
    public static T WithCulture<T>(System.Globalization.CultureInfo culture, Func<T> action)
    {
        var culture0 = System.Globalization.CultureInfo.CurrentCulture;
        var ui0 = System.Globalization.CultureInfo.CurrentUICulture;
        try
        {
            System.Globalization.CultureInfo.CurrentCulture = culture;
            System.Globalization.CultureInfo.CurrentUICulture = culture;
            return action();
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = culture0;
            System.Globalization.CultureInfo.CurrentUICulture = ui0;
        }
    }

    /// <summary>What the generator emits for a declaration with errors whose class can take members: members that throw.</summary>
    public static bool IsStub(string generated)
        => generated.Contains("has declaration errors", StringComparison.Ordinal) && !generated.Contains("ForwardSample", StringComparison.Ordinal);

    /// <summary>Real kernels (a compiled network), not the stub.</summary>
    public static bool IsKernels(string generated)
        => generated.Contains("ForwardSample", StringComparison.Ordinal) && !generated.Contains("has declaration errors", StringComparison.Ordinal);

    /// <summary>
    /// A file that uses every public member of network <paramref name="className"/> (static and instance, through the
    /// class and through INetwork). It compiles against real kernels and against the stub alike: that is what keeps a
    /// broken declaration from cascading into "missing member" errors in the user's code.
    /// </summary>
    public static string Usage(string className = "Net", string ns = "Tests") => $$"""
        namespace {{ns}};

        public static class Use{{className}}
        {
            public static object[] Everything(global::ConvGen.ModelWeights weights, string path)
            {
                var net = new {{className}}(weights);
                global::ConvGen.INetwork network = net;
                net.Forward(new float[{{className}}.InputLength], new float[{{className}}.OutputLength]);
                net.Forward(new float[{{className}}.InputLength * 2], new float[{{className}}.OutputLength * 2], batch: 2);
                network.Forward(new float[network.InputSize], new float[network.OutputSize], 1);
                const int lengths = {{className}}.InputLength + {{className}}.OutputLength;
                const string summary = {{className}}.Summary;
                global::System.Collections.Generic.IReadOnlyList<int> input = {{className}}.InputShape;
                global::System.Collections.Generic.IReadOnlyList<int> output = {{className}}.OutputShape;
                global::System.Collections.Generic.IReadOnlyList<global::ConvGen.LayerInfo> layers = {{className}}.Layers;
                global::System.Collections.Generic.IReadOnlyList<global::ConvGen.TensorSpec> specs = {{className}}.ParameterSpecs;
                return new object[]
                {
                    lengths, summary, input, output, layers, specs, net.InputSize, net.OutputSize, net.LayerTable,
                    {{className}}.CreateWeights(1), {{className}}.CreateWeights(2, global::ConvGen.KaimingMode.PyTorchDefault), {{className}}.LoadWeights(path),
                };
            }
        }
        """;

    /// <summary>
    /// Runs ConvGen's analyzer on <paramref name="compilation"/> and returns its diagnostics and every exception it
    /// threw. An exception is reported to the callback (and, without one, as an AD0001 diagnostic): both are collected.
    /// </summary>
    public static (ImmutableArray<Diagnostic> Diagnostics, List<string> Exceptions) AnalyzeCatching(Compilation compilation, DiagnosticAnalyzer? analyzer = null)
    {
        var exceptions = new List<string>();
        var options = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
            onAnalyzerException: (exception, _, diagnostic) =>
            {
                lock (exceptions)
                {
                    exceptions.Add(diagnostic.Id + ": " + exception);
                }
            },
            concurrentAnalysis: true,
            logAnalyzerExecutionTime: false);
        var diagnostics = compilation
            .WithAnalyzers(ImmutableArray.Create(analyzer ?? new NetworkDeclarationAnalyzer()), options)
            .GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();
        exceptions.AddRange(diagnostics.Where(d => d.Id == "AD0001").Select(d => d.ToString()));
        return (diagnostics.Where(d => d.Id != "AD0001").ToImmutableArray(), exceptions);
    }

    /// <summary>Fails with the generator's exception, if it threw.</summary>
    public static void AssertNoException(GeneratorRunResult result, string what)
    {
        if (result.Exception is not null)
        {
            Assert.Fail($"The generator threw for {what}:\n{result.Exception}");
        }
    }
}
