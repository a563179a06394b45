using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ConvGen.CodeFixes;

/// <summary>
/// The layer attribute a diagnostic sits on, bound: its syntax, the argument the diagnostic blames (null when
/// it blames the whole attribute), and the attribute's constructor, which says what the layer is and which
/// parameter each positional argument fills. Fixers read arguments through it and rewrite only what they
/// recognise.
/// </summary>
internal sealed class LayerAttributeTarget
{
    private LayerAttributeTarget(Document document, SyntaxNode root, SemanticModel model, AttributeSyntax attribute, AttributeArgumentSyntax? blamed, IMethodSymbol constructor)
    {
        Document = document;
        Root = root;
        Model = model;
        Attribute = attribute;
        Blamed = blamed;
        Constructor = constructor;
    }

    public Document Document { get; }

    public SyntaxNode Root { get; }

    public SemanticModel Model { get; }

    public AttributeSyntax Attribute { get; }

    /// <summary>The argument the diagnostic points at, or null when it points at the whole attribute.</summary>
    public AttributeArgumentSyntax? Blamed { get; }

    public IMethodSymbol Constructor { get; }

    /// <summary>The attribute class's name without "Attribute" (Conv2d, ConvTranspose1d, Add...).</summary>
    public string Layer => Constructor.ContainingType.Name.Substring(0, Constructor.ContainingType.Name.Length - "Attribute".Length);

    /// <summary>Whether the layer is a 2-D one (Conv2d, ConvTranspose2d).</summary>
    public bool IsTwoD => Layer.EndsWith("2d", System.StringComparison.Ordinal);

    /// <summary>
    /// The ConvGen layer attribute at <paramref name="diagnostic"/>'s location, or null when the location is not
    /// a ConvGen attribute (or one of its arguments) that binds to a constructor.
    /// </summary>
    public static async Task<LayerAttributeTarget?> FindAsync(Document document, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        if (!diagnostic.Location.IsInSource
            || await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false) is not { } root
            || await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false) is not { } model)
        {
            return null;
        }

        var span = diagnostic.Location.SourceSpan;
        if (!root.FullSpan.Contains(span))
        {
            return null;
        }

        // A positional argument and its expression share a span: the innermost node is the expression.
        var node = root.FindNode(span, getInnermostNodeForTie: true);
        var blamed = node.FirstAncestorOrSelf<AttributeArgumentSyntax>();
        var attribute = node.FirstAncestorOrSelf<AttributeSyntax>();
        if (attribute?.ArgumentList is null)
        {
            return null;
        }

        if (blamed is not null && (blamed.Span != span || blamed.Parent?.Parent != attribute))
        {
            return null;
        }

        if (blamed is null && attribute.Span != span)
        {
            return null;
        }

        if (model.GetSymbolInfo(attribute, cancellationToken).Symbol is not IMethodSymbol { MethodKind: MethodKind.Constructor } constructor
            || constructor.ContainingType.ContainingNamespace is not { Name: "ConvGen", ContainingNamespace.IsGlobalNamespace: true }
            || !constructor.ContainingType.Name.EndsWith("Attribute", System.StringComparison.Ordinal))
        {
            return null;
        }

        return new LayerAttributeTarget(document, root, model, attribute, blamed, constructor);
    }

    /// <summary>The named argument <c>Name = value</c>, or null.</summary>
    public AttributeArgumentSyntax? Named(string name)
        => Attribute.ArgumentList!.Arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == name);

    /// <summary>Whether any of the named arguments is written.</summary>
    public bool AnyNamed(params string[] names) => names.Any(n => Named(n) is not null);

    /// <summary>The constructor argument that fills <paramref name="parameter"/> (positional or <c>name:</c>), or null.</summary>
    public AttributeArgumentSyntax? ConstructorArgument(string parameter)
    {
        int position = 0;
        foreach (var argument in Attribute.ArgumentList!.Arguments)
        {
            if (argument.NameEquals is not null)
            {
                continue;
            }

            string? name = argument.NameColon?.Name.Identifier.ValueText
                ?? (position < Constructor.Parameters.Length ? Constructor.Parameters[position].Name : null);
            position++;
            if (name == parameter)
            {
                return argument;
            }
        }

        return null;
    }

    /// <summary>Whether the constructor has a parameter named <paramref name="parameter"/>.</summary>
    public bool HasParameter(string parameter) => Constructor.Parameters.Any(p => p.Name == parameter);

    /// <summary>The value of an integer literal argument (<c>3</c>), or null for anything else (a constant, an expression).</summary>
    public static int? IntLiteral(AttributeArgumentSyntax? argument)
        => argument?.Expression is LiteralExpressionSyntax { RawKind: (int)SyntaxKind.NumericLiteralExpression, Token.Value: int value } ? value : null;

    /// <summary>The value of a <c>true</c>/<c>false</c> literal argument, or null for anything else.</summary>
    public static bool? BoolLiteral(AttributeArgumentSyntax? argument) => argument?.Expression.Kind() switch
    {
        SyntaxKind.TrueLiteralExpression => true,
        SyntaxKind.FalseLiteralExpression => false,
        _ => null,
    };

    /// <summary>
    /// The argument's expression when it is written as a member of <c>ConvGen.Pad</c> (<c>Pad.Same</c>,
    /// <c>ConvGen.Pad.Same</c>) naming <paramref name="member"/>; null for a cast, a constant or anything else.
    /// </summary>
    public MemberAccessExpressionSyntax? PadMember(AttributeArgumentSyntax? argument, string member, CancellationToken cancellationToken)
    {
        if (argument?.Expression is not MemberAccessExpressionSyntax access
            || access.Name.Identifier.ValueText != member
            || Model.GetSymbolInfo(access, cancellationToken).Symbol is not IFieldSymbol { ContainingType: { Name: "Pad", TypeKind: TypeKind.Enum } type }
            || type.ContainingNamespace is not { Name: "ConvGen", ContainingNamespace.IsGlobalNamespace: true })
        {
            return null;
        }

        return access;
    }

    /// <summary>The compile-time integer value of a named argument, the fallback when it is absent, or null when it is not a constant.</summary>
    public int? IntValue(string name, int? fallback, CancellationToken cancellationToken)
    {
        if (Named(name) is not { } argument)
        {
            return fallback;
        }

        var constant = Model.GetConstantValue(argument.Expression, cancellationToken);
        return constant.HasValue && constant.Value is int value ? value : null;
    }

    /// <summary>The document with the attribute's argument list replaced.</summary>
    public Document With(AttributeArgumentListSyntax arguments)
        => Document.WithSyntaxRoot(Root.ReplaceNode(Attribute.ArgumentList!, arguments));
}
