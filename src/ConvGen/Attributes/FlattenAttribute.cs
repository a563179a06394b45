namespace ConvGen;

/// <summary>PyTorch's <c>nn.Flatten()</c>: <c>[C, H, W]</c> becomes <c>[C·H·W]</c> in channel-major order.</summary>
public sealed class FlattenAttribute : LayerAttribute
{
}
