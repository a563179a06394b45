namespace ConvGen;

/// <summary>Passes its input through unchanged (PyTorch's <c>nn.Identity</c>).</summary>
public sealed class IdentityAttribute : LayerAttribute
{
}
