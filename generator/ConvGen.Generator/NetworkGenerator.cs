using System.Linq;
using ConvGen.Generator.Emit;
using ConvGen.Generator.Model;
using ConvGen.Generator.Parsing;
using Microsoft.CodeAnalysis;

namespace ConvGen.Generator;

/// <summary>
/// Compiles every <c>[Network]</c> partial class into shape-specialized kernels. Parse → model → emit:
/// the parser builds an equatable model per class, so an edit elsewhere leaves each network's output cached.
/// It reports no diagnostics: ConvGen.Analyzers does, from the same parser and shape module.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class NetworkGenerator : IIncrementalGenerator
{
    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var networks = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                NetworkParser.NetworkAttributeName,
                predicate: static (node, _) => node is Microsoft.CodeAnalysis.CSharp.Syntax.TypeDeclarationSyntax,
                transform: static (context, cancellationToken) => NetworkParser.Parse(
                    (INamedTypeSymbol)context.TargetSymbol,
                    context.Attributes[0],
                    (Microsoft.CodeAnalysis.CSharp.Syntax.TypeDeclarationSyntax)context.TargetNode,
                    cancellationToken))
            .Where(static model => model is not null)
            .Select(static (model, _) => model!)
            .WithTrackingName(TrackingNames.Model)
            .Select(static (model, _) => model.WithoutDiagnostics())
            .WithTrackingName(TrackingNames.Emission);

        // Hint names must be unique ignoring case (A.Net and A.NET are two types but one file name to Roslyn).
        var hintNames = networks
            .Select(static (model, _) => model.HintName)
            .Collect()
            .Select(static (names, _) => new EquatableArray<string>(names.Sort(System.StringComparer.Ordinal)));

        // Design rules and errors are reported by ConvGen.Analyzers (same parser, same shape module); the
        // generator stays quiet: kernels for a valid network, a throwing stub for an invalid one.
        context.RegisterSourceOutput(networks.Combine(hintNames), static (output, pair) =>
        {
            var (model, hints) = pair;
            output.CancellationToken.ThrowIfCancellationRequested();
            string hint = UniqueHint(model.HintName, hints);
            if (!model.HasErrors)
            {
                output.AddSource(hint, NetworkEmitter.Emit(model));
            }
            else if (model.TypeUsable)
            {
                output.AddSource(hint, StubEmitter.Emit(model));
            }
        });
    }

    /// <summary>"{Namespace}.{Type}.g.cs", or "{Namespace}.{Type}.{n}.g.cs" when other networks' names differ only in case.</summary>
    private static string UniqueHint(string hint, EquatableArray<string> all)
    {
        var sameIgnoringCase = all.Where(h => string.Equals(h, hint, System.StringComparison.OrdinalIgnoreCase)).ToList();
        if (sameIgnoringCase.Count < 2)
        {
            return hint;
        }

        string stem = hint.Substring(0, hint.Length - ".g.cs".Length);
        return stem + "." + sameIgnoringCase.IndexOf(hint).ToString(System.Globalization.CultureInfo.InvariantCulture) + ".g.cs";
    }
}
