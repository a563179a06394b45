using System.Collections.Generic;

namespace ConvGen.Shapes;

/// <summary>The planned layers (up to the first broken one) and every error found.</summary>
internal sealed record ShapeInferenceResult(IReadOnlyList<LayerPlan> Layers, IReadOnlyList<ShapeError> Errors)
{
    public bool Succeeded => Errors.Count == 0;
}
