using System.Collections.Immutable;
using System.Composition;
using System.Threading.Tasks;
using ConvGen.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;

namespace ConvGen.CodeFixes;

/// <summary>
/// CG0008 (data "fix=projection": an Add whose saved tensor has another shape): "Project with 1x1 conv +
/// BatchNorm" sets <c>Projection = true</c> on the Add, as a ResNet downsampling block does. The other CG0008
/// findings (an unknown name, a Concat that does not fit) have no data and get no fix.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(SkipProjectionCodeFixProvider)), Shared]
public sealed class SkipProjectionCodeFixProvider : CodeFixProvider
{
    /// <summary>"Project with 1x1 conv + BatchNorm".</summary>
    public const string ProjectionKey = "ConvGen.CG0008.Projection";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticDescriptors.SkipId);

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (var diagnostic in context.Diagnostics)
        {
            if (!FixData.Is(FixData.Read(diagnostic), "fix", "projection")
                || await LayerAttributeTarget.FindAsync(context.Document, diagnostic, context.CancellationToken).ConfigureAwait(false) is not { } target
                || target.Layer != "Add")
            {
                continue;
            }

            // 'Projection = false' written as a literal is flipped; a constant is left alone.
            var projection = target.Named("Projection");
            if (projection is not null && LayerAttributeTarget.BoolLiteral(projection) != false)
            {
                continue;
            }

            var value = SyntaxFactory.LiteralExpression(SyntaxKind.TrueLiteralExpression);
            context.RegisterCodeFix(
                CodeAction.Create(
                    "Project with 1x1 conv + BatchNorm",
                    _ =>
                    {
                        var editor = new ArgumentListEditor(target.Attribute.ArgumentList!);
                        if (projection is null)
                        {
                            editor.Add(ArgumentListEditor.Named("Projection", value));
                        }
                        else
                        {
                            editor.Replace(projection, ArgumentListEditor.WithValue(projection, value));
                        }

                        return Task.FromResult(target.With(editor.ToSyntax()));
                    },
                    ProjectionKey),
                diagnostic);
        }
    }
}
