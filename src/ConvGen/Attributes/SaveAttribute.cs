namespace ConvGen;

/// <summary>
/// Names the current tensor so that a later <see cref="AddAttribute"/> or <see cref="ConcatAttribute"/>
/// can use it (a skip connection). It computes nothing but takes a slot in the layer list, as an
/// <c>nn.Identity</c> would, so later layers keep their <c>nn.Sequential</c> indices.
/// </summary>
public sealed class SaveAttribute : LayerAttribute
{
    /// <summary>Saves the current tensor as <paramref name="tensorName"/>.</summary>
    public SaveAttribute(string tensorName)
    {
        TensorName = tensorName;
    }

    /// <summary>The name later layers refer to.</summary>
    public string TensorName { get; }
}
