namespace ConvGen.Shapes;

/// <summary>
/// One dimension of the receptive-field table: jump j (input pixels between neighbouring outputs),
/// field r (input pixels one output sees) and start a (input coordinate of output 0's centre; a₀ = 0.5
/// is the centre of the first pixel).
/// </summary>
internal readonly record struct ReceptiveField(double Jump, double Field, double Start)
{
    public static ReceptiveField Input => new(1, 1, 0.5);

    /// <summary>
    /// The design notes' recurrence for a window of k taps, dilation d, stride s and p leading pad:
    /// a += ((k_eff − 1)/2 − p)·j; r += (k_eff − 1)·j; j *= s.
    /// </summary>
    public ReceptiveField Window(int kernel, int stride, int padBefore, int dilation)
    {
        int kEff = ShapeMath.EffectiveKernel(kernel, dilation);
        return new ReceptiveField(
            Jump * stride,
            Field + ((kEff - 1) * Jump),
            Start + ((((kEff - 1) / 2.0) - padBefore) * Jump));
    }

    /// <summary>
    /// A transposed convolution: output o takes input (o + p − t·d)/s at tap t, so j /= s,
    /// a += (p − (k_eff − 1)/2)·j/s and r grows by (k_eff − 1)/s input steps (an upper bound when s ∤ k_eff − 1).
    /// </summary>
    public ReceptiveField Transposed(int kernel, int stride, int padding, int dilation)
    {
        int kEff = ShapeMath.EffectiveKernel(kernel, dilation);
        return new ReceptiveField(
            Jump / stride,
            Field + ((kEff - 1) * Jump / stride),
            Start + ((padding - ((kEff - 1) / 2.0)) * Jump / stride));
    }

    /// <summary>Upsampling by s (also pixel shuffle): output o maps to input (o + 0.5)/s − 0.5.</summary>
    public ReceptiveField Upsampled(int scale, bool interpolates) => new(
        Jump / scale,
        interpolates ? Field + Jump : Field,
        Start + (((0.5 / scale) - 0.5) * Jump));
}
