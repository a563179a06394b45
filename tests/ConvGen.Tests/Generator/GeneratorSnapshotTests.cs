using ConvGen.Tests.Infrastructure;
using Xunit;

namespace ConvGen.Tests.Generator;

/// <summary>
/// The exact generated source of each representative network, so every change to the emitted code shows
/// up as a baseline diff in review (Generator/Baselines/README.md says how to update them).
/// </summary>
public sealed class GeneratorSnapshotTests
{
    [Theory]
    [MemberData(nameof(SnapshotNetworks.Names), MemberType = typeof(SnapshotNetworks))]
    public void GeneratedSource_MatchesBaseline(string network)
    {
        // The generator alone: that the analyzer finds no error in these networks is checked where they are compiled
        // and loaded (GeneratedCodeConventionTests).
        var (result, _, _) = GeneratorRuns.Run(false, SnapshotNetworks.Source(network));
        var sources = GeneratorRuns.Sources(result);

        GeneratorRuns.AssertNoException(result, network);
        Assert.Empty(result.Diagnostics);
        Assert.Equal(new[] { SnapshotNetworks.HintName(network) }, sources.Keys);
        BaselineFiles.AssertMatches(network, sources[SnapshotNetworks.HintName(network)]);
    }

    [Fact]
    public void EveryNetwork_HasABaselineFile()
    {
        foreach (var network in SnapshotNetworks.All)
        {
            Assert.True(System.IO.File.Exists(BaselineFiles.PathOf(network)) || BaselineFiles.Updating, $"missing baseline {BaselineFiles.PathOf(network)}");
        }
    }
}
