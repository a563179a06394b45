namespace ConvGen;

/// <summary>What a convolution reads outside the input (PyTorch's <c>padding_mode</c>).</summary>
public enum PaddingMode
{
    /// <summary>Zeros.</summary>
    Zeros = 0,

    /// <summary>Mirror without repeating the edge: [a b c] -> b [a b c] b.</summary>
    Reflect = 1,

    /// <summary>Repeat the edge: [a b c] -> a [a b c] c.</summary>
    Replicate = 2,

    /// <summary>Wrap around: [a b c] -> c [a b c] a.</summary>
    Circular = 3,
}
