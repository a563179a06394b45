using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using ConvGen.Tests.Infrastructure;
using Xunit;

namespace ConvGen.Tests.Generator;

/// <summary>
/// The same declaration always produces the same text: across runs, across drivers, and whatever culture
/// the compiler process runs under (a build server on a German or Turkish machine must not change a
/// float literal or a message).
/// </summary>
public sealed class GeneratorDeterminismTests
{
    /// <summary>Every snapshot network in one compilation, plus one broken network for the diagnostic text.</summary>
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
        string resnet = GeneratorRuns.WithCulture(CultureInfo.GetCultureInfo("de-DE"), () => GeneratorHarness.Run(SnapshotNetworks.Source("ResNetBasicBlock")).Sources[SnapshotNetworks.HintName("ResNetBasicBlock")]);
        string stack = GeneratorRuns.WithCulture(CultureInfo.GetCultureInfo("tr-TR"), () => GeneratorHarness.Run(SnapshotNetworks.Source("CausalDilatedStack")).Sources[SnapshotNetworks.HintName("CausalDilatedStack")]);

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
        static string Messages() => string.Join("\n", GeneratorHarness.Run(AllSources()).GeneratorDiagnostics.Select(d => d.Id + " " + d.GetMessage(CultureInfo.InvariantCulture)));

        var invariant = GeneratorRuns.WithCulture(CultureInfo.InvariantCulture, Messages);
        var local = GeneratorRuns.WithCulture(CultureInfo.GetCultureInfo(name), Messages);

        Assert.Equal(invariant, local);
        Assert.Contains("(6 / 4 = 1.5)", invariant);
    }

    private static SortedDictionary<string, string> Snapshot(string[] sources)
        => new(GeneratorHarness.Run(sources).Sources.ToDictionary(p => p.Key, p => p.Value), System.StringComparer.Ordinal);
}
