namespace ConvGen;

/// <summary>
/// Concatenates a tensor saved with <see cref="SaveAttribute"/> after the current one along channels:
/// <c>torch.cat([current, saved], dim=1)</c>. Spatial sizes must match.
/// </summary>
public sealed class ConcatAttribute : LayerAttribute
{
    /// <summary>Appends the channels of the tensor saved as <paramref name="tensorName"/>.</summary>
    public ConcatAttribute(string tensorName)
    {
        TensorName = tensorName;
    }

    /// <summary>The saved tensor's name.</summary>
    public string TensorName { get; }
}
