namespace ConvGen;

/// <summary>
/// PyTorch's <c>nn.Upsample(scale_factor=s)</c> by an integer factor: nearest, or (bi)linear with
/// align_corners=false.
/// </summary>
public sealed class UpsampleAttribute : LayerAttribute
{
    /// <summary>Upsampling by <paramref name="scaleFactor"/> in every spatial dimension.</summary>
    public UpsampleAttribute(int scaleFactor)
    {
        ScaleFactor = scaleFactor;
    }

    /// <summary>Integer scale factor.</summary>
    public int ScaleFactor { get; }

    /// <summary>Interpolation (default nearest).</summary>
    public UpsampleMode Mode { get; set; }
}
