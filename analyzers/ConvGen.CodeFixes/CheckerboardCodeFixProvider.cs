using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Globalization;
using System.Threading.Tasks;
using ConvGen.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;

namespace ConvGen.CodeFixes;

/// <summary>
/// CG0005: a transposed convolution whose kernel is not a multiple of its stride. The data is
/// "kernels=KH,KW" plus ";upsample=S" when the layer's output is exactly S times its input
/// (one stride S, groups 1), so that a replacement keeps every later shape. Three fixes:
/// <list type="bullet">
/// <item>"Use kernel size K" writes the whole fixed kernel (<c>kernels</c>, every flagged axis at once, as the one
/// diagnostic names every flagged axis): <c>ConvTranspose2d(out, K)</c> when KH == KW, else
/// <c>ConvTranspose2d(out, KH, KW)</c> (1-D: <c>ConvTranspose1d(out, KW)</c>).</item>
/// <item>"Replace with Upsample + Conv2d" (with <c>upsample</c>): <c>Upsample(S), Conv2d(out, 3, Padding = 1)</c>.</item>
/// <item>"Replace with Conv2d + PixelShuffle" (2-D, with <c>upsample</c>, <c>out</c> a literal):
/// <c>Conv2d(out·S², 3, Padding = 1), PixelShuffle(S)</c>.</item>
/// </list>
/// The replacements add a layer, so later layers' default names (state_dict indices) shift by one.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(CheckerboardCodeFixProvider)), Shared]
public sealed class CheckerboardCodeFixProvider : CodeFixProvider
{
    /// <summary>
    /// The equivalence key of "Use kernel size K" is this prefix and the kernel as the title writes it ("4",
    /// "6x4"): Fix All applies that kernel, and the two diagnostics of one layer (same edit) count once.
    /// </summary>
    public const string KernelKeyPrefix = "ConvGen.CG0005.UseKernelSize=";

    /// <summary>"Replace with Upsample + Conv2d" (or Conv1d).</summary>
    public const string UpsampleConvKey = "ConvGen.CG0005.UpsampleConv";

    /// <summary>"Replace with Conv2d + PixelShuffle".</summary>
    public const string ConvPixelShuffleKey = "ConvGen.CG0005.ConvPixelShuffle";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticDescriptors.CheckerboardId);

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <summary>The equivalence key of "Use kernel size K" (a 1-D or square kernel).</summary>
    public static string KernelKey(int k) => KernelKey(k, k);

    /// <summary>The equivalence key of "Use kernel size KHxKW" (the same as <see cref="KernelKey(int)"/> when KH == KW).</summary>
    public static string KernelKey(int kH, int kW) => KernelKeyPrefix + SizeText(kH, kW);

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        // The diagnostics of one call share a span (two layers on one line, or a Fix All batch); diagnostics with the
        // same kernels and scale lead to the same fix, so each distinct fix is registered once, for all of them.
        var fixes = new Dictionary<string, (CodeAction Action, List<Diagnostic> Diagnostics)>(System.StringComparer.Ordinal);
        void Offer(string key, string title, System.Func<Document> apply, Diagnostic diagnostic)
        {
            if (!fixes.TryGetValue(key, out var fix))
            {
                fix = (CodeAction.Create(title, _ => Task.FromResult(apply()), key), new List<Diagnostic>());
                fixes.Add(key, fix);
            }

            fix.Diagnostics.Add(diagnostic);
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            var data = FixData.Read(diagnostic);
            if (data is null
                || await LayerAttributeTarget.FindAsync(context.Document, diagnostic, context.CancellationToken).ConfigureAwait(false) is not { } target
                || target.Layer is not ("ConvTranspose1d" or "ConvTranspose2d"))
            {
                continue;
            }

            if (FixData.Ints(data, "kernels", 2) is { } kernels && kernels[0] >= 1 && kernels[1] >= 1
                && KernelRewrite.To(target, kernels[0], kernels[1]) is { } rewrite)
            {
                Offer(target.IsTwoD ? KernelKey(kernels[0], kernels[1]) : KernelKey(kernels[1]), rewrite.Title, rewrite.Apply, diagnostic);
            }

            if (FixData.Ints(data, "upsample", 1) is { } upsampleData && upsampleData[0] >= 2)
            {
                int scale = upsampleData[0];
                if (LayerReplacement.UpsampleConv(target, scale) is { } upsample)
                {
                    Offer(UpsampleConvKey, upsample.Title, upsample.Apply, diagnostic);
                }

                if (LayerReplacement.ConvPixelShuffle(target, scale) is { } shuffle)
                {
                    Offer(ConvPixelShuffleKey, shuffle.Title, shuffle.Apply, diagnostic);
                }
            }
        }

        foreach (var (action, diagnostics) in fixes.Values)
        {
            context.RegisterCodeFix(action, diagnostics.ToImmutableArray());
        }
    }


    private static string SizeText(int kH, int kW)
        => kH == kW
            ? kW.ToString(CultureInfo.InvariantCulture)
            : kH.ToString(CultureInfo.InvariantCulture) + "x" + kW.ToString(CultureInfo.InvariantCulture);
}
