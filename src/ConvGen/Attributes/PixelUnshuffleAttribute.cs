namespace ConvGen;

/// <summary>PyTorch's <c>nn.PixelUnshuffle(r)</c>: <c>[C, H·r, W·r]</c> becomes <c>[C·r², H, W]</c>.</summary>
public sealed class PixelUnshuffleAttribute : LayerAttribute
{
    /// <summary>The inverse of pixel shuffle by <paramref name="downscaleFactor"/>.</summary>
    public PixelUnshuffleAttribute(int downscaleFactor)
    {
        DownscaleFactor = downscaleFactor;
    }

    /// <summary>The factor r.</summary>
    public int DownscaleFactor { get; }
}
