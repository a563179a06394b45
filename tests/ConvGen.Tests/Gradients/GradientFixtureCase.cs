using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using ConvGen.Reference;

namespace ConvGen.Tests.Gradients;

/// <summary>
/// One case of tests/fixtures/gradients/gradient_cases.json (written by make_gradient_fixtures.py):
/// its op, hyper-parameters, named inputs (including "grad_output") and PyTorch's expected tensors.
/// </summary>
internal sealed class GradientFixtureCase(JsonElement element)
{
    private static readonly Lazy<GradientFixtureCase[]> AllCases = new(Load);

    public string Name { get; } = element.GetProperty("name").GetString()!;

    public string Op { get; } = element.GetProperty("op").GetString()!;

    private JsonElement Params => element.GetProperty("params");

    /// <summary>Every case in the fixture file, read once.</summary>
    public static GradientFixtureCase[] All() => AllCases.Value;

    public int Int(string name) => Params.GetProperty(name).GetInt32();

    public int[] Ints(string name) => Params.GetProperty(name).EnumerateArray().Select(e => e.GetInt32()).ToArray();

    public bool Bool(string name) => Params.GetProperty(name).GetBoolean();

    public double Double(string name) => Params.GetProperty(name).GetDouble();

    public string String(string name) => Params.GetProperty(name).GetString()!;

    public PaddingMode Mode() => String("mode") switch
    {
        "zeros" => PaddingMode.Zeros,
        "reflect" => PaddingMode.Reflect,
        "replicate" => PaddingMode.Replicate,
        "circular" => PaddingMode.Circular,
        var other => throw new InvalidOperationException($"Unknown padding mode '{other}'."),
    };

    public (float[] Data, int[] Shape) Input(string name) => Read(element.GetProperty("inputs").GetProperty(name));

    public float[]? OptionalInput(string name) =>
        element.GetProperty("inputs").TryGetProperty(name, out JsonElement t) ? Read(t).Data : null;

    public float[] GradOutput => Input("grad_output").Data;

    public (float[] Data, int[] Shape) Expected(string name) => Read(element.GetProperty("expected").GetProperty(name));

    public bool HasExpected(string name) => element.GetProperty("expected").TryGetProperty(name, out _);

    /// <summary>An activation as (data, N, C, H, W): PyTorch's [N, C] is H = W = 1 and [N, C, L] is H = 1.</summary>
    public (float[] Data, int N, int C, int H, int W) Input4(string name)
    {
        var (data, s) = Input(name);
        return s.Length switch
        {
            2 => (data, s[0], s[1], 1, 1),
            3 => (data, s[0], s[1], 1, s[2]),
            4 => (data, s[0], s[1], s[2], s[3]),
            _ => throw new InvalidOperationException($"Input '{name}' has rank {s.Length}."),
        };
    }

    /// <summary>A conv weight as (data, kH, kW); a 1-D kernel [.., .., k] has kH = 1.</summary>
    public (float[] Data, int KH, int KW) Kernel(string name)
    {
        var (data, s) = Input(name);
        return s.Length == 3 ? (data, 1, s[2]) : (data, s[2], s[3]);
    }

    public override string ToString() => Name;

    private static (float[] Data, int[] Shape) Read(JsonElement tensor) =>
        (tensor.GetProperty("data").EnumerateArray().Select(e => (float)e.GetDouble()).ToArray(),
         tensor.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()).ToArray());

    private static GradientFixtureCase[] Load()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "fixtures", "gradients", "gradient_cases.json");
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.GetProperty("cases").EnumerateArray().Select(c => new GradientFixtureCase(c.Clone())).ToArray();
    }
}
