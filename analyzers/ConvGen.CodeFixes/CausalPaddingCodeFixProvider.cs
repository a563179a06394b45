using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading.Tasks;
using ConvGen.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ConvGen.CodeFixes;

/// <summary>
/// CG0004 (data "fix=causal": a Conv1d that sees the future, or causal padding mixed with explicit numbers):
/// "Use causal padding" removes every padding argument and sets <c>Pad = Pad.Causal</c>, which pads exactly
/// d(k − 1) on the left. The other CG0004 findings (causal padding on a 2-D convolution, a 2-D network declared
/// causal) have no data and get no fix.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(CausalPaddingCodeFixProvider)), Shared]
public sealed class CausalPaddingCodeFixProvider : CodeFixProvider
{
    /// <summary>"Use causal padding".</summary>
    public const string CausalPaddingKey = "ConvGen.CG0004.CausalPadding";

    private static readonly string[] PaddingArguments = { "Padding", "PadLeft", "PadRight" };

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticDescriptors.CausalId);

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (var diagnostic in context.Diagnostics)
        {
            if (!FixData.Is(FixData.Read(diagnostic), "fix", "causal")
                || await LayerAttributeTarget.FindAsync(context.Document, diagnostic, context.CancellationToken).ConfigureAwait(false) is not { } target
                || target.Layer != "Conv1d"
                || (target.Blamed is { } blamed && blamed != target.Named("Pad")))
            {
                continue;
            }

            // An existing 'Pad = Pad.X' is rewritten in place, keeping the user's qualification; a constant or a
            // cast is left alone.
            var pad = target.Named("Pad");
            AttributeArgumentSyntax newPad;
            if (pad is null)
            {
                newPad = ArgumentListEditor.Named("Pad", ArgumentListEditor.PadMember("Causal"));
            }
            else if (pad.Expression is MemberAccessExpressionSyntax written
                && target.PadMember(pad, written.Name.Identifier.ValueText, context.CancellationToken) is { } access)
            {
                newPad = pad.WithExpression(access.WithName(SyntaxFactory.IdentifierName("Causal").WithTriviaFrom(access.Name)));
            }
            else
            {
                continue;
            }

            var removed = target.Attribute.ArgumentList!.Arguments
                .Where(a => a.NameEquals?.Name.Identifier.ValueText is { } name && PaddingArguments.Contains(name))
                .ToList();
            context.RegisterCodeFix(
                CodeAction.Create(
                    "Use causal padding",
                    _ =>
                    {
                        var editor = new ArgumentListEditor(target.Attribute.ArgumentList!);
                        foreach (var argument in removed)
                        {
                            editor.Remove(argument);
                        }

                        if (pad is null)
                        {
                            editor.Add(newPad);
                        }
                        else
                        {
                            editor.Replace(pad, newPad);
                        }

                        return Task.FromResult(target.With(editor.ToSyntax()));
                    },
                    CausalPaddingKey),
                diagnostic);
        }
    }
}
