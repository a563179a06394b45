namespace ConvGen;

/// <summary>Interpolation of <see cref="UpsampleAttribute"/>.</summary>
public enum UpsampleMode
{
    /// <summary>Nearest neighbour (PyTorch's 'nearest').</summary>
    Nearest = 0,

    /// <summary>Linear in 1-D, bilinear in 2-D, with align_corners=false.</summary>
    Linear = 1,
}
