namespace ConvGen.Shapes;

/// <summary>How every message, comment and summary names a layer: kind, index and optional name.</summary>
internal static class LayerLabels
{
    public static string Of(LayerDecl decl, int index)
        => decl.AttributeName + " #" + index.ToString(System.Globalization.CultureInfo.InvariantCulture)
           + (decl.Name is null ? "" : " '" + decl.Name + "'");
}
