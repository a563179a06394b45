namespace ConvGen.Shapes;

/// <summary>
/// A reason a declaration cannot be compiled: the rule ID (CG0001…), the 0-based layer index (−1 for the
/// network), the attribute argument at fault (null for the whole attribute) and a message that names
/// the layer and evaluates the formula.
/// </summary>
internal sealed record ShapeError(string Id, int LayerIndex, string? Argument, string Message);
