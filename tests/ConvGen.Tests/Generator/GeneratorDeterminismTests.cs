using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using ConvGen.Tests.Infrastructure;
using Xunit;

namespace ConvGen.Tests.Generator;

/// <summary>
/// The same declaration always produces the same text: across runs, across drivers, and whatever culture
/// the compiler process runs under (a build server on a German or Turkish machine must not change a
/// float literal in the generated code or a number in the analyzer's messages).
/// </summary>
public sealed class GeneratorDeterminismTests
{
    /// <summary>Every snapshot network in one compilation, plus one broken network (its stub is generated text too).</summary>
    private static string[] AllSources() => SnapshotNetworks.All.Select(SnapshotNetworks.Source)
        .Append(GeneratorHarness.Declare("[Network(6, 8, 8)]\n[Conv2d(8, 3, Groups = 4, Name = \"grouped\")]\n[BatchNorm2d(Eps = 1e-3, Momentum = 0.05), LeakyReLU(NegativeSlope = 0.2)]", className: "Broken"))
        .ToArray();

    public static TheoryData<string> Cultures => new() { "de-DE", "tr-TR", "fr-FR", "ar-SA", "sv-SE" };

    [Fact]
    public void TwoRuns_ProduceIdenticalText()
    {
        var first = Snapshot(AllSources());
        var second = Snapshot(AllSources());

        Assert.Equal(first, second);
    }

    [Fact]
    public void RerunningOneDriver_ProducesIdenticalText()
    {
        var compilation = GeneratorHarness.Compilation(AllSources());
        var driver = GeneratorHarness.Driver().RunGenerators(compilation);
        var first = GeneratorRuns.Sources(driver.GetRunResult().Results.Single());

        driver = driver.RunGenerators(GeneratorHarness.Compilation(AllSources()));

        Assert.Equal(first, GeneratorRuns.Sources(driver.GetRunResult().Results.Single()));
    }

    [Theory]
    [MemberData(nameof(Cultures))]
    public void OtherCultures_ProduceTheInvariantText(string name)
    {
        var invariant = GeneratorRuns.WithCulture(CultureInfo.InvariantCulture, () => Snapshot(AllSources()));
        var local = GeneratorRuns.WithCulture(CultureInfo.GetCultureInfo(name), () => Snapshot(AllSources()));

        Assert.Equal(invariant, local);
    }

    [Fact]
    public void ACultureWithUnusualNumberSymbols_ProducesTheInvariantText()
    {
        // Decimal comma, a real minus sign (U+2212), NaN/∞ symbols and a group separator: anything formatted
        // with the current culture instead of the invariant one shows up here.
        var odd = (CultureInfo)CultureInfo.GetCultureInfo("de-DE").Clone();
        odd.NumberFormat.NegativeSign = "\u2212";
        odd.NumberFormat.NumberDecimalSeparator = ",";
        odd.NumberFormat.NumberGroupSeparator = "'";
        odd.NumberFormat.NaNSymbol = "n/a";
        odd.NumberFormat.PositiveInfinitySymbol = "inf";

        var invariant = GeneratorRuns.WithCulture(CultureInfo.InvariantCulture, () => Snapshot(AllSources()));
        var local = GeneratorRuns.WithCulture(odd, () => Snapshot(AllSources()));

        Assert.Equal(invariant, local);
    }

    [Fact]
    public void FloatHyperParameters_AreWrittenInvariant()
    {
        string resnet = GeneratorRuns.WithCulture(CultureInfo.GetCultureInfo("de-DE"), () => GeneratorRuns.Generate(SnapshotNetworks.Source("ResNetBasicBlock")).Sources[SnapshotNetworks.HintName("ResNetBasicBlock")]);
        string stack = GeneratorRuns.WithCulture(CultureInfo.GetCultureInfo("tr-TR"), () => GeneratorRuns.Generate(SnapshotNetworks.Source("CausalDilatedStack")).Sources[SnapshotNetworks.HintName("CausalDilatedStack")]);

        Assert.Contains("eps 0.001, momentum 0.05", resnet);
        Assert.Contains(", 0.001, 32, 9, false, 1);", resnet); // the folding call gets ε as a literal
        Assert.Contains("momentum 0.05", stack);
        Assert.Contains("0.2f", stack);
        Assert.DoesNotContain("0,001", resnet);
        Assert.DoesNotContain("0,05", stack);
        Assert.DoesNotContain("0,2f", stack);
    }

    [Theory]
    [MemberData(nameof(Cultures))]
    public void DiagnosticMessages_AreCultureInvariant(string name)
    {
        var invariant = GeneratorRuns.WithCulture(CultureInfo.InvariantCulture, AnalyzerMessages);
        var local = GeneratorRuns.WithCulture(CultureInfo.GetCultureInfo(name), AnalyzerMessages);

        Assert.Equal(invariant, local);
        Assert.Contains("(6 / 4 = 1.5)", invariant);
        Assert.Contains("input coordinate -0.5", invariant);
        Assert.Contains(": off by -1)", invariant);
        Assert.Contains(": off by +0.5)", invariant);
        Assert.Contains("momentum must be in [0, 1], but is 1.5", invariant);
        Assert.Contains("each output sees 13 samples of context", invariant);
    }

    [Fact]
    public void DiagnosticMessages_UnderUnusualNumberSymbols_AreInvariant()
    {
        var odd = (CultureInfo)CultureInfo.GetCultureInfo("de-DE").Clone();
        odd.NumberFormat.NegativeSign = "\u2212";
        odd.NumberFormat.PositiveSign = "\u002B\u200E";
        odd.NumberFormat.NumberDecimalSeparator = ",";
        odd.NumberFormat.NumberGroupSeparator = "'";

        Assert.Equal(GeneratorRuns.WithCulture(CultureInfo.InvariantCulture, AnalyzerMessages), GeneratorRuns.WithCulture(odd, AnalyzerMessages));
    }

    [Fact]
    public void DiagnosticMessages_AreTheSame_InEveryRun()
        => Assert.Equal(AnalyzerMessages(), AnalyzerMessages());

    /// <summary>
    /// Every message the analyzer reports on the networks with errors and warnings (decimals, signs, a ratio, the
    /// causal context length), rendered while the current culture is whatever the caller set.
    /// </summary>
    private static string AnalyzerMessages()
    {
        var sources = new[]
        {
            GeneratorHarness.Declare("[Network(6, 8, 8)]\n[Conv2d(8, 3, Groups = 4, Name = \"grouped\")]", className: "Broken"),
            GeneratorHarness.Declare("[Network(2, 16)]\n[BatchNorm1d(Momentum = 1.5)]", className: "Momentum"),
            GeneratorHarness.Declare("[Network(2, 16, DensePrediction = true)]\n[Conv1d(4, 3, Pad = Pad.Causal)]", className: "ShiftedOne"),
            GeneratorHarness.Declare("[Network(3, 8, 8, DensePrediction = true)]\n[Conv2d(4, 2, Pad = Pad.Same), BatchNorm2d]", className: "ShiftedHalf"),
            GeneratorHarness.Declare("[Network(2, 16, Causal = true)]\n[Conv1d(4, 3, Pad = Pad.Causal, Dilation = 2), Conv1d(4, 3, Pad = Pad.Causal, Dilation = 4)]", className: "Causal"),
        };
        var diagnostics = GeneratorHarness.Analyze(GeneratorHarness.Compilation(sources));
        return string.Join("\n", diagnostics
            .Select(d => $"{d.Location.GetLineSpan()} {d.Severity} {d.Id} {d.GetMessage(CultureInfo.CurrentCulture)}")
            .Order(System.StringComparer.Ordinal));
    }

    private static SortedDictionary<string, string> Snapshot(string[] sources)
        => new(GeneratorRuns.Generate(sources).Sources, System.StringComparer.Ordinal);
}
