namespace ConvGen;

/// <summary>1 / (1 + e^−x). Fused into the preceding kernel where possible.</summary>
public sealed class SigmoidAttribute : LayerAttribute
{
}
