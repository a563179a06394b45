using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace ConvGen.Generator.Parsing;

/// <summary>
/// Typed access to an attribute's constructor and named arguments. A missing or mistyped argument
/// reads as the default: the shape module then reports the bad value instead of the generator throwing.
/// </summary>
internal readonly struct AttributeArguments
{
    private readonly ImmutableArray<TypedConstant> _positional;
    private readonly ImmutableArray<System.Collections.Generic.KeyValuePair<string, TypedConstant>> _named;

    public AttributeArguments(AttributeData attribute)
    {
        _positional = attribute.ConstructorArguments;
        _named = attribute.NamedArguments;
    }

    public int PositionalCount => _positional.Length;

    public int Positional(int index)
        => index < _positional.Length && _positional[index].Value is int value ? value : 0;

    public string? PositionalString(int index)
        => index < _positional.Length ? _positional[index].Value as string : null;

    public bool AnyNamed(params string[] names) => _named.Any(n => names.Contains(n.Key));

    public int Int(string name, int fallback) => Named(name) is int value ? value : fallback;

    public bool Bool(string name, bool fallback) => Named(name) is bool value ? value : fallback;

    public double Double(string name, double fallback) => Named(name) switch
    {
        double d => d,
        float f => f,
        int i => i,
        _ => fallback,
    };

    public string? String(string name) => Named(name) as string;

    private object? Named(string name)
    {
        foreach (var pair in _named)
        {
            if (pair.Key == name)
            {
                return pair.Value.Kind == TypedConstantKind.Error ? null : pair.Value.Value;
            }
        }

        return null;
    }
}
