using System;
using System.IO;
using System.Runtime.CompilerServices;
using Xunit;

namespace ConvGen.Tests.Generator;

/// <summary>
/// Exact-text baselines in Generator/Baselines, found through the source path (no copy to the output
/// folder). With CONVGEN_UPDATE_BASELINES=1 a mismatch rewrites the baseline instead of failing, as
/// dotnet/runtime's System.Text.Json generator tests do; review the diff before committing it.
/// </summary>
internal static class BaselineFiles
{
    public const string UpdateVariable = "CONVGEN_UPDATE_BASELINES";

    public static bool Updating => Environment.GetEnvironmentVariable(UpdateVariable) == "1";

    /// <summary>Generator/Baselines next to this source file.</summary>
    public static string Folder([CallerFilePath] string thisFile = "")
        => Path.Combine(Path.GetDirectoryName(thisFile) ?? "", "Baselines");

    public static string PathOf(string name) => Path.Combine(Folder(), name + ".g.cs.txt");

    /// <summary>Asserts <paramref name="actual"/> equals the baseline <paramref name="name"/>, or rewrites it when updating.</summary>
    public static void AssertMatches(string name, string actual)
    {
        string folder = Folder();
        Assert.True(Directory.Exists(folder), $"Baseline folder {folder} not found: the tests locate it through [CallerFilePath], so run them from a build of this source tree.");
        string path = PathOf(name);
        string? expected = File.Exists(path) ? File.ReadAllText(path) : null;
        if (expected == actual)
        {
            return;
        }

        if (Updating)
        {
            File.WriteAllText(path, actual);
            return;
        }

        if (expected is null)
        {
            Assert.Fail($"No baseline {path}. Run the tests with {UpdateVariable}=1 to create it, then review and commit it.");
        }

        Assert.Fail($"Generated source for {name} differs from {path} at {FirstDifference(expected, actual)}.\n"
            + $"If the change is intended, run the tests with {UpdateVariable}=1 and review the baseline diff.");
    }

    /// <summary>"line 12: expected `...` but was `...`", for a readable failure.</summary>
    private static string FirstDifference(string expected, string actual)
    {
        var e = expected.Split('\n');
        var a = actual.Split('\n');
        for (int i = 0; i < Math.Max(e.Length, a.Length); i++)
        {
            string el = i < e.Length ? e[i] : "<end of file>";
            string al = i < a.Length ? a[i] : "<end of file>";
            if (el != al)
            {
                return $"line {i + 1}:\n  expected: {el}\n  actual:   {al}";
            }
        }

        return "line endings or trailing whitespace";
    }
}
