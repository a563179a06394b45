using ConvGen.Generator.Emit;
using ConvGen.Generator.Parsing;
using Microsoft.CodeAnalysis;

namespace ConvGen.Generator;

/// <summary>
/// Compiles every <c>[Network]</c> partial class into shape-specialized kernels. Parse → model → emit:
/// the parser builds an equatable model per class, so an edit elsewhere leaves each network's output cached.
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
            .WithTrackingName(TrackingNames.Model);

        context.RegisterSourceOutput(networks, static (output, model) =>
        {
            foreach (var diagnostic in model.Diagnostics)
            {
                output.ReportDiagnostic(diagnostic.ToDiagnostic());
            }

            if (!model.HasErrors)
            {
                output.AddSource(model.HintName, NetworkEmitter.Emit(model));
            }
        });
    }
}
