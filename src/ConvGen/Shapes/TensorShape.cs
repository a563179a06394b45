namespace ConvGen.Shapes;

/// <summary>
/// The shape of one sample (no batch). Rank 2 is [C, H, W], rank 1 is [C, W] (H = 1), rank 0 is a flat
/// vector of <see cref="Channels"/> features (H = W = 1).
/// </summary>
internal readonly record struct TensorShape(int Channels, int Height, int Width, int Rank)
{
    public static TensorShape Flat(int features) => new(features, 1, 1, 0);

    /// <summary>Elements of one sample.</summary>
    public int Size => Channels * Height * Width;

    /// <summary>Positions per channel.</summary>
    public int Spatial => Height * Width;

    public override string ToString() => Rank switch
    {
        0 => "[" + Channels.ToString(System.Globalization.CultureInfo.InvariantCulture) + "]",
        1 => "[" + Join(Channels, Width) + "]",
        _ => "[" + Join(Channels, Height, Width) + "]",
    };

    private static string Join(params int[] values)
        => string.Join(", ", System.Array.ConvertAll(values, v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)));
}
