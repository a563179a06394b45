using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using ConvGen.Tests.Infrastructure;
using Xunit;

namespace ConvGen.Tests.Golden;

/// <summary>
/// PyTorch's own outputs: every case in tests/fixtures/golden (made by make_golden.py with Debian's
/// python3-torch) is compiled by the generator, loaded with PyTorch's state_dict and run on PyTorch's input.
/// </summary>
public sealed class GoldenTests
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "fixtures", "golden");

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var c in ReadCases())
        {
            data.Add(c.Name);
        }

        return data;
    }

    [Fact]
    public void There_are_at_least_thirty_cases()
        => Assert.True(ReadCases().Count >= 30, "the golden set must keep at least 30 PyTorch cases");

    [Theory]
    [MemberData(nameof(Cases))]
    public void Generated_forward_matches_pytorch(string name)
    {
        var golden = ReadCases().Single(c => c.Name == name);
        var file = ModelWeights.LoadSafetensors(Path.Combine(Folder, name + ".safetensors"));
        var weights = new ModelWeights(file.Where(t => t.Name is not ("input" or "output")));
        var input = file["input"];
        var expected = file["output"];

        var network = GeneratorHarness.Build(golden.Declaration, weights);
        Assert.Equal(golden.Batch * network.InputSize, input.ElementCount);
        var actual = new float[golden.Batch * network.OutputSize];
        Assert.Equal(expected.ElementCount, actual.Length);
        network.Forward(input.Data, actual, golden.Batch);

        for (int i = 0; i < actual.Length; i++)
        {
            double e = expected.Data[i];
            double limit = golden.Atol + (golden.Rtol * Math.Abs(e));
            if (!(Math.Abs(actual[i] - e) <= limit))
            {
                Assert.Fail($"{name}: output[{i}] = {actual[i]:R}, PyTorch {e:R} (|diff| {Math.Abs(actual[i] - e):E2} > {limit:E2})\n{golden.Declaration}");
            }
        }
    }

    private sealed record GoldenCase(string Name, string Declaration, int Batch, double Rtol, double Atol);

    private static List<GoldenCase> ReadCases()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "cases.json")));
        return json.RootElement.EnumerateArray().Select(c => new GoldenCase(
            c.GetProperty("name").GetString()!,
            c.GetProperty("declaration").GetString()!,
            c.GetProperty("batch").GetInt32(),
            c.GetProperty("rtol").GetDouble(),
            c.GetProperty("atol").GetDouble())).ToList();
    }
}
