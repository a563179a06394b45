using System;
using System.ComponentModel;

namespace ConvGen.Kernels;

/// <summary>
/// Finalizes inference weights for generated networks: folds a BatchNorm into the convolution or linear
/// layer before it (W' = γ/√(σ²+ε)·W, b' = γ/√(σ²+ε)·(b − μ) + β) or turns a standalone BatchNorm into a
/// per-channel scale and shift. Computed in double, stored as float.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class BatchNormFolding
{
    /// <summary>
    /// Folds BatchNorm over <paramref name="outChannels"/> channels into <paramref name="weight"/> and
    /// <paramref name="bias"/> (null: no bias). <paramref name="transposedLayout"/> selects ConvTranspose's
    /// weight layout [C_in, C_out/g, ...] instead of [C_out, ...]; <paramref name="taps"/> is kH·kW (1 for Linear).
    /// </summary>
    /// <returns>The folded weight and bias (new arrays).</returns>
    public static (float[] Weight, float[] Bias) Fold(
        ReadOnlySpan<float> weight,
        float[]? bias,
        float[]? gamma,
        float[]? beta,
        ReadOnlySpan<float> runningMean,
        ReadOnlySpan<float> runningVar,
        double eps,
        int outChannels,
        int taps,
        bool transposedLayout = false,
        int groups = 1)
    {
        var scale = new double[outChannels];
        var foldedBias = new float[outChannels];
        for (int c = 0; c < outChannels; c++)
        {
            double g = gamma is null ? 1.0 : gamma[c];
            scale[c] = g / Math.Sqrt(runningVar[c] + eps);
            double b = bias is null ? 0.0 : bias[c];
            foldedBias[c] = (float)((scale[c] * (b - runningMean[c])) + (beta is null ? 0.0 : beta[c]));
        }

        var folded = new float[weight.Length];
        if (!transposedLayout)
        {
            int perChannel = weight.Length / outChannels;
            for (int i = 0; i < weight.Length; i++)
            {
                folded[i] = (float)(weight[i] * scale[i / perChannel]);
            }
        }
        else
        {
            int outPerGroup = outChannels / groups;
            int inPerGroup = weight.Length / (outPerGroup * taps) / groups;
            for (int i = 0; i < weight.Length; i++)
            {
                int ci = i / (outPerGroup * taps);
                int j = i / taps % outPerGroup;
                int co = (ci / inPerGroup * outPerGroup) + j;
                folded[i] = (float)(weight[i] * scale[co]);
            }
        }

        return (folded, foldedBias);
    }

    /// <summary>Per-channel scale γ/√(σ²+ε) and shift β − μ·scale of a standalone BatchNorm.</summary>
    /// <returns>The scale and shift (new arrays).</returns>
    public static (float[] Scale, float[] Shift) ScaleShift(
        float[]? gamma,
        float[]? beta,
        ReadOnlySpan<float> runningMean,
        ReadOnlySpan<float> runningVar,
        double eps)
    {
        int channels = runningMean.Length;
        var scale = new float[channels];
        var shift = new float[channels];
        for (int c = 0; c < channels; c++)
        {
            double s = (gamma is null ? 1.0 : gamma[c]) / Math.Sqrt(runningVar[c] + eps);
            scale[c] = (float)s;
            shift[c] = (float)((beta is null ? 0.0 : beta[c]) - (runningMean[c] * s));
        }

        return (scale, shift);
    }
}
