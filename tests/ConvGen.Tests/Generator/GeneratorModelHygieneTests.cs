using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using ConvGen.Generator;
using ConvGen.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Xunit;

namespace ConvGen.Tests.Generator;

/// <summary>
/// The incremental model is plain data. A symbol, syntax node or compilation inside it pins the whole
/// compilation in the driver's cache and never compares equal, so the pipeline silently stops caching.
/// These tests walk the model graph by reflection, and compare two models built from identical text
/// member by member.
/// </summary>
public sealed class GeneratorModelHygieneTests
{
    /// <summary>Types that must never be reachable from the model.</summary>
    private static readonly Type[] Forbidden =
    {
        typeof(ISymbol), typeof(Compilation), typeof(SyntaxNode), typeof(SyntaxTree), typeof(Location),
        typeof(SemanticModel), typeof(SyntaxToken), typeof(SyntaxTrivia), typeof(SyntaxReference),
        typeof(AttributeData), typeof(TypedConstant), typeof(IOperation), typeof(Microsoft.CodeAnalysis.Text.SourceText),
    };

    /// <summary>Every snapshot network plus broken ones, so diagnostics and their locations are in the graph too.</summary>
    private static string[] Sources() => SnapshotNetworks.All.Select(SnapshotNetworks.Source)
        .Append(GeneratorHarness.Declare("[Network(6, 8, 8)]\n[Conv2d(8, 3, Groups = 4, Name = \"conv\")]", className: "BrokenGroups"))
        .Append("using ConvGen;\n\nnamespace Tests;\n\n[Network(1, 8, 8)]\n[ReLU]\npublic class NotPartial\n{\n}\n")
        .ToArray();

    [Fact]
    public void Model_HoldsNoSymbolsSyntaxOrCompilations()
    {
        var models = GeneratorRuns.ModelOutputs(GeneratorRuns.Run(true, Sources()).Result);
        Assert.Equal(SnapshotNetworks.All.Count() + 2, models.Count);

        var problems = new List<string>();
        var types = new HashSet<Type>();
        foreach (var (model, _) in models)
        {
            Walk(model, "model", problems, types, depth: 0);
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems.Distinct()));
        Assert.Contains(types, t => t.Name == "NetworkModel");
        Assert.Contains(types, t => t.Name == "LayerDecl");
        Assert.Contains(types, t => t.Name == "DiagnosticInfo");
        Assert.Contains(types, t => t.Name == "LocationInfo");
    }

    [Fact]
    public void Model_FromIdenticalText_IsEqualAtEveryMember()
    {
        // Two independent parses and compilations: nothing can be shared by reference, so every member
        // compares equal only if its type has value equality (records, IEquatable, equatable arrays).
        var first = GeneratorRuns.ModelOutputs(GeneratorRuns.Run(true, Sources()).Result);
        var second = GeneratorRuns.ModelOutputs(GeneratorRuns.Run(true, Sources()).Result);
        Assert.Equal(first.Count, second.Count);

        var problems = new List<string>();
        for (int i = 0; i < first.Count; i++)
        {
            Assert.Equal(first[i].Value, second[i].Value);
            Assert.Equal(first[i].Value.GetHashCode(), second[i].Value.GetHashCode());
            CompareMembers(first[i].Value, second[i].Value, $"model[{i}]", problems, depth: 0);
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems.Distinct()));
    }

    [Fact]
    public void Model_OfAChangedLayer_IsNotEqual()
    {
        // Value equality must not be trivially true either.
        string a = GeneratorHarness.Declare("[Network(1, 8, 8)]\n[Conv2d(4, 3), LeakyReLU(NegativeSlope = 0.2)]");
        string b = GeneratorHarness.Declare("[Network(1, 8, 8)]\n[Conv2d(4, 3), LeakyReLU(NegativeSlope = 0.25)]");

        var first = Assert.Single(GeneratorRuns.ModelOutputs(GeneratorRuns.Run(true, a).Result)).Value;
        var second = Assert.Single(GeneratorRuns.ModelOutputs(GeneratorRuns.Run(true, b).Result)).Value;

        Assert.NotEqual(first, second);
    }

    [Fact]
    public void ModelTypes_DeclareValueEquality()
    {
        // Static check over the declared member types, so a null member of a bad type is caught too.
        var models = GeneratorRuns.ModelOutputs(GeneratorRuns.Run(true, Sources()).Result);
        var problems = new List<string>();
        var seen = new HashSet<Type>();
        CheckType(models[0].Value.GetType(), models[0].Value.GetType().Name, problems, seen);

        Assert.True(problems.Count == 0, string.Join("\n", problems.Distinct()));
    }

    private static void Walk(object? value, string path, List<string> problems, HashSet<Type> types, int depth)
    {
        if (value is null || depth > 40)
        {
            return;
        }

        var type = value.GetType();
        types.Add(type);
        if (Forbidden.FirstOrDefault(f => f.IsAssignableFrom(type)) is { } bad)
        {
            problems.Add($"{path} is a {bad.Name} ({type.FullName})");
            return;
        }

        if (IsLeaf(type))
        {
            return;
        }

        if (!HasValueEquality(type))
        {
            problems.Add($"{path}: {Describe(type)} has reference equality");
        }

        if (value is IEnumerable items)
        {
            // An equatable collection compares its elements; its storage is an implementation detail.
            int i = 0;
            foreach (var item in items)
            {
                Walk(item, $"{path}[{i++}]", problems, types, depth + 1);
            }

            return;
        }

        foreach (var (name, member) in Members(value))
        {
            Walk(member, path + "." + name, problems, types, depth + 1);
        }
    }

    private static void CompareMembers(object? a, object? b, string path, List<string> problems, int depth)
    {
        if (a is null || b is null || depth > 40)
        {
            if ((a is null) != (b is null))
            {
                problems.Add($"{path}: one run has null");
            }

            return;
        }

        if (!Equals(a, b))
        {
            problems.Add($"{path}: {Describe(a.GetType())} built from identical text is not Equal ({a} vs {b})");
            return;
        }

        if (IsLeaf(a.GetType()))
        {
            return;
        }

        if (a is IEnumerable ea && b is IEnumerable eb)
        {
            var la = ea.Cast<object?>().ToList();
            var lb = eb.Cast<object?>().ToList();
            for (int i = 0; i < Math.Min(la.Count, lb.Count); i++)
            {
                CompareMembers(la[i], lb[i], $"{path}[{i}]", problems, depth + 1);
            }

            return;
        }

        var ma = Members(a).ToList();
        var mb = Members(b).ToList();
        for (int i = 0; i < ma.Count; i++)
        {
            CompareMembers(ma[i].Value, mb[i].Value, path + "." + ma[i].Name, problems, depth + 1);
        }
    }

    private static void CheckType(Type type, string path, List<string> problems, HashSet<Type> seen)
    {
        if (!seen.Add(type) || IsLeaf(type))
        {
            return;
        }

        var underlying = Nullable.GetUnderlyingType(type);
        if (underlying is not null)
        {
            CheckType(underlying, path, problems, seen);
            return;
        }

        if (type == typeof(object) || type.IsInterface || type.IsArray)
        {
            problems.Add($"{path}: declared as {Describe(type)}, which has no value equality");
            return;
        }

        if (Forbidden.FirstOrDefault(f => f.IsAssignableFrom(type) || type.IsAssignableFrom(f)) is { } bad)
        {
            problems.Add($"{path}: declared as {Describe(type)}, which can hold a {bad.Name}");
            return;
        }

        if (!HasValueEquality(type))
        {
            problems.Add($"{path}: {Describe(type)} has reference equality");
        }

        if (typeof(IEnumerable).IsAssignableFrom(type))
        {
            var element = type.GetInterfaces()
                .FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))?
                .GetGenericArguments()[0];
            if (element is not null)
            {
                CheckType(element, path + "[]", problems, seen);
            }

            return;
        }

        foreach (var field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
        {
            CheckType(field.FieldType, path + "." + MemberName(field), problems, seen);
        }
    }

    /// <summary>Instance fields (the state, including auto-property backing fields) and public computed properties.</summary>
    private static IEnumerable<(string Name, object? Value)> Members(object value)
    {
        var type = value.GetType();
        foreach (var field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
        {
            yield return (MemberName(field), field.GetValue(value));
        }

        foreach (var property in type.GetProperties(BindingFlags.Instance | BindingFlags.Public))
        {
            if (property.GetIndexParameters().Length == 0 && property.GetMethod is not null
                && type.GetField($"<{property.Name}>k__BackingField", BindingFlags.Instance | BindingFlags.NonPublic) is null)
            {
                yield return (property.Name, property.GetValue(value));
            }
        }
    }

    private static string MemberName(FieldInfo field)
        => field.Name.StartsWith('<') ? field.Name.Substring(1, field.Name.IndexOf('>', StringComparison.Ordinal) - 1) : field.Name;

    private static bool IsLeaf(Type type) => type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal);

    /// <summary>
    /// A record class (compiler-generated EqualityContract), or a type implementing IEquatable of itself (record
    /// structs do), except the BCL collections, whose IEquatable compares references.
    /// </summary>
    private static bool HasValueEquality(Type type)
    {
        if (type.GetProperty("EqualityContract", BindingFlags.Instance | BindingFlags.NonPublic) is not null)
        {
            return true;
        }

        bool equatable = typeof(IEquatable<>).MakeGenericType(type).IsAssignableFrom(type);
        bool referenceCollection = type.IsGenericType && type.Namespace is "System.Collections.Immutable" or "System.Collections.Generic";
        return equatable && !referenceCollection;
    }

    private static string Describe(Type type) => type.IsGenericType
        ? type.Name.Split('`')[0] + "<" + string.Join(", ", type.GetGenericArguments().Select(Describe)) + ">"
        : type.Name;
}
