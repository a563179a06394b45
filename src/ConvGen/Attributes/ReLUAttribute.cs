namespace ConvGen;

/// <summary>max(x, 0). Fused into the preceding kernel where possible.</summary>
public sealed class ReLUAttribute : LayerAttribute
{
}
