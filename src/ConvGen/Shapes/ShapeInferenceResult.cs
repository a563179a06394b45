using System.Collections.Generic;
using System.Linq;

namespace ConvGen.Shapes;

/// <summary>The planned layers (up to the first broken one) and everything found on the way.</summary>
internal sealed record ShapeInferenceResult(IReadOnlyList<LayerPlan> Layers, IReadOnlyList<ShapeFinding> Findings)
{
    /// <summary>The findings that stop the network from compiling.</summary>
    public IReadOnlyList<ShapeFinding> Errors => Findings.Where(f => f.Severity == FindingSeverity.Error).ToList();

    public bool Succeeded => Findings.All(f => f.Severity != FindingSeverity.Error);
}
