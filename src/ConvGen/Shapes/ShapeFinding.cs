namespace ConvGen.Shapes;

/// <summary>How serious a finding is: errors stop the network from compiling.</summary>
internal enum FindingSeverity
{
    Error = 0,
    Warning = 1,
    Info = 2,
}

/// <summary>
/// Something the shape module found about a declaration: the rule ID (CG0001…), its severity, the 0-based
/// layer index (−1 for the network), the attribute argument at fault (null for the whole attribute) and a
/// message that names the layer and evaluates the formula.
/// </summary>
internal sealed record ShapeFinding(string Id, FindingSeverity Severity, int LayerIndex, string? Argument, string Message);
