namespace ConvGen;

/// <summary>
/// PyTorch's <c>nn.BatchNorm1d</c>: per-channel normalization of <c>[C, L]</c> samples, or per feature of flat ones. At inference it uses the running statistics and, when it
/// directly follows a convolution or linear layer, is folded into that layer's weights:
/// W' = γ/√(σ²+ε)·W, b' = γ/√(σ²+ε)·(b − μ) + β.
/// </summary>
public sealed class BatchNorm1dAttribute : LayerAttribute
{
    /// <summary>ε added to the variance (default 1e-5).</summary>
    public double Eps { get; set; } = 1e-5;

    /// <summary>Weight of the new batch statistics in the running averages (default 0.1).</summary>
    public double Momentum { get; set; } = 0.1;

    /// <summary>Whether the layer has a learned scale γ and shift β (default true).</summary>
    public bool Affine { get; set; } = true;
}
