namespace ConvGen;

/// <summary>
/// The initialization scheme <see cref="ModelWeights.Create"/> uses for convolution and linear weights
/// (<see cref="WeightInit.ConvWeight"/>, <see cref="WeightInit.LinearWeight"/>). Biases always follow PyTorch's default.
/// </summary>
public enum KaimingMode
{
    /// <summary>
    /// What a freshly built PyTorch layer holds: <c>kaiming_uniform_(a=√5)</c>, which is U(−1/√fan_in, 1/√fan_in).
    /// </summary>
    PyTorchDefault,

    /// <summary><c>kaiming_normal_(mode="fan_in", nonlinearity="relu")</c>: N(0, 2/fan_in).</summary>
    KaimingNormalFanIn,

    /// <summary><c>kaiming_normal_(mode="fan_out", nonlinearity="relu")</c>: N(0, 2/fan_out), as torchvision's ResNet initializes its convolutions.</summary>
    KaimingNormalFanOut,

    /// <summary><c>kaiming_uniform_(mode="fan_in", nonlinearity="relu")</c>: U(−√(6/fan_in), √(6/fan_in)).</summary>
    KaimingUniformFanIn,
}
