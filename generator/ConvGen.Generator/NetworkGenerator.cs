using ConvGen.Generator.Emit;
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
            .Select(static (model, _) => model.ForEmission())
            .WithTrackingName(TrackingNames.Emission);

        // Design rules and errors are reported by ConvGen.Analyzers (same parser, same shape module); the
        // generator stays quiet: kernels for a valid network, a throwing stub for an invalid one.
        context.RegisterSourceOutput(networks, static (output, model) =>
        {
            if (!model.HasErrors)
            {
                output.AddSource(model.HintName, NetworkEmitter.Emit(model));
            }
            else if (model.TypeUsable)
            {
                output.AddSource(model.HintName, StubEmitter.Emit(model));
            }
        });
    }
}
