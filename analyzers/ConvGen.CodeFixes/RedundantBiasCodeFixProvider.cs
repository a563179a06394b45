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
/// CG0011 (data "fix=nobias": a bias that the next BatchNorm cancels): "Remove the bias" sets
/// <c>Bias = false</c>, replacing a literal <c>Bias = true</c> or adding the argument. A bias given by a constant
/// is left alone.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(RedundantBiasCodeFixProvider)), Shared]
public sealed class RedundantBiasCodeFixProvider : CodeFixProvider
{
    /// <summary>"Remove the bias".</summary>
    public const string RemoveBiasKey = "ConvGen.CG0011.RemoveBias";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticDescriptors.RedundantBiasId);

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (var diagnostic in context.Diagnostics)
        {
            if (!FixData.Is(FixData.Read(diagnostic), "fix", "nobias")
                || await LayerAttributeTarget.FindAsync(context.Document, diagnostic, context.CancellationToken).ConfigureAwait(false) is not { } target
                || target.Layer is not ("Conv1d" or "Conv2d" or "ConvTranspose1d" or "ConvTranspose2d" or "Linear"))
            {
                continue;
            }

            var bias = target.Named("Bias");
            if (bias is not null && LayerAttributeTarget.BoolLiteral(bias) != true)
            {
                continue;
            }

            var value = SyntaxFactory.LiteralExpression(SyntaxKind.FalseLiteralExpression);
            context.RegisterCodeFix(
                CodeAction.Create(
                    "Remove the bias",
                    _ =>
                    {
                        var editor = new ArgumentListEditor(target.Attribute.ArgumentList!);
                        if (bias is null)
                        {
                            editor.Add(ArgumentListEditor.Named("Bias", value));
                        }
                        else
                        {
                            editor.Replace(bias, ArgumentListEditor.WithValue(bias, value));
                        }

                        return Task.FromResult(target.With(editor.ToSyntax()));
                    },
                    RemoveBiasKey),
                diagnostic);
        }
    }
}
