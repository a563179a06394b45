using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using ConvGen.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;

namespace ConvGen.CodeFixes;

/// <summary>
/// CG0005: a transposed convolution whose kernel is not a multiple of its stride. "Use kernel size K" writes the
/// data's kernel ("kernel=k;axis=height|width|length") into that axis's constructor argument. A square kernel
/// written once is replaced whole when both axes have the same stride and dilation (then both are flagged
/// alike); when the other axis has stride 1 (so it cannot be flagged) it is split into <c>kH, kW</c> and only the
/// flagged axis changes; otherwise no fix is offered (see the comment in <see cref="Rewrite"/>).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(CheckerboardCodeFixProvider)), Shared]
public sealed class CheckerboardCodeFixProvider : CodeFixProvider
{
    /// <summary>"Use kernel size K" (each layer its own multiple of the stride).</summary>
    public const string KernelMultipleKey = "ConvGen.CG0005.KernelMultipleOfStride";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticDescriptors.CheckerboardId);

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (var diagnostic in context.Diagnostics)
        {
            var data = FixData.Read(diagnostic);
            if (FixData.Ints(data, "kernel", 1) is not { } kernel
                || kernel[0] < 1
                || !data!.TryGetValue("axis", out var axis)
                || await LayerAttributeTarget.FindAsync(context.Document, diagnostic, context.CancellationToken).ConfigureAwait(false) is not { } target
                || Rewrite(target, kernel[0], axis, context.CancellationToken) is not { } rewrite)
            {
                continue;
            }

            context.RegisterCodeFix(CodeAction.Create(rewrite.Title, _ => Task.FromResult(rewrite.Apply()), KernelMultipleKey), diagnostic);
        }
    }

    private static KernelRewrite? Rewrite(LayerAttributeTarget target, int k, string axis, CancellationToken cancellationToken)
    {
        switch (target.Layer, axis)
        {
            case ("ConvTranspose1d", "length"):
                return KernelRewrite.Single(target, "kernelSize", k);
            case ("ConvTranspose2d", "height" or "width"):
                bool height = axis == "height";
                if (target.HasParameter("kernelHeight"))
                {
                    return KernelRewrite.Single(target, height ? "kernelHeight" : "kernelWidth", k);
                }

                if (SameAlongBothAxes(target, cancellationToken))
                {
                    return KernelRewrite.Single(target, "kernelSize", k);
                }

                // Split the square kernel only when the other axis has stride 1, so it cannot be flagged too: the
                // diagnostic knows only its own axis, and two splits of one argument ("k', k" and "k, k'") would
                // merge into a wrong kernel under Fix All.
                if (target.IntValue(height ? "StrideW" : "StrideH", target.IntValue("Stride", 1, cancellationToken), cancellationToken) != 1)
                {
                    return null;
                }

                int? square = LayerAttributeTarget.IntLiteral(target.ConstructorArgument("kernelSize"));
                return square is not { } s ? null : height ? KernelRewrite.Expand(target, k, s) : KernelRewrite.Expand(target, s, k);
            default:
                return null;
        }
    }

    /// <summary>Whether stride and dilation are the same along both axes, as the parser resolves them (StrideH, else Stride, else 1).</summary>
    private static bool SameAlongBothAxes(LayerAttributeTarget target, CancellationToken cancellationToken)
    {
        int? stride = target.IntValue("Stride", 1, cancellationToken);
        int? dilation = target.IntValue("Dilation", 1, cancellationToken);
        int? strideH = stride is null ? null : target.IntValue("StrideH", stride, cancellationToken);
        int? strideW = stride is null ? null : target.IntValue("StrideW", stride, cancellationToken);
        int? dilationH = dilation is null ? null : target.IntValue("DilationH", dilation, cancellationToken);
        int? dilationW = dilation is null ? null : target.IntValue("DilationW", dilation, cancellationToken);
        return strideH is not null && strideH == strideW && dilationH is not null && dilationH == dilationW;
    }
}
