using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Basic.Reference.Assemblies;
using ConvGen.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;

namespace ConvGen.Tests.Analyzers;

/// <summary>
/// Runs <see cref="NetworkDeclarationAnalyzer"/> through the Microsoft.CodeAnalysis.Testing verifier with
/// reference assemblies from Basic.Reference.Assemblies (no downloads at test time).
/// <para>
/// Sources mark each expected diagnostic with <c>{|CG0002:Pad = Pad.Same|}</c> on its exact span. The verifier
/// would check the ID and span of such markup but not the message, so each marker is rewritten to a numbered
/// one (<c>{|#0:…|}</c>) and matched with an <see cref="Expected"/> that carries the severity and exact message;
/// the ID in the markup must agree with it. Two diagnostics on one span share a marker.
/// </para>
/// </summary>
internal static class AnalyzerVerifier
{
    private static readonly Regex Marker = new(@"\{\|(CG\d{4}):", RegexOptions.CultureInvariant);

    /// <summary>An expected diagnostic: the <paramref name="Marker"/>-th <c>{|CGnnnn:…|}</c> span of the source (0-based, in text order).</summary>
    public sealed record Expected(int Marker, DiagnosticSeverity Severity, string Message);

    public static Expected Error(int marker, string message) => new(marker, DiagnosticSeverity.Error, message);

    public static Expected Warning(int marker, string message) => new(marker, DiagnosticSeverity.Warning, message);

    public static Expected Info(int marker, string message) => new(marker, DiagnosticSeverity.Info, message);

    /// <summary>A file declaring <c>Tests.Net</c> with the given attribute lines (the analyzer's view of <see cref="Infrastructure.GeneratorHarness.Declare"/>).</summary>
    public static string Net(string attributes) => $"using ConvGen;\n\nnamespace Tests;\n\n{attributes}\npublic partial class Net\n{{\n}}\n";

    /// <summary>Verifies that the analyzer reports exactly <paramref name="expected"/> on <paramref name="markup"/>.</summary>
    public static Task VerifyAsync(string markup, params Expected[] expected) => VerifyAsync(markup, editorConfig: null, expected);

    /// <summary>As <see cref="VerifyAsync(string, Expected[])"/>, with an .editorconfig (e.g. "dotnet_diagnostic.CG0009.severity = error").</summary>
    public static Task VerifyAsync(string markup, string? editorConfig, params Expected[] expected)
    {
        var ids = new List<string>();
        string source = Marker.Replace(markup, m =>
        {
            ids.Add(m.Groups[1].Value);
            return "{|#" + (ids.Count - 1).ToString(System.Globalization.CultureInfo.InvariantCulture) + ":";
        });

        var unused = Enumerable.Range(0, ids.Count).Except(expected.Select(e => e.Marker)).ToList();
        if (unused.Count > 0 || expected.Any(e => e.Marker >= ids.Count))
        {
            throw new System.ArgumentException($"every marker needs an expected diagnostic and every expected diagnostic a marker ({ids.Count} markers; unused: {string.Join(", ", unused)})");
        }

        var test = Create(source);
        foreach (var e in expected)
        {
            test.ExpectedDiagnostics.Add(new DiagnosticResult(ids[e.Marker], e.Severity).WithLocation(e.Marker).WithMessage(e.Message));
        }

        if (editorConfig is not null)
        {
            test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", "root = true\n\n[*.cs]\n" + editorConfig + "\n"));
        }

        return test.RunAsync();
    }

    /// <summary>A verifier run over <paramref name="source"/> with ConvGen and the .NET 10 reference assemblies.</summary>
    public static CSharpAnalyzerTest<NetworkDeclarationAnalyzer, DefaultVerifier> Create(string source)
    {
        var test = new Test
        {
            TestCode = source,

            // "net10.0-basic" names no package, so nothing is resolved or downloaded; the references follow.
            ReferenceAssemblies = new ReferenceAssemblies("net10.0-basic"),
        };
        test.TestState.AdditionalReferences.AddRange(Net100.References.All);
        test.TestState.AdditionalReferences.Add(MetadataReference.CreateFromFile(typeof(NetworkAttribute).Assembly.Location));
        return test;
    }

    /// <summary>
    /// The verifier, configured as a real build is. The stock verifier writes <c>ReportDiagnostic.Default</c> for every
    /// supported ID into the compilation options; Roslyn reads that entry as <c>/warnaserror-:CGnnnn</c>, which cancels
    /// an .editorconfig "severity = error" on a warning (only that one escalation: "none", and info to warning, still
    /// apply). A project never has such entries, so they are removed again.
    /// </summary>
    private sealed class Test : CSharpAnalyzerTest<NetworkDeclarationAnalyzer, DefaultVerifier>
    {
        protected override Project ApplyCompilationOptions(Project project)
        {
            var configured = base.ApplyCompilationOptions(project);
            var options = configured.CompilationOptions!;
            var defaults = options.SpecificDiagnosticOptions.Where(o => o.Value == ReportDiagnostic.Default).Select(o => o.Key);
            return configured.Solution
                .WithProjectCompilationOptions(configured.Id, options.WithSpecificDiagnosticOptions(options.SpecificDiagnosticOptions.RemoveRange(defaults)))
                .GetProject(configured.Id)!;
        }
    }
}
