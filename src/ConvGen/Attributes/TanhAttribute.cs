namespace ConvGen;

/// <summary>tanh(x). Fused into the preceding kernel where possible.</summary>
public sealed class TanhAttribute : LayerAttribute
{
}
