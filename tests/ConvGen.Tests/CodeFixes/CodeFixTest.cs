using System.Threading.Tasks;
using ConvGen.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;

namespace ConvGen.Tests.CodeFixes;

/// <summary>
/// The Microsoft.CodeAnalysis code-fix verifier set up for ConvGen: the analyzer and one fixer, .NET 10
/// reference assemblies from Basic.Reference.Assemblies (no downloads) and the ConvGen runtime. Every test also
/// runs Fix All (document, project, solution) and checks the diagnostics of the fixed source: a fix must leave
/// no diagnostic of its rule behind.
/// </summary>
internal sealed class CodeFixTest<TFixer> : CSharpCodeFixTest<NetworkDeclarationAnalyzer, TFixer, DefaultVerifier>
    where TFixer : CodeFixProvider, new()
{
    public CodeFixTest()
    {
        ReferenceAssemblies = new ReferenceAssemblies("net10.0-basic");
        TestState.AdditionalReferences.AddRange(Basic.Reference.Assemblies.Net100.References.All);
        TestState.AdditionalReferences.Add(MetadataReference.CreateFromFile(typeof(NetworkAttribute).Assembly.Location));
    }

    /// <summary>A file declaring <c>Tests.Net</c> with the given attributes (as the generator tests write them).</summary>
    public static string Declare(string attributes) => "using ConvGen;\n\nnamespace Tests;\n\n" + Network(attributes, "Net");

    /// <summary>One more network class, to append to a <see cref="Declare"/>d file.</summary>
    public static string Network(string attributes, string className) => $"{attributes}\npublic partial class {className}\n{{\n}}\n";

    /// <summary>Applies the fix with <paramref name="equivalenceKey"/> to <paramref name="source"/> and expects <paramref name="fixedSource"/>.</summary>
    public static Task VerifyFix(string source, string fixedSource, string? equivalenceKey = null, params DiagnosticResult[] expected)
    {
        var test = new CodeFixTest<TFixer> { TestCode = source, FixedCode = fixedSource, CodeActionEquivalenceKey = equivalenceKey };
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync();
    }

    /// <summary>
    /// Expects the diagnostics in <paramref name="source"/>'s markup and no code fix for them (with
    /// <paramref name="equivalenceKey"/>, no fix of that kind).
    /// </summary>
    public static Task VerifyNoFix(string source, string? equivalenceKey = null, params DiagnosticResult[] expected)
    {
        var test = new CodeFixTest<TFixer> { TestCode = source, FixedCode = source, CodeActionEquivalenceKey = equivalenceKey };
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync();
    }
}
