using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using ConvGen.Generator.Model;
using ConvGen.Generator.Parsing;
using ConvGen.Shapes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ConvGen.Analyzers;

/// <summary>
/// Reports every CG rule on a <c>[Network]</c> class: it runs the generator's own parser and the shared shape
/// module, so an error here is exactly a network the generator will not compile. Each diagnostic sits on the
/// offending attribute argument (or the attribute) and carries the data its code fix needs.
/// </summary>
[DiagnosticAnalyzer(Microsoft.CodeAnalysis.LanguageNames.CSharp)]
public sealed class NetworkDeclarationAnalyzer : DiagnosticAnalyzer
{
    /// <summary>The key of the code-fix data in <see cref="Diagnostic.Properties"/>.</summary>
    public const string FixDataKey = "ConvGen.FixData";

    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = DiagnosticDescriptors.ById.Values.OrderBy(d => d.Id, System.StringComparer.Ordinal).ToImmutableArray();

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            var networkAttribute = start.Compilation.GetTypeByMetadataName(NetworkParser.NetworkAttributeName);
            if (networkAttribute is null)
            {
                return; // ConvGen is not referenced
            }

            start.RegisterSymbolAction(symbol => Analyze(symbol, networkAttribute), SymbolKind.NamedType);
        });
    }

    private static void Analyze(SymbolAnalysisContext context, INamedTypeSymbol networkAttribute)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        foreach (var attribute in type.GetAttributes())
        {
            if (!SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, networkAttribute)
                || attribute.ApplicationSyntaxReference?.GetSyntax(context.CancellationToken).Parent?.Parent is not TypeDeclarationSyntax declaration)
            {
                continue;
            }

            var model = NetworkParser.Parse(type, attribute, declaration, context.CancellationToken);
            if (model is null)
            {
                continue;
            }

            // The findings sit in the class's own declarations: look their trees up there, not in the whole compilation.
            var trees = type.DeclaringSyntaxReferences.Select(r => r.SyntaxTree).ToList();
            foreach (var info in model.Diagnostics)
            {
                context.ReportDiagnostic(ToDiagnostic(info, trees, context.Compilation));
            }
        }
    }

    private static Diagnostic ToDiagnostic(DiagnosticInfo info, List<SyntaxTree> trees, Compilation compilation)
    {
        var descriptor = DiagnosticDescriptors.ById[info.Id];
        var location = Locate(info.Location, trees, compilation);
        var properties = info.FixData is null
            ? ImmutableDictionary<string, string?>.Empty
            : ImmutableDictionary<string, string?>.Empty.Add(FixDataKey, info.FixData);
        var severity = info.Severity switch
        {
            FindingSeverity.Info => DiagnosticSeverity.Info,
            FindingSeverity.Warning => DiagnosticSeverity.Warning,
            _ => DiagnosticSeverity.Error,
        };
        return severity == descriptor.DefaultSeverity
            ? Diagnostic.Create(descriptor, location, properties, info.Message)
            : Diagnostic.Create(descriptor, location, severity, additionalLocations: null, properties, info.Message);
    }

    /// <summary>A location in the compilation's own syntax tree (the model keeps only a path and span).</summary>
    private static Location Locate(LocationInfo? location, List<SyntaxTree> trees, Compilation compilation)
    {
        if (location is null)
        {
            return Location.None;
        }

        var tree = trees.Find(t => t.FilePath == location.FilePath)
            ?? compilation.SyntaxTrees.FirstOrDefault(t => t.FilePath == location.FilePath);
        return tree is null ? Location.None : Location.Create(tree, location.Span);
    }
}
