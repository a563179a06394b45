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
/// message that names the layer and evaluates the formula. <see cref="FixData"/> carries what a code fix
/// needs ("groups=2,1,4"; "pads=0,1,0,1"), as "key=value" pairs separated by ';'.
/// </summary>
internal sealed record ShapeFinding(string Id, FindingSeverity Severity, int LayerIndex, string? Argument, string Message)
{
    public string? FixData { get; init; }
}
