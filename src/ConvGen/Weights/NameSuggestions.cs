using System;
using System.Collections.Generic;
using System.Linq;

namespace ConvGen;

/// <summary>Finds the names closest to a misspelled one, for "did you mean" messages.</summary>
internal static class NameSuggestions
{
    /// <summary>
    /// Up to <paramref name="max"/> names within edit distance max(2, |name|/3) of <paramref name="name"/>,
    /// closest first; when none is that close, the names that share its layer prefix ("3." in "3.wieght").
    /// </summary>
    public static IReadOnlyList<string> Closest(string name, IEnumerable<string> candidates, int max = 5)
    {
        int limit = Math.Max(2, name.Length / 3);
        var close = candidates
            .Select((candidate, index) => (candidate, index, distance: EditDistance(name, candidate)))
            .Where(c => c.distance <= limit)
            .OrderBy(c => c.distance)
            .ThenBy(c => c.index)
            .Take(max)
            .Select(c => c.candidate)
            .ToList();
        if (close.Count > 0)
        {
            return close;
        }

        int dot = name.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0)
        {
            return close;
        }

        string prefix = name.Substring(0, dot + 1);
        return candidates.Where(c => c.StartsWith(prefix, StringComparison.Ordinal)).Take(max).ToList();
    }

    /// <summary>Levenshtein distance with two rows.</summary>
    public static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j], current[j - 1]) + 1);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
