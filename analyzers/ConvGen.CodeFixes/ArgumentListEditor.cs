using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Simplification;

namespace ConvGen.CodeFixes;

/// <summary>
/// Edits an attribute's argument list while keeping the user's layout: each argument keeps the separator that
/// follows it (so a line break after a comma stays where it was), a replaced argument passes its trivia on to
/// its replacements, and new arguments get the spacing the list already uses.
/// </summary>
internal sealed class ArgumentListEditor
{
    private readonly AttributeArgumentListSyntax _original;
    private readonly List<AttributeArgumentSyntax> _arguments = new();
    private readonly List<SyntaxToken?> _separators = new();

    public ArgumentListEditor(AttributeArgumentListSyntax list)
    {
        _original = list;
        var arguments = list.Arguments;
        for (int i = 0; i < arguments.Count; i++)
        {
            _arguments.Add(arguments[i]);
            _separators.Add(i < arguments.SeparatorCount ? arguments.GetSeparator(i) : null);
        }
    }

    /// <summary>Replaces <paramref name="old"/> by one or more arguments, in its place.</summary>
    public ArgumentListEditor Replace(AttributeArgumentSyntax old, params AttributeArgumentSyntax[] replacements)
    {
        int index = IndexOf(old);
        var after = _separators[index];
        _arguments.RemoveAt(index);
        _separators.RemoveAt(index);
        for (int i = 0; i < replacements.Length; i++)
        {
            var argument = replacements[i];
            if (i == 0)
            {
                argument = argument.WithLeadingTrivia(old.GetLeadingTrivia());
            }

            if (i == replacements.Length - 1)
            {
                argument = argument.WithTrailingTrivia(old.GetTrailingTrivia());
            }

            _arguments.Insert(index + i, argument);
            _separators.Insert(index + i, i == replacements.Length - 1 ? after : Comma());
        }

        return this;
    }

    /// <summary>Removes <paramref name="old"/> with the separator after it (before it, for the last argument).</summary>
    public ArgumentListEditor Remove(AttributeArgumentSyntax old)
    {
        int index = IndexOf(old);
        _arguments.RemoveAt(index);
        _separators.RemoveAt(index);
        if (index == _arguments.Count && index > 0)
        {
            _separators[index - 1] = null;
        }

        return this;
    }

    /// <summary>
    /// Appends <paramref name="argument"/> at the end of the list: on its own line, indented like the last
    /// argument, when the list puts one argument per line.
    /// </summary>
    public ArgumentListEditor Add(AttributeArgumentSyntax argument)
    {
        if (_arguments.Count > 0)
        {
            var previous = _arguments.Count > 1 ? _separators[_arguments.Count - 2] : null;
            bool lineBreak = previous is { } p && p.TrailingTrivia.Any(t => t.IsKind(SyntaxKind.EndOfLineTrivia));
            _separators[_separators.Count - 1] = lineBreak ? previous : Comma();
            if (lineBreak)
            {
                argument = argument.WithLeadingTrivia(_arguments[_arguments.Count - 1].GetLeadingTrivia());
            }
        }

        _arguments.Add(argument);
        _separators.Add(null);
        return this;
    }

    /// <summary>The edited list.</summary>
    public AttributeArgumentListSyntax ToSyntax()
    {
        var nodesAndTokens = new List<SyntaxNodeOrToken>();
        for (int i = 0; i < _arguments.Count; i++)
        {
            nodesAndTokens.Add(_arguments[i]);
            if (i < _arguments.Count - 1)
            {
                nodesAndTokens.Add(_separators[i] ?? Comma());
            }
        }

        return _original.WithArguments(SyntaxFactory.SeparatedList<AttributeArgumentSyntax>(nodesAndTokens));
    }

    /// <summary><c>Name = value</c>, spaced as <c>Name = value</c>.</summary>
    public static AttributeArgumentSyntax Named(string name, ExpressionSyntax value)
        => SyntaxFactory.AttributeArgument(
            SyntaxFactory.NameEquals(
                SyntaxFactory.IdentifierName(SyntaxFactory.Identifier(name).WithTrailingTrivia(SyntaxFactory.Space)),
                SyntaxFactory.Token(SyntaxKind.EqualsToken).WithTrailingTrivia(SyntaxFactory.Space)),
            nameColon: null,
            value);

    /// <summary><c>Name = 3</c>.</summary>
    public static AttributeArgumentSyntax Named(string name, int value) => Named(name, Int(value));

    /// <summary>An integer literal.</summary>
    public static LiteralExpressionSyntax Int(int value)
        => SyntaxFactory.LiteralExpression(SyntaxKind.NumericLiteralExpression, SyntaxFactory.Literal(value.ToString(CultureInfo.InvariantCulture), value));

    /// <summary><c>global::ConvGen.Pad.{member}</c>, marked for the simplifier (usually <c>Pad.Causal</c> after the fix).</summary>
    public static ExpressionSyntax PadMember(string member)
        => SyntaxFactory.ParseExpression("global::ConvGen.Pad." + member).WithAdditionalAnnotations(Simplifier.Annotation);

    /// <summary><paramref name="argument"/> with its value replaced, keeping the value's trivia.</summary>
    public static AttributeArgumentSyntax WithValue(AttributeArgumentSyntax argument, ExpressionSyntax value)
        => argument.WithExpression(value.WithTriviaFrom(argument.Expression));

    private static SyntaxToken Comma() => SyntaxFactory.Token(SyntaxKind.CommaToken).WithTrailingTrivia(SyntaxFactory.Space);

    private int IndexOf(AttributeArgumentSyntax argument)
    {
        int index = _arguments.IndexOf(argument);
        if (index < 0)
        {
            throw new System.ArgumentException("The argument is not in this list.", nameof(argument));
        }

        return index;
    }
}
