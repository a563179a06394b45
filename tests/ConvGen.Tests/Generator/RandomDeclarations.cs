using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace ConvGen.Tests.Generator;

/// <summary>
/// Seeded random network declarations for the never-throws fuzz test. Four kinds, mixed: plausible
/// stacks of a consistent rank with sane numbers (many compile); the same with a few mutations (odd names,
/// NaN/∞/huge floats, undefined enum values cast in, one number swapped for 0, a negative or 100000), which
/// often still reach the emitter; wild declarations where every value may be nonsense; and attribute syntax
/// the compiler itself rejects (missing or extra positional arguments, wrong types, unknown names).
/// </summary>
internal sealed class RandomDeclarations
{
    private static readonly string[] Activations = { "ReLU", "ReLU6", "Sigmoid", "Tanh", "SiLU", "Identity", "LeakyReLU", "LeakyReLU(NegativeSlope = 0.2)", "Dropout", "Dropout(P = 0.1)" };
    private static readonly string[] TensorNames = { "a", "b", "skip" };
    private static readonly string[] OddStrings = { "\"\"", "null", "\"a\"", "\"x\\\"y\"", "\"a\\\\b\"", "\"<b>&amp;\"", "\"ünï\"", "\"line\\nbreak\"", "\"tab\\there\"", "\"0\"" };
    private static readonly string[] OddDoubles = { "0", "-1", "1.5", "0.5", "1e-3", "0.05", "1", "double.NaN", "double.PositiveInfinity", "double.NegativeInfinity", "1e39", "-0.2", "1e-45", "double.Epsilon" };
    private static readonly int[] OddInts = { 0, -1, -7, 1, 2, 3, 5, 100000 };

    private readonly Random _random;

    public RandomDeclarations(int seed) => _random = new Random(seed);

    public enum Kind
    {
        Plausible,
        Mutated,
        Wild,
        BadSyntax,
    }

    /// <summary>A whole file declaring class Tests.<paramref name="className"/>.</summary>
    public (string Source, Kind Kind) Next(string className)
    {
        int roll = _random.Next(100);
        var kind = roll < 40 ? Kind.Plausible : roll < 75 ? Kind.Mutated : roll < 90 ? Kind.Wild : Kind.BadSyntax;
        var lines = kind switch
        {
            Kind.Plausible => Plausible(mutate: false),
            Kind.Mutated => Plausible(mutate: true),
            Kind.Wild => Nonsense(),
            _ => BadSyntax(),
        };
        var text = new StringBuilder("using ConvGen;\n\nnamespace Tests;\n\n");
        foreach (var line in lines)
        {
            text.Append(line).Append('\n');
        }

        text.Append("public partial class ").Append(className).Append("\n{\n}\n");
        return (text.ToString(), kind);
    }

    private List<string> Plausible(bool mutate)
    {
        bool oneD = _random.Next(4) == 0;
        int channels = Pick(1, 2, 3, 4, 8);
        int width = Pick(6, 8, 9, 12, 16);
        int height = Pick(6, 8, 9, 12, 16);
        string layout = _random.Next(5) == 0 ? ", Layout = " + (mutate && _random.Next(3) == 0 ? "(TensorLayout)5" : "TensorLayout.Nhwc") : "";
        string budget = _random.Next(8) == 0 ? ", UnrollBudget = " + (mutate ? Pick(0, -1, int.MaxValue) : Pick(0, 9, 50)) : "";
        var lines = new List<string> { oneD ? $"[Network({channels}, {width}{layout}{budget})]" : $"[Network({channels}, {height}, {width}{layout}{budget})]" };
        var saved = new List<string>();
        int count = 1 + _random.Next(7);
        for (int i = 0; i < count; i++)
        {
            var group = new List<string> { PlausibleLayer(oneD, saved) };
            if (_random.Next(3) == 0)
            {
                group.Add(oneD && _random.Next(2) == 0 ? "BatchNorm1d" : oneD ? Pick(Activations) : Pick("BatchNorm2d", "BatchNorm2d(Eps = 1e-3, Momentum = 0.05)", Pick(Activations)));
            }

            if (_random.Next(3) == 0)
            {
                group.Add(Pick(Activations));
            }

            if (mutate && _random.Next(2) == 0)
            {
                int at = _random.Next(group.Count);
                group[at] = Mutate(group[at]);
            }

            lines.Add("[" + string.Join(", ", group) + "]");
        }

        if (_random.Next(3) == 0)
        {
            lines.Add(_random.Next(2) == 0 ? "[Flatten, Linear(10)]" : $"[GlobalAvgPool, Flatten, Linear({Pick(1, 4, 10)}, Bias = {Bool()}), {Pick(Activations)}]");
        }

        return lines;
    }

    private string PlausibleLayer(bool oneD, List<string> saved)
    {
        string d = oneD ? "1d" : "2d";
        int k = Pick(1, 2, 3, 3, 5);
        switch (_random.Next(12))
        {
            case 0:
            case 1:
            case 2:
                var args = new List<string>();
                if (_random.Next(2) == 0)
                {
                    args.Add("Padding = " + Pick(0, 1, 2));
                }
                else if (_random.Next(3) == 0)
                {
                    args.Add("Pad = Pad." + (oneD ? Pick("Same", "Valid", "Causal") : Pick("Same", "Valid")));
                }

                if (_random.Next(4) == 0)
                {
                    args.Add("PaddingMode = PaddingMode." + Pick("Zeros", "Reflect", "Replicate", "Circular"));
                }

                if (_random.Next(4) == 0 && !args.Any(a => a.StartsWith("Pad =", StringComparison.Ordinal)))
                {
                    args.Add("Stride = 2");
                }

                if (_random.Next(4) == 0)
                {
                    args.Add("Dilation = 2");
                }

                if (_random.Next(4) == 0)
                {
                    args.Add("Groups = " + Pick(1, 2, 4));
                }

                if (_random.Next(4) == 0)
                {
                    args.Add("Bias = false");
                }

                return $"Conv{d}({Pick(2, 4, 8)}, {k}{Tail(args)})";
            case 3:
                return $"ConvTranspose{d}({Pick(2, 4)}, {Pick(2, 3)}, Stride = {Pick(1, 2)}{(_random.Next(2) == 0 ? ", Padding = 1" : "")}{(_random.Next(3) == 0 ? ", OutputPadding = 1" : "")})";
            case 4:
                return $"MaxPool{d}({Pick(2, 3)}{(_random.Next(3) == 0 ? ", Stride = 1, Padding = 1" : "")}{(_random.Next(3) == 0 ? ", CeilMode = true" : "")})";
            case 5:
                return $"AvgPool{d}({Pick(2, 3)}{(_random.Next(3) == 0 ? ", Padding = 1" : "")}{(_random.Next(3) == 0 ? ", CeilMode = true" : "")}{(_random.Next(3) == 0 ? ", CountIncludePad = false" : "")})";
            case 6:
                return $"Upsample({Pick(1, 2)}{(_random.Next(2) == 0 ? ", Mode = UpsampleMode.Linear" : "")})";
            case 7:
                return oneD ? "Identity" : Pick("PixelShuffle(2)", "PixelUnshuffle(2)");
            case 8:
            case 9:
                string name = Pick(TensorNames);
                saved.Add(name);
                return $"Save(\"{name}\")";
            case 10:
                return saved.Count == 0 ? Pick(Activations) : $"Add(\"{Pick(saved.ToArray())}\"{(_random.Next(2) == 0 ? ", Projection = true" : "")})";
            default:
                return saved.Count == 0 ? Pick(Activations) : $"Concat(\"{Pick(saved.ToArray())}\")";
        }
    }

    /// <summary>One change to a plausible layer that the shape rules may or may not catch.</summary>
    private string Mutate(string layer)
    {
        switch (_random.Next(7))
        {
            case 0:
                return WithNamed(layer, "Name = " + Pick(OddStrings));
            case 1:
                var numbers = System.Text.RegularExpressions.Regex.Matches(layer, @"\b\d+\b");
                if (numbers.Count == 0)
                {
                    return WithNamed(layer, "Name = " + Pick(OddStrings));
                }

                var m = numbers[_random.Next(numbers.Count)];
                return string.Concat(layer.AsSpan(0, m.Index), Pick("0", "-1", "100000", "7"), layer.AsSpan(m.Index + m.Length));
            case 2:
                return layer + ", LeakyReLU(NegativeSlope = " + Pick(OddDoubles) + ")";
            case 3:
                return layer + ", " + Pick("BatchNorm2d", "BatchNorm1d") + "(Eps = " + Pick(OddDoubles) + ", Momentum = " + Pick(OddDoubles) + ")";
            case 4:
                return layer.StartsWith("Conv", StringComparison.Ordinal) && !layer.StartsWith("ConvT", StringComparison.Ordinal)
                    ? WithNamed(layer, Pick("PaddingMode = (PaddingMode)7", "Pad = (Pad)42", "PaddingMode = PaddingMode.Circular, Padding = 1", "PaddingMode = (PaddingMode)(-1), Padding = 1"))
                    : layer + ", Upsample(2, Mode = (UpsampleMode)9)";
            case 5:
                return layer + ", Dropout(P = " + Pick(OddDoubles) + ")";
            default:
                return layer + ", " + Pick("Save(\"a\")", "Add(\"a\")", "Concat(\"a\")", "Save(\"\")", "Add(null)", "Identity(Name = \"a\")");
        }
    }

    private static string WithNamed(string layer, string argument) => layer.EndsWith(')')
        ? string.Concat(layer.AsSpan(0, layer.Length - 1), ", ", argument, ")")
        : layer + "(" + argument + ")";

    private List<string> Nonsense()
    {
        var lines = new List<string>();
        string layout = _random.Next(4) == 0 ? ", Layout = " + Pick("TensorLayout.Nhwc", "(TensorLayout)5") : "";
        string budget = _random.Next(4) == 0 ? ", UnrollBudget = " + Int() : "";
        lines.Add(_random.Next(3) == 0 ? $"[Network({Int()}, {Int()}{layout}{budget})]" : $"[Network({Int()}, {Int()}, {Int()}{layout}{budget})]");
        int count = _random.Next(8);
        for (int i = 0; i < count; i++)
        {
            lines.Add("[" + NonsenseLayer() + (_random.Next(3) == 0 ? ", " + NonsenseLayer() : "") + "]");
        }

        return lines;
    }

    private string NonsenseLayer()
    {
        var named = new List<string>();
        void Maybe(string name, Func<string> value)
        {
            if (_random.Next(3) == 0)
            {
                named.Add(name + " = " + value());
            }
        }

        string I() => Int().ToString(CultureInfo.InvariantCulture);
        Maybe("Name", () => Pick(OddStrings));
        string d = Pick("1d", "2d");
        switch (_random.Next(14))
        {
            case 0:
            case 1:
                foreach (var p in new[] { "Stride", "Padding", "Dilation", "Groups", "PadLeft", "PadRight" })
                {
                    Maybe(p, I);
                }

                if (d == "2d")
                {
                    foreach (var p in new[] { "StrideH", "PaddingW", "DilationH", "PadTop", "PadBottom" })
                    {
                        Maybe(p, I);
                    }
                }

                Maybe("Pad", () => Pick("Pad.Same", "Pad.Valid", "Pad.Causal", "(Pad)42", "(Pad)(-1)"));
                Maybe("PaddingMode", () => Pick("PaddingMode.Reflect", "PaddingMode.Replicate", "PaddingMode.Circular", "(PaddingMode)7", "(PaddingMode)(-3)"));
                Maybe("Bias", Bool);
                return $"Conv{d}({I()}, {I()}{(d == "2d" && _random.Next(3) == 0 ? ", " + I() : "")}{Tail(named)})";
            case 2:
                foreach (var p in new[] { "Stride", "Padding", "OutputPadding", "Dilation", "Groups" })
                {
                    Maybe(p, I);
                }

                Maybe("PaddingMode", () => Pick("PaddingMode.Zeros", "PaddingMode.Reflect", "(PaddingMode)7"));
                return $"ConvTranspose{d}({I()}, {I()}{Tail(named)})";
            case 3:
                foreach (var p in new[] { "Stride", "Padding", "Dilation" })
                {
                    Maybe(p, I);
                }

                Maybe("CeilMode", Bool);
                return $"MaxPool{d}({I()}{Tail(named)})";
            case 4:
                foreach (var p in new[] { "Stride", "Padding" })
                {
                    Maybe(p, I);
                }

                Maybe("CeilMode", Bool);
                Maybe("CountIncludePad", Bool);
                return $"AvgPool{d}({I()}{Tail(named)})";
            case 5:
                Maybe("Eps", () => Pick(OddDoubles));
                Maybe("Momentum", () => Pick(OddDoubles));
                Maybe("Affine", Bool);
                return $"BatchNorm{d}{Args(named)}";
            case 6:
                Maybe("NegativeSlope", () => Pick(OddDoubles));
                return "LeakyReLU" + Args(named);
            case 7:
                Maybe("P", () => Pick(OddDoubles));
                return "Dropout" + Args(named);
            case 8:
                Maybe("Bias", Bool);
                return $"Linear({I()}{Tail(named)})";
            case 9:
                Maybe("Mode", () => Pick("UpsampleMode.Linear", "UpsampleMode.Nearest", "(UpsampleMode)9"));
                return $"Upsample({I()}{Tail(named)})";
            case 10:
                return $"{Pick("PixelShuffle", "PixelUnshuffle")}({I()}{Tail(named)})";
            case 11:
                Maybe("Projection", Bool);
                return $"{Pick("Save", "Add", "Concat")}({Pick(OddStrings)}{Tail(named)})";
            default:
                return Pick("Flatten", "GlobalAvgPool", "ReLU", "ReLU6", "Sigmoid", "Tanh", "SiLU", "Identity") + Args(named);
        }
    }

    private List<string> BadSyntax()
    {
        var lines = Plausible(mutate: false);
        string broken = Pick(
            "Conv2d()", "Conv2d(8)", "Conv2d(\"8\", 3)", "Conv2d(8, 3, 3, 3)", "Conv2d(8, 3.5)", "Conv2d(8, 3, Bogus = 1)",
            "Conv2d(8, 3, Stride = \"2\")", "Conv2d(8, 3, Stride = 1, Stride = 2)", "Conv1d(4)", "Linear()", "Save()", "Add()",
            "Concat(1)", "MaxPool2d()", "Upsample(2.5)", "BatchNorm2d(Eps = \"x\")", "LeakyReLU(0.2)", "Bogus(3)", "Network(1, 8, 8)",
            "PixelShuffle()", "Conv2d(8, 3, Pad = 1)", "Conv2d(8, 3, PaddingMode = Pad.Same)", "Linear(10, Bias = 1)");
        int at = 1 + _random.Next(lines.Count);
        lines.Insert(at, "[" + broken + "]");
        if (_random.Next(6) == 0)
        {
            lines[0] = Pick("[Network()]", "[Network(1)]", "[Network(\"a\", 2, 3)]", "[Network(1, 2, 3, 4)]", "[Network(1, 8, 8, Layout = 1)]");
        }

        return lines;
    }

    private int Int() => _random.Next(3) == 0 ? OddInts[_random.Next(OddInts.Length)] : 1 + _random.Next(8);

    private string Bool() => _random.Next(2) == 0 ? "true" : "false";

    private static string Tail(List<string> named) => named.Count == 0 ? "" : ", " + string.Join(", ", named);

    private static string Args(List<string> named) => named.Count == 0 ? "" : "(" + string.Join(", ", named) + ")";

    private T Pick<T>(params T[] items) => items[_random.Next(items.Length)];
}
