namespace ConvGen;

/// <summary>What a tensor is to PyTorch: a learned parameter or a buffer (running statistics, counters).</summary>
public enum TensorRole
{
    /// <summary>A learned parameter (<c>nn.Parameter</c>): convolution and linear weights and biases, batch-norm γ and β.</summary>
    Parameter,

    /// <summary>A registered buffer: batch-norm <c>running_mean</c>, <c>running_var</c> and <c>num_batches_tracked</c>.</summary>
    Buffer,
}
