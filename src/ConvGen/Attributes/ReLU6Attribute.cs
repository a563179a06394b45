namespace ConvGen;

/// <summary>min(max(x, 0), 6). Fused into the preceding kernel where possible.</summary>
public sealed class ReLU6Attribute : LayerAttribute
{
}
