using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Simplification;

namespace ConvGen.CodeFixes;

/// <summary>
/// One layer attribute replaced by two in the same attribute list (CG0005's <c>Upsample(s), Conv2d(…)</c> and
/// <c>Conv2d(…), PixelShuffle(s)</c>). The new attributes are spelled like the old one (<c>ConvGen.X</c>,
/// <c>XAttribute</c>); the first takes the old attribute's leading trivia, the last its trailing trivia, and the
/// separator between them follows the list's layout (a line break when the list puts one attribute per line).
/// </summary>
internal sealed class LayerReplacement
{
    private readonly LayerAttributeTarget _target;
    private readonly AttributeSyntax _first;
    private readonly AttributeSyntax _second;

    private LayerReplacement(LayerAttributeTarget target, string title, AttributeSyntax first, AttributeSyntax second)
    {
        _target = target;
        Title = title;
        _first = first;
        _second = second;
    }

    /// <summary>"Replace with Upsample + Conv2d".</summary>
    public string Title { get; }

    /// <summary>
    /// <c>Upsample(s), ConvNd(out, 3, Padding = 1)</c> for a transposed convolution whose output is s times its
    /// input: nearest upsampling, then a convolution that keeps the size. The convolution keeps <c>Name</c> and a
    /// <c>Bias</c> other than a literal <c>true</c>; stride, padding, output padding, dilation and groups go.
    /// </summary>
    public static LayerReplacement? UpsampleConv(LayerAttributeTarget target, int scale)
    {
        if (target.ConstructorArgument("outChannels") is not { } outChannels)
        {
            return null;
        }

        string conv = target.IsTwoD ? "Conv2d" : "Conv1d";
        var upsample = Attribute(target, "Upsample", SyntaxFactory.AttributeArgument(ArgumentListEditor.Int(scale)));
        var convolution = Convolution(target, conv, outChannels.Expression.WithoutTrivia());
        return new LayerReplacement(target, "Replace with Upsample + " + conv, upsample, convolution);
    }

    /// <summary>
    /// <c>Conv2d(out·s², 3, Padding = 1), PixelShuffle(s)</c> (sub-pixel convolution), when <c>out</c> is an
    /// integer literal: the product is written out.
    /// </summary>
    public static LayerReplacement? ConvPixelShuffle(LayerAttributeTarget target, int scale)
    {
        if (!target.IsTwoD || LayerAttributeTarget.IntLiteral(target.ConstructorArgument("outChannels")) is not { } outChannels)
        {
            return null;
        }

        long channels = (long)outChannels * scale * scale;
        if (channels > int.MaxValue)
        {
            return null;
        }

        var convolution = Convolution(target, "Conv2d", ArgumentListEditor.Int((int)channels));
        var shuffle = Attribute(target, "PixelShuffle", SyntaxFactory.AttributeArgument(ArgumentListEditor.Int(scale)));
        return new LayerReplacement(target, "Replace with Conv2d + PixelShuffle", convolution, shuffle);
    }

    /// <summary>The document with the two attributes in place of the old one.</summary>
    public Document Apply()
    {
        var old = _target.Attribute;
        var list = (AttributeListSyntax)old.Parent!;
        var attributes = list.Attributes;
        int index = attributes.IndexOf(old);

        // One attribute per line: the new separator copies an existing line break and the second attribute the
        // indentation of the attribute after it.
        SyntaxToken separator = SyntaxFactory.Token(SyntaxKind.CommaToken).WithTrailingTrivia(SyntaxFactory.Space);
        SyntaxTriviaList secondLeading = default;
        for (int i = 0; i < attributes.SeparatorCount; i++)
        {
            var existing = attributes.GetSeparator(i);
            if (existing.TrailingTrivia.Any(t => t.IsKind(SyntaxKind.EndOfLineTrivia)))
            {
                separator = SyntaxFactory.Token(SyntaxKind.CommaToken).WithTrailingTrivia(existing.TrailingTrivia);
                secondLeading = attributes[i + 1].GetLeadingTrivia();
                break;
            }
        }

        var nodesAndTokens = new List<SyntaxNodeOrToken>();
        for (int i = 0; i < attributes.Count; i++)
        {
            if (i == index)
            {
                nodesAndTokens.Add(_first.WithLeadingTrivia(old.GetLeadingTrivia()));
                nodesAndTokens.Add(separator);
                nodesAndTokens.Add(_second.WithLeadingTrivia(secondLeading).WithTrailingTrivia(old.GetTrailingTrivia()));
            }
            else
            {
                nodesAndTokens.Add(attributes[i]);
            }

            if (i < attributes.SeparatorCount)
            {
                nodesAndTokens.Add(attributes.GetSeparator(i));
            }
        }

        var newList = list.WithAttributes(SyntaxFactory.SeparatedList<AttributeSyntax>(nodesAndTokens));
        return _target.Document.WithSyntaxRoot(_target.Root.ReplaceNode(list, newList));
    }

    /// <summary><c>ConvNd(out, 3, Padding = 1, …)</c> with the kept named arguments in their original order.</summary>
    private static AttributeSyntax Convolution(LayerAttributeTarget target, string layer, ExpressionSyntax outChannels)
    {
        var arguments = new List<AttributeArgumentSyntax>
        {
            SyntaxFactory.AttributeArgument(outChannels),
            SyntaxFactory.AttributeArgument(ArgumentListEditor.Int(3)),
            ArgumentListEditor.Named("Padding", 1),
        };
        foreach (var argument in target.Attribute.ArgumentList!.Arguments)
        {
            string? name = argument.NameEquals?.Name.Identifier.ValueText;
            if (name == "Name" || (name == "Bias" && LayerAttributeTarget.BoolLiteral(argument) != true))
            {
                arguments.Add(argument.WithoutTrivia());
            }
        }

        return Attribute(target, layer, arguments.ToArray());
    }

    private static AttributeSyntax Attribute(LayerAttributeTarget target, string layer, params AttributeArgumentSyntax[] arguments)
    {
        var separators = Enumerable.Repeat(SyntaxFactory.Token(SyntaxKind.CommaToken).WithTrailingTrivia(SyntaxFactory.Space), System.Math.Max(0, arguments.Length - 1));
        return SyntaxFactory.Attribute(Name(target, layer), SyntaxFactory.AttributeArgumentList(SyntaxFactory.SeparatedList(arguments, separators)));
    }

    /// <summary>
    /// <paramref name="layer"/> spelled like the replaced attribute: its rightmost identifier swapped, keeping a
    /// qualification and an "Attribute" suffix; an alias gets <c>global::ConvGen.X</c> for the simplifier.
    /// </summary>
    private static NameSyntax Name(LayerAttributeTarget target, string layer)
    {
        var name = target.Attribute.Name;
        var rightmost = name switch
        {
            QualifiedNameSyntax q => q.Right,
            AliasQualifiedNameSyntax a => a.Name,
            SimpleNameSyntax s => s,
            _ => null,
        };
        string? written = rightmost?.Identifier.ValueText;
        if (rightmost is IdentifierNameSyntax && (written == target.Layer || written == target.Layer + "Attribute"))
        {
            string text = written == target.Layer ? layer : layer + "Attribute";
            var replacement = SyntaxFactory.IdentifierName(SyntaxFactory.Identifier(text)).WithTriviaFrom(rightmost);
            return (name == rightmost ? replacement : name.ReplaceNode(rightmost, replacement)).WithoutTrivia();
        }

        return SyntaxFactory.ParseName("global::ConvGen." + layer).WithAdditionalAnnotations(Simplifier.Annotation);
    }
}
