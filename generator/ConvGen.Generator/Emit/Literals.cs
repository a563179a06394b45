using System.Globalization;

namespace ConvGen.Generator.Emit;

/// <summary>Culture-invariant, round-trip literals: the same model always produces the same text.</summary>
internal static class Literals
{
    private static readonly char[] NonIntegerMarks = { '.', 'E', 'N', 'I' };

    public static string Float(double value)
    {
        float f = (float)value;
        string text = f.ToString("R", CultureInfo.InvariantCulture);
        if (text.IndexOfAny(NonIntegerMarks) < 0)
        {
            text += ".0";
        }

        return text + "f";
    }

    public static string Double(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    public static string Int(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static string String(string value) => "\"" + value.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n") + "\"";
}
