using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using ConvGen.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Xunit;

namespace ConvGen.Tests.Generator;

/// <summary>
/// Seeded random declarations, valid and malformed (sizes of 0, negative or huge, mismatched channels, skips to
/// nowhere, odd names), through the generator and the analyzers: the generator never throws, and every declaration
/// either has a CG error or compiles without a single compiler diagnostic.
/// </summary>
public sealed class DeclarationFuzzTests
{
    private const int PerShard = 60;

    public static TheoryData<int> Shards() => new() { 0, 1, 2, 3 };

    [Theory]
    [MemberData(nameof(Shards))]
    public void Every_declaration_compiles_or_has_a_CG_error(int shard)
    {
        var random = new Random(104729 + shard);
        int compiled = 0;
        for (int i = 0; i < PerShard; i++)
        {
            string attributes = Draw(random);
            var result = GeneratorHarness.Run(GeneratorHarness.Declare(attributes));
            bool reported = result.AnalyzerDiagnostics.Any(d => d.Severity == DiagnosticSeverity.Error && d.Id.StartsWith("CG", StringComparison.Ordinal));
            if (reported)
            {
                continue;
            }

            var problems = GeneratorRuns.CompileProblems(result.Compilation, checkDocumentation: true, emit: false);
            Assert.True(problems.Count == 0, $"{attributes}\n{string.Join("\n", problems.Take(5))}");
            compiled++;
        }

        // The draws must reach both outcomes, or the test checks little.
        Assert.InRange(compiled, PerShard / 10, PerShard - (PerShard / 10));
    }

    private static string Draw(Random random)
    {
        int Size() => random.Next(40) switch { 0 => 0, 1 => -1, 2 => 100000, _ => random.Next(1, 4) };
        int Channels() => random.Next(40) == 0 ? 0 : new[] { 1, 2, 3, 4, 6, 8 }[random.Next(6)];
        int Pad() => random.Next(30) == 0 ? -1 : random.Next(0, 2);
        var text = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"[Network({Channels()}, {random.Next(1, 20)}, {random.Next(1, 20)})]\n"));
        int layers = random.Next(1, 5);
        bool saved = false;
        for (int l = 0; l < layers; l++)
        {
            string name = random.Next(8) == 0 ? new[] { ", Name = \"0\"", ", Name = \"a.b\"", ", Name = \"x\"", ", Name = \"1\"" }[random.Next(4)] : "";
            string layer = random.Next(16) switch
            {
                0 or 1 or 2 => string.Create(CultureInfo.InvariantCulture, $"Conv2d({Channels()}, {Size()}, Stride = {Size()}, Padding = {Pad()}, Dilation = {Size()}, Groups = {new[] { 1, 1, 2, 3 }[random.Next(4)]}{name})"),
                3 => string.Create(CultureInfo.InvariantCulture, $"ConvTranspose2d({Channels()}, {Size()}, Stride = {Size()}{name})"),
                4 => string.Create(CultureInfo.InvariantCulture, $"MaxPool2d({Size()}, Stride = {Size()}, Padding = {Pad()})"),
                5 => string.Create(CultureInfo.InvariantCulture, $"AvgPool2d({Size()})"),
                6 => "BatchNorm2d" + (name.Length > 0 ? "(" + name[2..] + ")" : ""),
                7 => new[] { "ReLU", "Sigmoid", "Tanh", "SiLU", "ReLU6", "LeakyReLU" }[random.Next(6)],
                8 => string.Create(CultureInfo.InvariantCulture, $"Dropout(P = {random.Next(-1, 2) * 0.5})"),
                9 => "Flatten",
                10 => string.Create(CultureInfo.InvariantCulture, $"Linear({Channels()}{name})"),
                11 => "Save(\"s\")",
                12 => random.Next(2) == 0 ? "Add(\"s\")" : "Add(\"s\", Projection = true)",
                13 => "Concat(\"s\")",
                14 => string.Create(CultureInfo.InvariantCulture, $"Upsample({Size()})"),
                _ => random.Next(2) == 0 ? "GlobalAvgPool" : string.Create(CultureInfo.InvariantCulture, $"PixelShuffle({Size()})"),
            };
            saved |= layer.StartsWith("Save", StringComparison.Ordinal);
            if (saved && layer.StartsWith("Save", StringComparison.Ordinal) && text.ToString().Contains("Save(", StringComparison.Ordinal))
            {
                layer = "ReLU";
            }

            text.Append('[').Append(layer).Append("]\n");
        }

        return text.ToString();
    }
}
