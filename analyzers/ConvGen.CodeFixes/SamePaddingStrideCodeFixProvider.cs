using System.Collections.Immutable;
using System.Composition;
using System.Threading.Tasks;
using ConvGen.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;

namespace ConvGen.CodeFixes;

/// <summary>
/// CG0003: 'same' padding with a stride, which PyTorch rejects. "Use explicit padding" replaces
/// <c>Pad = Pad.Same</c> with the per-axis d(k − 1)/2 from the data "padding=pH,pW": <c>Padding = p</c> when
/// both axes agree (and always for Conv1d), else <c>PaddingH = pH, PaddingW = pW</c>.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(SamePaddingStrideCodeFixProvider)), Shared]
public sealed class SamePaddingStrideCodeFixProvider : CodeFixProvider
{
    /// <summary>"Use explicit padding".</summary>
    public const string ExplicitPaddingKey = "ConvGen.CG0003.ExplicitPadding";

    private static readonly string[] PaddingArguments = { "Padding", "PaddingH", "PaddingW", "PadTop", "PadBottom", "PadLeft", "PadRight" };

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticDescriptors.SameStrideId);

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (var diagnostic in context.Diagnostics)
        {
            // With padding numbers already written next to 'same' (also CG0012), which one the user meant is a guess.
            if (FixData.Ints(FixData.Read(diagnostic), "padding", 2) is not { } padding
                || await LayerAttributeTarget.FindAsync(context.Document, diagnostic, context.CancellationToken).ConfigureAwait(false) is not { } target
                || target.Layer is not ("Conv1d" or "Conv2d")
                || target.Blamed is not { } pad
                || pad.NameEquals?.Name.Identifier.ValueText != "Pad"
                || target.PadMember(pad, "Same", context.CancellationToken) is null
                || target.AnyNamed(PaddingArguments))
            {
                continue;
            }

            var replacement = !target.IsTwoD
                ? new[] { ArgumentListEditor.Named("Padding", padding[1]) }
                : padding[0] == padding[1]
                    ? new[] { ArgumentListEditor.Named("Padding", padding[0]) }
                    : new[] { ArgumentListEditor.Named("PaddingH", padding[0]), ArgumentListEditor.Named("PaddingW", padding[1]) };
            context.RegisterCodeFix(
                CodeAction.Create(
                    "Use explicit padding",
                    _ => Task.FromResult(target.With(new ArgumentListEditor(target.Attribute.ArgumentList!).Replace(pad, replacement).ToSyntax())),
                    ExplicitPaddingKey),
                diagnostic);
        }
    }
}
