using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using ConvGen.Shapes;
using ConvGen.Tests.Infrastructure;
using Xunit;

namespace ConvGen.Tests.Forward;

/// <summary>
/// Random valid declarations (see <see cref="RandomNetworks"/>) compiled by the generator and run against
/// <see cref="ReferenceNetwork"/>, the layer-by-layer interpretation of the same declaration with the naive
/// reference ops. On a mismatch the failure shows the declaration and the shortest failing prefix of it.
/// </summary>
public sealed class RandomizedForwardTests
{
    private const int FirstSeed = 1;
    private const int SeedCount = 60;

    /// <summary>|actual − expected| ≤ Tolerance · max(1, |expected|).</summary>
    private const double Tolerance = 1e-4;

    public static TheoryData<int> Seeds()
    {
        var data = new TheoryData<int>();
        for (int seed = FirstSeed; seed < FirstSeed + SeedCount; seed++)
        {
            data.Add(seed);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Generated_forward_matches_the_reference_network(int seed)
    {
        var net = RandomNetworks.Generate(seed);
        var plans = ReferenceNetwork.Plan(net.Network, net.Decls);
        var weights = ReferenceNetwork.CreateWeights(plans, seed);
        var input = ReferenceNetwork.RandomInput(seed, net.Batch * net.Network.InputShape.Size);
        var expected = ReferenceNetwork.Run(net.Network, plans, weights, input, net.Batch);

        var run = RunGenerated(net, plans, plans.Count, weights, input);
        if (run.Error is not null)
        {
            Assert.Fail(Describe(net) + "\n" + run.Error);
        }

        var mismatch = Compare(expected, run.Output!, plans[plans.Count - 1].Output, net.Network.ChannelsLast);
        if (mismatch is null)
        {
            return;
        }

        Assert.Fail(Describe(net) + "\nGenerated Forward differs from the reference network: " + mismatch + "\n" + Localize(net, plans, weights, input));
    }

    [Fact]
    public void The_seeds_cover_every_feature_and_each_seed_its_focus()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var missedFocus = new List<string>();
        for (int seed = FirstSeed; seed < FirstSeed + SeedCount; seed++)
        {
            var net = RandomNetworks.Generate(seed);
            seen.UnionWith(net.Features);
            var focus = RandomNetworks.Focus[seed % RandomNetworks.Focus.Length];
            if (!net.Features.Contains(focus.Tag))
            {
                missedFocus.Add($"seed {seed}: focus '{focus.Tag}' missing\n{net.Attributes}");
            }
        }

        var missing = RandomNetworks.RequiredFeatures.Where(f => !seen.Contains(f)).ToList();
        Assert.True(missing.Count == 0 && missedFocus.Count == 0, "features no seed produces: " + string.Join(", ", missing) + "\n" + string.Join("\n\n", missedFocus));
    }

    [Fact]
    public void Generation_is_deterministic_and_valid()
    {
        for (int seed = FirstSeed; seed < FirstSeed + SeedCount; seed++)
        {
            var a = RandomNetworks.Generate(seed);
            var b = RandomNetworks.Generate(seed);
            Assert.Equal(a.Attributes, b.Attributes);
            Assert.Equal(a.Batch, b.Batch);
            Assert.True(ShapeInference.Infer(a.Network, a.Decls).Succeeded, a.Attributes);
        }
    }

    private sealed record GeneratedRun(float[]? Output, string? Error);

    /// <summary>Compiles the first <paramref name="layerCount"/> layers and runs them on <paramref name="input"/>.</summary>
    private static GeneratedRun RunGenerated(RandomNetwork net, IReadOnlyList<LayerPlan> plans, int layerCount, ModelWeights weights, float[] input)
    {
        var owned = plans.Take(layerCount).ToList();
        var trimmed = layerCount == plans.Count
            ? weights
            : new ModelWeights(weights.Where(t => owned.Any(p => ReferenceNetwork.Owns(p, t.Name))));
        INetwork network;
        try
        {
            network = GeneratorHarness.Build(net.Declaration(layerCount), trimmed);
        }
        catch (Exception e)
        {
            return new GeneratedRun(null, "Building the network failed: " + (e.InnerException ?? e));
        }

        // The layer table must say what the declaration says: it checks that the attribute text and the
        // LayerDecls built next to it mean the same network.
        var table = network.LayerTable;
        if (table.Count != owned.Count)
        {
            return new GeneratedRun(null, $"The generated layer table has {table.Count} rows; the declaration has {owned.Count} layers.");
        }

        for (int i = 0; i < owned.Count; i++)
        {
            var row = table[i];
            var plan = owned[i];
            if (row.Name != plan.ParameterPrefix || row.Kind != plan.Decl.AttributeName
                || row.InputShape != plan.Input.ToString() || row.OutputShape != plan.Output.ToString())
            {
                return new GeneratedRun(null, $"Layer table row {i} is {row.Name} {row.Kind} {row.InputShape} -> {row.OutputShape}; the plan says {plan.ParameterPrefix} {plan.Decl.AttributeName} {plan.Input} -> {plan.Output}.");
            }
        }

        int batch = input.Length / net.Network.InputShape.Size;
        var output = new float[batch * network.OutputSize];
        try
        {
            network.Forward(input, output, batch);
        }
        catch (Exception e)
        {
            return new GeneratedRun(null, "Forward threw: " + e);
        }

        return new GeneratedRun(output, null);
    }

    /// <summary>Null when every element is within tolerance; else the first bad element, the worst error and the count.</summary>
    private static string? Compare(float[] expected, float[] actual, TensorShape shape, bool channelsLast)
    {
        if (expected.Length != actual.Length)
        {
            return $"output length {actual.Length}, expected {expected.Length}";
        }

        int bad = 0, first = -1, worst = -1;
        double worstError = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            double e = expected[i];
            double error = Math.Abs(actual[i] - e);
            if (!(error <= Tolerance * Math.Max(1.0, Math.Abs(e))))
            {
                bad++;
                first = first < 0 ? i : first;
                if (!(error <= worstError))
                {
                    worstError = error;
                    worst = i;
                }
            }
        }

        if (bad == 0)
        {
            return null;
        }

        string At(int i) => $"output[{i}] {ReferenceNetwork.DescribeIndex(i, shape, channelsLast)}: actual {actual[i].ToString("R", CultureInfo.InvariantCulture)}, expected {expected[i].ToString("R", CultureInfo.InvariantCulture)}";
        return $"{bad} of {expected.Length} elements out of tolerance; first {At(first)}; worst {At(worst)}";
    }

    /// <summary>Finds the shortest failing prefix of the declaration by bisection (a few extra compilations, only on failure).</summary>
    private static string Localize(RandomNetwork net, IReadOnlyList<LayerPlan> plans, ModelWeights weights, float[] input)
    {
        int good = 0, bad = plans.Count;
        string? badDetail = null;
        while (bad - good > 1)
        {
            int mid = (good + bad) / 2;
            var expected = ReferenceNetwork.Run(net.Network, plans.Take(mid).ToList(), weights, input, net.Batch);
            var run = RunGenerated(net, plans, mid, weights, input);
            string? detail = run.Error ?? Compare(expected, run.Output!, plans[mid - 1].Output, net.Network.ChannelsLast);
            if (detail is null)
            {
                good = mid;
            }
            else
            {
                bad = mid;
                badDetail = detail;
            }
        }

        var culprit = plans[bad - 1];
        var text = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"Shortest failing prefix: the first {bad} layers; the first {good} agree. Suspect {culprit.Label}: [{net.Layers[bad - 1].Text}], {culprit.Input} -> {culprit.Output}")
            .Append(CultureInfo.InvariantCulture, $" (pads t{culprit.PadTop} b{culprit.PadBottom} l{culprit.PadLeft} r{culprit.PadRight}).");
        if (badDetail is not null)
        {
            text.Append("\nPrefix mismatch: ").Append(badDetail);
        }

        text.Append("\nPrefix declaration:\n").Append(net.Declaration(bad));
        return text.ToString();
    }

    private static string Describe(RandomNetwork net)
        => $"seed {net.Seed}, batch {net.Batch}, features: {string.Join(" ", net.Features)}\n{net.Attributes}";
}
