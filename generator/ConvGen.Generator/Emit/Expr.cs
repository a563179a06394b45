using System.Collections.Generic;
using System.Globalization;

namespace ConvGen.Generator.Emit;

/// <summary>
/// Writes affine index expressions with literal coefficients the way a person would: no "* 1", no "+ 0",
/// no terms whose coefficient is 0. <c>Sum(-2, ("oh", 1))</c> is "oh - 2".
/// </summary>
internal static class Expr
{
    public static string Sum(long constant, params (string Term, long Coefficient)[] terms)
    {
        var parts = new List<string>();
        foreach (var (term, coefficient) in terms)
        {
            if (coefficient == 0 || term == "0")
            {
                continue;
            }

            parts.Add(coefficient == 1 ? term : $"({Wrap(term)} * {coefficient.ToString(CultureInfo.InvariantCulture)})");
        }

        if (parts.Count == 0)
        {
            return constant.ToString(CultureInfo.InvariantCulture);
        }

        string text = string.Join(" + ", parts);
        if (constant > 0)
        {
            text += " + " + constant.ToString(CultureInfo.InvariantCulture);
        }
        else if (constant < 0)
        {
            text += " - " + (-constant).ToString(CultureInfo.InvariantCulture);
        }

        return text;
    }

    /// <summary>"lo &lt;= v &amp;&amp; v &lt;= hi", dropping a bound that the loop already guarantees; "true" when both are.</summary>
    public static string InRange(string v, int lo, int hi, int loopEnd)
    {
        var tests = new List<string>();
        if (lo > 0)
        {
            tests.Add($"{v} >= {lo.ToString(CultureInfo.InvariantCulture)}");
        }

        if (hi < loopEnd - 1)
        {
            tests.Add($"{v} <= {hi.ToString(CultureInfo.InvariantCulture)}");
        }

        return tests.Count == 0 ? "true" : string.Join(" && ", tests);
    }

    private static string Wrap(string term) => term.IndexOf(' ') >= 0 ? "(" + term + ")" : term;
}
