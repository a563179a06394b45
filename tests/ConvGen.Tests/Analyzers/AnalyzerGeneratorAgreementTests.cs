using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using ConvGen.Tests.Generator;
using ConvGen.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Xunit;
using Xunit.Abstractions;

namespace ConvGen.Tests.Analyzers;

/// <summary>
/// The analyzer and the generator never disagree about what is valid: over seeded random declarations
/// (plausible, mutated, wild and syntactically broken layers, on classes the generator can or cannot extend),
/// the analyzer reports an error on a network exactly when the generator emits the stub, or nothing, instead
/// of kernels; nothing exactly when the class cannot take members. What the generator adds to the compilation
/// does not change what the analyzer reports.
/// </summary>
public sealed class AnalyzerGeneratorAgreementTests
{
    private const int Declarations = 200;
    private const int Seed = 20250917;

    /// <summary>How the class line "public partial class FuzzN" is rewritten, and whether the generator can extend the result.</summary>
    private static readonly (string Name, bool Usable, Func<string, int, string> Rewrite)[] ClassForms =
    {
        ("internal sealed", true, (s, i) => s.Replace($"public partial class Fuzz{i}\n", $"internal sealed partial class Fuzz{i}\n", StringComparison.Ordinal)),
        ("not partial", false, (s, i) => s.Replace($"public partial class Fuzz{i}\n", $"public class Fuzz{i}\n", StringComparison.Ordinal)),
        ("generic", false, (s, i) => s.Replace($"public partial class Fuzz{i}\n", $"public partial class Fuzz{i}<T>\n", StringComparison.Ordinal)),
        ("static", false, (s, i) => s.Replace($"public partial class Fuzz{i}\n", $"public static partial class Fuzz{i}\n", StringComparison.Ordinal)),
        ("abstract", false, (s, i) => s.Replace($"public partial class Fuzz{i}\n", $"public abstract partial class Fuzz{i}\n", StringComparison.Ordinal)),
        ("record", false, (s, i) => s.Replace($"public partial class Fuzz{i}\n", $"public partial record Fuzz{i}\n", StringComparison.Ordinal)),
        ("file-local", false, (s, i) => s.Replace($"public partial class Fuzz{i}\n", $"file partial class Fuzz{i}\n", StringComparison.Ordinal)),
        ("nested", false, (s, i) => s.Replace("namespace Tests;\n\n", $"namespace Tests;\n\npublic partial class Outer{i}\n{{\n", StringComparison.Ordinal) + "}\n"),
    };

    private readonly ITestOutputHelper _output;

    public AnalyzerGeneratorAgreementTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void AnalyzerErrors_IffNoKernels_OverRandomDeclarations()
    {
        var clock = Stopwatch.StartNew();
        var random = new RandomDeclarations(Seed);
        var forms = new Random(Seed);
        var sources = new string[Declarations];
        var usable = new bool[Declarations];
        var descriptions = new string[Declarations];
        for (int i = 0; i < Declarations; i++)
        {
            var (source, kind) = random.Next("Fuzz" + i);
            usable[i] = true;
            descriptions[i] = kind.ToString();
            if (forms.Next(4) == 0)
            {
                var form = ClassForms[forms.Next(ClassForms.Length)];
                source = form.Rewrite(source, i);
                usable[i] = form.Usable;
                descriptions[i] += ", " + form.Name;
            }

            sources[i] = source;
        }

        // One compilation, each declaration in its own file SourceN.cs: one generator run and one analyzer run.
        var (run, output, _) = GeneratorRuns.Run(false, sources);
        GeneratorRuns.AssertNoException(run, "the random declarations");
        Assert.Empty(run.Diagnostics);
        var generated = GeneratorRuns.Sources(run);
        var (diagnostics, exceptions) = GeneratorRuns.AnalyzeCatching(output);
        Assert.True(exceptions.Count == 0, "the analyzer threw:\n" + string.Join("\n", exceptions.Take(3)));
        Assert.All(diagnostics, d => Assert.True(d.Location.IsInSource, $"{d} has no source location"));
        var errors = diagnostics
            .Where(d => d.Severity == DiagnosticSeverity.Error)
            .ToLookup(d => int.Parse(d.Location.SourceTree!.FilePath["Source".Length..^".cs".Length], CultureInfo.InvariantCulture));

        var problems = new List<string>();
        var outcomes = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < Declarations; i++)
        {
            string? source = generated.GetValueOrDefault($"Tests.Fuzz{i}.g.cs");
            string outcome = source is null ? "nothing" : GeneratorRuns.IsKernels(source) ? "kernels" : GeneratorRuns.IsStub(source) ? "stub" : "neither kernels nor stub";
            bool reported = errors.Contains(i);
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
            string expected = !reported ? "kernels" : usable[i] ? "stub" : "nothing";
            if (outcome != expected)
            {
                string why = reported ? string.Join("; ", errors[i].Select(d => d.Id + " " + d.GetMessage(CultureInfo.InvariantCulture))) : "no analyzer error";
                problems.Add($"#{i} ({descriptions[i]}): {why}, but the generator emitted {outcome} (expected {expected})\n{sources[i]}");
            }
        }

        // The generated code is invisible to the analyzer: it reports the same on the user's compilation alone.
        var (before, _) = GeneratorRuns.AnalyzeCatching(GeneratorHarness.Compilation(sources));
        Assert.Equal(Render(before), Render(diagnostics));

        _output.WriteLine($"{Declarations} declarations in {clock.Elapsed.TotalSeconds:0.0} s: " + string.Join(", ", outcomes.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => $"{o.Value} {o.Key}")));
        Assert.True(problems.Count == 0, $"{problems.Count} disagreements:\n\n" + string.Join("\n\n", problems.Take(10)));

        // Both sides of the property are exercised.
        Assert.True(outcomes.GetValueOrDefault("kernels") >= 30, "too few declarations compiled");
        Assert.True(outcomes.GetValueOrDefault("stub") >= 30, "too few stubs");
        Assert.True(outcomes.GetValueOrDefault("nothing") >= 10, "too few unusable classes");
    }

    private static List<string> Render(IEnumerable<Diagnostic> diagnostics)
        => diagnostics
            .Select(d => $"{d.Location.GetLineSpan()} {d.Severity} {d.Id} {d.GetMessage(CultureInfo.InvariantCulture)}")
            .Order(StringComparer.Ordinal)
            .ToList();
}
