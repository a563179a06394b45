using System.Globalization;

namespace ConvGen.Generator.Emit;

/// <summary>Culture-invariant, round-trip literals: the same model always produces the same text.</summary>
internal static class Literals
{
    private static readonly char[] NonIntegerMarks = { '.', 'E', 'N', 'I' };

    public static string Float(double value)
    {
        float f = (float)value;
        if (float.IsNaN(f) || float.IsInfinity(f))
        {
            // The shape module rejects non-finite arguments; this only keeps the output compilable.
            return float.IsNaN(f) ? "float.NaN" : f > 0 ? "float.PositiveInfinity" : "float.NegativeInfinity";
        }

        string text = f.ToString("R", CultureInfo.InvariantCulture);
        if (text.IndexOfAny(NonIntegerMarks) < 0)
        {
            text += ".0";
        }

        return text + "f";
    }

    public static string Double(double value)
        => double.IsNaN(value) ? "double.NaN"
            : double.IsInfinity(value) ? (value > 0 ? "double.PositiveInfinity" : "double.NegativeInfinity")
            : value.ToString("R", CultureInfo.InvariantCulture);

    public static string Int(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A C# string literal: quotes, backslashes and every control or line-break character escaped.</summary>
    public static string String(string value)
    {
        var text = new System.Text.StringBuilder("\"");
        foreach (char c in value)
        {
            switch (c)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\n': text.Append("\\n"); break;
                default:
                    if (char.IsControl(c) || c is '\u0085' or '\u2028' or '\u2029')
                    {
                        text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        text.Append(c);
                    }

                    break;
            }
        }

        return text.Append('"').ToString();
    }
}
