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
/// CG0001: offers "Use groups = N" for each valid group count the shape module found nearest to the declared
/// one ("groups=4,2"). Only a literal <c>Groups = 3</c> is rewritten: a constant may be shared or derived.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(GroupsCodeFixProvider)), Shared]
public sealed class GroupsCodeFixProvider : CodeFixProvider
{
    /// <summary>The equivalence key of "Use groups = N" is this prefix and N, so Fix All applies the same count everywhere.</summary>
    public const string EquivalenceKeyPrefix = "ConvGen.CG0001.UseGroups=";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticDescriptors.GroupsId);

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (var diagnostic in context.Diagnostics)
        {
            var groups = FixData.Ints(FixData.Read(diagnostic), "groups", count: 0);
            if (groups is null
                || await LayerAttributeTarget.FindAsync(context.Document, diagnostic, context.CancellationToken).ConfigureAwait(false) is not { } target
                || target.Blamed is not { } argument
                || argument.NameEquals?.Name.Identifier.ValueText != "Groups"
                || LayerAttributeTarget.IntLiteral(argument) is null)
            {
                continue;
            }

            foreach (int n in groups)
            {
                if (n < 1)
                {
                    continue;
                }

                string value = n.ToString(CultureInfo.InvariantCulture);
                context.RegisterCodeFix(
                    CodeAction.Create(
                        "Use groups = " + value,
                        _ => Task.FromResult(target.With(new ArgumentListEditor(target.Attribute.ArgumentList!)
                            .Replace(argument, ArgumentListEditor.WithValue(argument, ArgumentListEditor.Int(n)))
                            .ToSyntax())),
                        EquivalenceKeyPrefix + value),
                    diagnostic);
            }
        }
    }
}
