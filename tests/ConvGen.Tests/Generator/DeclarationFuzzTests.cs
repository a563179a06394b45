using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using ConvGen.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace ConvGen.Tests.Generator;

/// <summary>
/// Seeded random declarations, valid and malformed (sizes of 0, negative or huge, mismatched channels, skips to
/// nowhere, odd names), through the generator and the analyzers: the generator and the analyzers never throw, and
/// every declaration either has a CG error or compiles without a single compiler diagnostic. The vocabulary covers
/// 1-D and 2-D networks, channels-last layouts, causal networks, every padding rule ('same', 'valid', causal, the
/// one-sided numbers) and padding mode, transposed convolutions with output padding, and the pools' options.
/// </summary>
/// <remarks>
/// A compilation per declaration costs ~0.1 s of binding and analysis, so the declarations go in batches: each is
/// class <c>Net</c> in its own namespace <c>Fuzz{i}</c> and its own file, one compilation holds the whole batch, and
/// the generator, the analyzer and the compiler run once per batch. Every diagnostic is attributed back to its
/// declaration by the file it is in (the declaration's <c>Source{i}.cs</c> or its generated <c>Fuzz{i}.Net.g.cs</c>);
/// one with no such file fails the batch. The suite checks <see cref="Shards"/> × <see cref="PerShard"/>
/// declarations; CONVGEN_FUZZ_DECLARATIONS=n checks n per shard instead (docs/testing.md).
/// </remarks>
public sealed class DeclarationFuzzTests
{
    private const int PerShard = 500;

    private const int BatchSize = 80;

    /// <summary>Documentation comments parsed and checked, as a project with GenerateDocumentationFile sees them.</summary>
    private static readonly CSharpParseOptions Documented = GeneratorHarness.ParseOptions.WithDocumentationMode(DocumentationMode.Diagnose);

    public static TheoryData<int> Shards() => new() { 0, 1, 2, 3 };

    [Theory]
    [MemberData(nameof(Shards))]
    public void Every_declaration_compiles_or_has_a_CG_error(int shard)
    {
        int count = int.TryParse(Environment.GetEnvironmentVariable("CONVGEN_FUZZ_DECLARATIONS"), NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? n : PerShard;
        var random = new Random(104729 + shard);
        int compiled = 0;
        for (int first = 0; first < count; first += BatchSize)
        {
            var batch = new string[Math.Min(BatchSize, count - first)];
            for (int i = 0; i < batch.Length; i++)
            {
                batch[i] = Draw(random);
            }

            compiled += CheckBatch(batch);
        }

        // The draws must reach both outcomes, or the test checks little.
        Assert.InRange(compiled, count / 10, count - (count / 10));
    }

    /// <summary>Checks one batch in one compilation and returns how many of its declarations compiled.</summary>
    private static int CheckBatch(string[] declarations)
    {
        var sources = declarations.Select((attributes, i) => GeneratorHarness.Declare(attributes, "Net", Namespace(i))).ToArray();
        var input = GeneratorHarness.Compilation(Documented, sources);

        // The analyzer reads only the declarations (the parser skips generated members), so it runs on the input, whose
        // few small trees it analyses in milliseconds; on the output it would bind every generated method body first.
        var (analyzerDiagnostics, exceptions) = GeneratorRuns.AnalyzeCatching(input);
        Assert.True(exceptions.Count == 0, "the analyzer threw:\n" + string.Join("\n", exceptions));
        var reported = new bool[declarations.Length];
        foreach (var diagnostic in analyzerDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error && d.Id.StartsWith("CG", StringComparison.Ordinal)))
        {
            reported[Owner(diagnostic, declarations)] = true;
        }

        var driver = GeneratorHarness.Driver(parseOptions: Documented).RunGeneratorsAndUpdateCompilation(input, out var output, out var generatorDiagnostics);
        GeneratorRuns.AssertNoException(driver.GetRunResult().Results.Single(), "a batch:\n" + string.Join("\n", declarations));
        Assert.True(generatorDiagnostics.IsEmpty, string.Join("\n", generatorDiagnostics));

        // Only the declarations without a CG error must compile: binding the others' stubs would be wasted time.
        var skipped = output.SyntaxTrees.Where(t => t.FilePath.Length > 0 && OwnerOf(t.FilePath, declarations.Length) is int i && reported[i]);
        var problems = new List<Diagnostic>[declarations.Length];
        foreach (var problem in GeneratorRuns.CompileProblems((CSharpCompilation)output.RemoveSyntaxTrees(skipped), checkDocumentation: false, emit: false))
        {
            int owner = Owner(problem, declarations);
            (problems[owner] ??= new List<Diagnostic>()).Add(problem);
        }

        int compiled = 0;
        for (int i = 0; i < declarations.Length; i++)
        {
            if (reported[i])
            {
                continue;
            }

            Assert.True(problems[i] is null, $"{declarations[i]}\n{string.Join("\n", (problems[i] ?? new List<Diagnostic>()).Take(5))}");
            compiled++;
        }

        return compiled;
    }

    private static string Namespace(int index) => "Fuzz" + index.ToString(CultureInfo.InvariantCulture);

    /// <summary>The declaration a diagnostic belongs to: its own file (Source{i}.cs) or its generated file (Fuzz{i}.Net.g.cs).</summary>
    private static int Owner(Diagnostic diagnostic, string[] declarations)
    {
        if (diagnostic.Location.SourceTree?.FilePath is { } path && OwnerOf(path, declarations.Length) is int index)
        {
            return index;
        }

        Assert.Fail($"a diagnostic outside every declaration's files: {diagnostic}");
        return -1;
    }

    private static int? OwnerOf(string path, int count)
    {
        string file = System.IO.Path.GetFileName(path);
        foreach (var (prefix, suffix) in new[] { ("Source", ".cs"), ("Fuzz", ".Net.g.cs") })
        {
            if (file.StartsWith(prefix, StringComparison.Ordinal) && file.EndsWith(suffix, StringComparison.Ordinal)
                && int.TryParse(file.AsSpan(prefix.Length, file.Length - prefix.Length - suffix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out int index)
                && index < count)
            {
                return index;
            }
        }

        return null;
    }

    private static string Draw(Random random)
    {
        int Size() => random.Next(40) switch { 0 => 0, 1 => -1, 2 => 100000, _ => random.Next(1, 4) };
        int Channels() => random.Next(40) == 0 ? 0 : new[] { 1, 2, 3, 4, 6, 8 }[random.Next(6)];
        int Pad() => random.Next(30) == 0 ? -1 : random.Next(0, 2);
        string Pick(params string[] options) => options[random.Next(options.Length)];
        string Maybe(int oneIn, string text) => random.Next(oneIn) == 0 ? text : "";
        string I(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

        // Mostly the network's own rank; sometimes the other one, which must be a CG error.
        bool oneD = random.Next(2) == 0;
        bool causal = random.Next(oneD ? 3 : 20) == 0;
        string layout = random.Next(5) == 0 ? ", Layout = TensorLayout.Nhwc" : "";
        var text = new StringBuilder(oneD
            ? I($"[Network({Channels()}, {random.Next(1, 40)}{layout}{(causal ? ", Causal = true" : "")})]\n")
            : I($"[Network({Channels()}, {random.Next(1, 20)}, {random.Next(1, 20)}{layout}{(causal ? ", Causal = true" : "")})]\n"));
        string Padding1d() => random.Next(8) switch
        {
            0 => ", Pad = Pad.Same",
            1 => ", Pad = Pad.Valid",
            2 or 3 => causal ? ", Pad = Pad.Causal" : Maybe(3, ", Pad = Pad.Causal"),
            4 => I($", PadLeft = {Pad()}"),
            _ => I($", Padding = {Pad()}"),
        } + Maybe(6, I($", PadRight = {Pad()}")) + Maybe(4, ", PaddingMode = PaddingMode." + Pick("Zeros", "Reflect", "Replicate", "Circular"));
        string Padding2d() => random.Next(6) switch
        {
            0 => ", Pad = Pad.Same",
            1 => ", Pad = Pad.Valid",
            2 => I($", PaddingH = {Pad()}, PaddingW = {Pad()}"),
            _ => I($", Padding = {Pad()}"),
        } + Maybe(4, ", PaddingMode = PaddingMode." + Pick("Zeros", "Reflect", "Replicate", "Circular"));

        int layers = random.Next(1, 6);
        bool saved = false;
        for (int l = 0; l < layers; l++)
        {
            string name = random.Next(8) == 0 ? Pick(", Name = \"0\"", ", Name = \"a.b\"", ", Name = \"x\"", ", Name = \"1\"") : "";
            bool ownRank = random.Next(12) != 0;
            string layer = random.Next(18) switch
            {
                0 or 1 or 2 => oneD == ownRank
                    ? I($"Conv1d({Channels()}, {Size()}, Stride = {Size()}, Dilation = {Size()}, Groups = {Pick("1", "1", "2", "3")}{Padding1d()}{name})")
                    : I($"Conv2d({Channels()}, {Size()}, Stride = {Size()}, Dilation = {Size()}, Groups = {Pick("1", "1", "2", "3")}{Padding2d()}{name})"),
                3 => oneD == ownRank
                    ? I($"ConvTranspose1d({Channels()}, {Size()}, Stride = {Size()}, Padding = {Pad()}, OutputPadding = {Pad()}, Dilation = {Size()}{name})")
                    : I($"ConvTranspose2d({Channels()}, {Size()}, Stride = {Size()}, Padding = {Pad()}{Maybe(2, I($", OutputPadding = {Pad()}"))}{name})"),
                4 => I($"MaxPool{(oneD == ownRank ? 1 : 2)}d({Size()}, Stride = {Size()}, Padding = {Pad()}{Maybe(3, I($", Dilation = {Size()}"))}{Maybe(3, ", CeilMode = true")})"),
                5 => I($"AvgPool{(oneD == ownRank ? 1 : 2)}d({Size()}{Maybe(2, I($", Stride = {Size()}, Padding = {Pad()}"))}{Maybe(3, ", CeilMode = true")}{Maybe(3, ", CountIncludePad = false")})"),
                6 => I($"BatchNorm{(oneD == ownRank ? 1 : 2)}d") + (name.Length > 0 ? "(" + name[2..] + ")" : Maybe(4, "(Affine = false)")),
                7 => Pick("ReLU", "Sigmoid", "Tanh", "SiLU", "ReLU6", "LeakyReLU", "LeakyReLU(NegativeSlope = 0.2)", "Identity"),
                8 => I($"Dropout(P = {random.Next(-1, 2) * 0.5})"),
                9 => "Flatten",
                10 => I($"Linear({Channels()}{name})"),
                11 => "Save(\"s\")",
                12 => random.Next(2) == 0 ? "Add(\"s\")" : "Add(\"s\", Projection = true)",
                13 => "Concat(\"s\")",
                14 => I($"Upsample({Size()}{Maybe(2, ", Mode = UpsampleMode.Linear")})"),
                15 => random.Next(2) == 0 ? I($"PixelShuffle({Size()})") : I($"PixelUnshuffle({Size()})"),
                16 => "GlobalAvgPool",
                _ => oneD ? I($"Conv1d({Channels()}, {Size()}, Pad = Pad.Causal{Maybe(2, I($", Dilation = {Size()}"))})") : I($"Conv2d({Channels()}, 1)"),
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
