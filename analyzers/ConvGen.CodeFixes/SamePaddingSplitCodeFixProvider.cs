using System.Collections.Immutable;
using System.Composition;
using System.Threading.Tasks;
using ConvGen.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;

namespace ConvGen.CodeFixes;

/// <summary>
/// CG0002: 'same' padding whose d(k − 1) is odd. Two fixes from the data "pads=t,b,l,r;kernel=kH,kW":
/// write PyTorch's split out explicitly (<c>PadTop = t, PadBottom = b, PadLeft = l, PadRight = r</c>; Conv1d has
/// only left/right), or keep 'same' and take the next odd kernel, which splits evenly.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(SamePaddingSplitCodeFixProvider)), Shared]
public sealed class SamePaddingSplitCodeFixProvider : CodeFixProvider
{
    /// <summary>"Make the padding explicit".</summary>
    public const string ExplicitPaddingKey = "ConvGen.CG0002.ExplicitPadding";

    /// <summary>"Use kernel size K" (each layer its own next odd kernel).</summary>
    public const string OddKernelKey = "ConvGen.CG0002.OddKernel";

    private static readonly string[] PaddingArguments = { "Padding", "PaddingH", "PaddingW", "PadTop", "PadBottom", "PadLeft", "PadRight" };

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticDescriptors.SameAsymmetricId);

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (var diagnostic in context.Diagnostics)
        {
            var data = FixData.Read(diagnostic);
            if (await LayerAttributeTarget.FindAsync(context.Document, diagnostic, context.CancellationToken).ConfigureAwait(false) is not { } target
                || target.Layer is not ("Conv1d" or "Conv2d")
                || target.Blamed is not { } pad
                || pad.NameEquals?.Name.Identifier.ValueText != "Pad")
            {
                continue;
            }

            // The explicit split replaces 'Pad = Pad.Same' itself; next to padding numbers (also CG0012) it would
            // only add a conflict.
            if (FixData.Ints(data, "pads", 4) is { } pads
                && target.PadMember(pad, "Same", context.CancellationToken) is not null
                && !target.AnyNamed(PaddingArguments))
            {
                var explicitPads = target.IsTwoD
                    ? new[] { ArgumentListEditor.Named("PadTop", pads[0]), ArgumentListEditor.Named("PadBottom", pads[1]), ArgumentListEditor.Named("PadLeft", pads[2]), ArgumentListEditor.Named("PadRight", pads[3]) }
                    : new[] { ArgumentListEditor.Named("PadLeft", pads[2]), ArgumentListEditor.Named("PadRight", pads[3]) };
                context.RegisterCodeFix(
                    CodeAction.Create(
                        "Make the padding explicit",
                        _ => Task.FromResult(target.With(new ArgumentListEditor(target.Attribute.ArgumentList!).Replace(pad, explicitPads).ToSyntax())),
                        ExplicitPaddingKey),
                    diagnostic);
            }

            // The odd kernel keeps 'same' and touches only the kernel arguments.
            if (FixData.Ints(data, "kernel", 2) is { } kernel && KernelRewrite.To(target, kernel[0], kernel[1]) is { } odd)
            {
                context.RegisterCodeFix(CodeAction.Create(odd.Title, _ => Task.FromResult(odd.Apply()), OddKernelKey), diagnostic);
            }
        }
    }
}
