namespace ConvGen;

/// <summary>PyTorch's <c>nn.PixelShuffle(r)</c>: <c>[C·r², H, W]</c> becomes <c>[C, H·r, W·r]</c>.</summary>
public sealed class PixelShuffleAttribute : LayerAttribute
{
    /// <summary>Sub-pixel convolution rearrangement by <paramref name="upscaleFactor"/>.</summary>
    public PixelShuffleAttribute(int upscaleFactor)
    {
        UpscaleFactor = upscaleFactor;
    }

    /// <summary>The factor r.</summary>
    public int UpscaleFactor { get; }
}
