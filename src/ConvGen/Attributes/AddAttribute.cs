namespace ConvGen;

/// <summary>
/// Residual connection: adds a tensor saved with <see cref="SaveAttribute"/> to the current one.
/// With <see cref="Projection"/>, the saved tensor first goes through a 1×1 convolution (no bias, stride
/// chosen to match the spatial size) and a BatchNorm, named "{layer}.0.weight" and "{layer}.1.*" as an
/// <c>nn.Sequential(Conv2d, BatchNorm2d)</c> in this slot would be.
/// </summary>
public sealed class AddAttribute : LayerAttribute
{
    /// <summary>Adds the tensor saved as <paramref name="tensorName"/>.</summary>
    public AddAttribute(string tensorName)
    {
        TensorName = tensorName;
    }

    /// <summary>The saved tensor's name.</summary>
    public string TensorName { get; }

    /// <summary>Project the saved tensor with 1×1 conv + BatchNorm when the shapes differ (default false).</summary>
    public bool Projection { get; set; }
}
