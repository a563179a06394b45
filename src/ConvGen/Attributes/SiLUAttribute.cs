namespace ConvGen;

/// <summary>x · sigmoid(x) (swish). Fused into the preceding kernel where possible.</summary>
public sealed class SiLUAttribute : LayerAttribute
{
}
