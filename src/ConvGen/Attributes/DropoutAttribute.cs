namespace ConvGen;

/// <summary>PyTorch's <c>nn.Dropout</c>: the identity at inference.</summary>
public sealed class DropoutAttribute : LayerAttribute
{
    /// <summary>Probability of zeroing an element in training (default 0.5).</summary>
    public double P { get; set; } = 0.5;
}
