namespace ConvGen;

/// <summary>x for x ≥ 0, else negative_slope · x. Fused into the preceding kernel where possible.</summary>
public sealed class LeakyReLUAttribute : LayerAttribute
{
    /// <summary>Slope for negative inputs (default 0.01).</summary>
    public double NegativeSlope { get; set; } = 0.01;
}
