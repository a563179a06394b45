namespace ConvGen.Shapes;

/// <summary>How every message, comment and summary names a layer: kind, index and optional name.</summary>
internal static class LayerLabels
{
    public static string Of(LayerDecl decl, int index)
        => decl.AttributeName + " #" + index.ToString(System.Globalization.CultureInfo.InvariantCulture)
           + (decl.Name is null ? "" : " '" + Printable(decl.Name) + "'");

    /// <summary>The name with control and line-break characters shown as \uXXXX, safe in messages and comments.</summary>
    public static string Printable(string name)
    {
        var text = new System.Text.StringBuilder(name.Length);
        foreach (char c in name)
        {
            if (char.IsControl(c) || c is '\u0085' or '\u2028' or '\u2029')
            {
                text.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                text.Append(c);
            }
        }

        return text.ToString();
    }
}
