namespace ConvGen;

/// <summary>PyTorch's <c>nn.Linear</c> on a flat input: y = W·x + b with W <c>[out_features, in_features]</c>.</summary>
public sealed class LinearAttribute : LayerAttribute
{
    /// <summary>A fully connected layer with <paramref name="outFeatures"/> outputs.</summary>
    public LinearAttribute(int outFeatures)
    {
        OutFeatures = outFeatures;
    }

    /// <summary>Output features.</summary>
    public int OutFeatures { get; }

    /// <summary>Whether the layer has a bias (default true).</summary>
    public bool Bias { get; set; } = true;
}
