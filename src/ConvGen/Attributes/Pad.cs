namespace ConvGen;

/// <summary>How a convolution's padding is chosen.</summary>
public enum Pad
{
    /// <summary>The numbers given by <c>Padding</c>, <c>PaddingH</c>/<c>PaddingW</c> and <c>PadLeft</c>... (default 0).</summary>
    Explicit = 0,

    /// <summary>
    /// PyTorch's <c>padding='same'</c>: total d(k-1) per dimension, ⌊d(k-1)/2⌋ before and the rest after,
    /// so an odd total puts the extra element right/bottom. Needs stride 1.
    /// </summary>
    Same = 1,

    /// <summary>PyTorch's <c>padding='valid'</c>: no padding.</summary>
    Valid = 2,

    /// <summary>Causal 1-D convolution: d(k-1) on the left only, so output t sees inputs up to t.</summary>
    Causal = 3,
}
