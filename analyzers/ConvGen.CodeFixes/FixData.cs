using System.Collections.Generic;
using System.Globalization;
using ConvGen.Analyzers;
using Microsoft.CodeAnalysis;

namespace ConvGen.CodeFixes;

/// <summary>
/// Reads the "key=value;key=value" data the shape module attaches to a diagnostic
/// (<see cref="NetworkDeclarationAnalyzer.FixDataKey"/>). Anything malformed reads as missing, and a fixer
/// offers nothing rather than guess.
/// </summary>
internal static class FixData
{
    /// <summary>The pairs of <paramref name="diagnostic"/>'s fix data, or null when it has none.</summary>
    public static Dictionary<string, string>? Read(Diagnostic diagnostic)
    {
        if (!diagnostic.Properties.TryGetValue(NetworkDeclarationAnalyzer.FixDataKey, out var text) || string.IsNullOrEmpty(text))
        {
            return null;
        }

        var pairs = new Dictionary<string, string>(System.StringComparer.Ordinal);
        foreach (var pair in text!.Split(';'))
        {
            int equals = pair.IndexOf('=');
            if (equals <= 0 || pairs.ContainsKey(pair.Substring(0, equals)))
            {
                return null;
            }

            pairs.Add(pair.Substring(0, equals), pair.Substring(equals + 1));
        }

        return pairs;
    }

    /// <summary>The value of <paramref name="key"/> as <paramref name="count"/> non-negative integers ("4,2"), or null.</summary>
    public static int[]? Ints(Dictionary<string, string>? data, string key, int count)
    {
        if (data is null || !data.TryGetValue(key, out var text))
        {
            return null;
        }

        var parts = text.Split(',');
        if (count > 0 && parts.Length != count)
        {
            return null;
        }

        var values = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out values[i]))
            {
                return null;
            }
        }

        return values;
    }

    /// <summary>Whether the data is exactly <c>key=value</c> for the given key (e.g. "fix=causal").</summary>
    public static bool Is(Dictionary<string, string>? data, string key, string value)
        => data is not null && data.TryGetValue(key, out var actual) && actual == value;
}
