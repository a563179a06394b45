namespace ConvGen;

/// <summary>How <see cref="ModelWeights.Create"/> fills a tensor, following what PyTorch does when it builds the layer.</summary>
public enum WeightInit
{
    /// <summary>A convolution weight: Kaiming initialization as chosen by <see cref="KaimingMode"/>.</summary>
    ConvWeight,

    /// <summary>A linear layer's weight: Kaiming initialization as chosen by <see cref="KaimingMode"/>.</summary>
    LinearWeight,

    /// <summary>A convolution or linear bias: U(−1/√fan_in, 1/√fan_in), PyTorch's default whatever the scheme.</summary>
    Bias,

    /// <summary>All ones: batch-norm <c>weight</c> (γ) and <c>running_var</c>.</summary>
    Ones,

    /// <summary>All zeros: batch-norm <c>bias</c> (β) and <c>running_mean</c>.</summary>
    Zeros,

    /// <summary>
    /// Batch-norm's <c>num_batches_tracked</c> counter: an int64 scalar (shape <c>[]</c>) in PyTorch's state_dict,
    /// stored as <see cref="TensorDType.I64"/> and started at 0.
    /// </summary>
    NumBatchesTracked,
}
