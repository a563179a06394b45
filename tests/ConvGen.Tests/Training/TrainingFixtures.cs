using System;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace ConvGen.Tests.Training;

/// <summary>
/// tests/fixtures/training/optimizer_cases.json, written by make_optimizer_fixtures.py with PyTorch 1.13:
/// loss values and gradients, and parameters after each of 5 optimizer steps.
/// </summary>
internal static class TrainingFixtures
{
    private static readonly Lazy<JsonElement> Root = new(Load);

    public static JsonElement[] Section(string name) => Root.Value.GetProperty(name).EnumerateArray().ToArray();

    public static JsonElement Case(string section, string name) =>
        Section(section).Single(c => c.GetProperty("name").GetString() == name);

    public static string[] Names(string section) =>
        Section(section).Select(c => c.GetProperty("name").GetString()!).ToArray();

    public static float[] Floats(this JsonElement array) => array.EnumerateArray().Select(e => e.GetSingle()).ToArray();

    private static JsonElement Load()
    {
        const string File = "optimizer_cases.json";
        string path = Path.Combine(AppContext.BaseDirectory, "fixtures", "training", File);
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); !System.IO.File.Exists(path) && dir is not null; dir = dir.Parent)
        {
            path = Path.Combine(dir.FullName, "tests", "fixtures", "training", File);
        }

        using JsonDocument document = JsonDocument.Parse(System.IO.File.ReadAllText(path));
        return document.RootElement.Clone();
    }
}
