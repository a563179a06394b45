using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ConvGen.Generator;
using ConvGen.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace ConvGen.Tests.Generator;

/// <summary>
/// Generator runs that keep what <see cref="GeneratorHarness"/> hides: the raw run result (exceptions,
/// tracked steps), diagnostics with their source text, and compiler checks with documentation comments on.
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

    /// <summary>Generated text by file name ("Tests.Net.g.cs").</summary>
    public static Dictionary<string, string> Sources(GeneratorRunResult result)
        => result.GeneratedSources.ToDictionary(s => s.HintName, s => s.SourceText.ToString(), StringComparer.Ordinal);

    /// <summary>The model values the ConvGen.Model step produced, with why each was produced.</summary>
    public static List<(object Value, IncrementalStepRunReason Reason)> ModelOutputs(GeneratorRunResult result)
        => result.TrackedSteps[TrackingNames.Model]
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

    /// <summary>Fails with the generator's exception, if it threw.</summary>
    public static void AssertNoException(GeneratorRunResult result, string what)
    {
        if (result.Exception is not null)
        {
            Assert.Fail($"The generator threw for {what}:\n{result.Exception}");
        }
    }
}
