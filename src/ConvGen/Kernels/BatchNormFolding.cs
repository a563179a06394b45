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
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="outChannels"/>, <paramref name="taps"/> or <paramref name="groups"/> is below 1, or
    /// <paramref name="groups"/> does not divide <paramref name="outChannels"/>.
    /// </exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="weight"/> does not hold a multiple of <paramref name="outChannels"/> × <paramref name="taps"/> values
    /// (in either layout, C_in/g·C_out·taps values; for ConvTranspose C_in is a multiple of g), or <paramref name="bias"/>, <paramref name="gamma"/>,
    /// <paramref name="beta"/>, <paramref name="runningMean"/> or <paramref name="runningVar"/> does not hold
    /// <paramref name="outChannels"/> values.
    /// </exception>
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
        CheckFoldShape(weight, outChannels, taps, transposedLayout, groups);
        CheckChannels(bias, outChannels, nameof(bias));
        CheckChannels(gamma, outChannels, nameof(gamma));
        CheckChannels(beta, outChannels, nameof(beta));
        CheckChannels(runningMean.Length, outChannels, nameof(runningMean));
        CheckChannels(runningVar.Length, outChannels, nameof(runningVar));
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
    /// <returns>The scale and shift (new arrays), one value per channel of <paramref name="runningMean"/>.</returns>
    /// <exception cref="ArgumentException">
    /// <paramref name="gamma"/>, <paramref name="beta"/> or <paramref name="runningVar"/> does not hold as many values as <paramref name="runningMean"/>.
    /// </exception>
    public static (float[] Scale, float[] Shift) ScaleShift(
        float[]? gamma,
        float[]? beta,
        ReadOnlySpan<float> runningMean,
        ReadOnlySpan<float> runningVar,
        double eps)
    {
        int channels = runningMean.Length;
        CheckChannels(gamma, channels, nameof(gamma));
        CheckChannels(beta, channels, nameof(beta));
        CheckChannels(runningVar.Length, channels, nameof(runningVar));
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

    private static void CheckFoldShape(ReadOnlySpan<float> weight, int outChannels, int taps, bool transposedLayout, int groups)
    {
        if (outChannels < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(outChannels), outChannels, "outChannels must be at least 1.");
        }

        if (taps < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(taps), taps, "taps (kH·kW, 1 for Linear) must be at least 1.");
        }

        if (groups < 1 || outChannels % groups != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(groups), groups, $"groups must be at least 1 and divide outChannels ({outChannels}).");
        }

        // [C_out, C_in/g, taps] and ConvTranspose's [C_in, C_out/g, taps] (C_in a multiple of g) both hold a multiple of C_out·taps values.
        long perInput = (long)outChannels * taps;
        if (weight.Length % perInput != 0)
        {
            string layout = transposedLayout ? "transposed weight [C_in, C_out/g, taps]" : "weight [C_out, C_in/g, taps]";
            throw new ArgumentException(
                $"The {layout} holds {weight.Length} values, not a multiple of outChannels × taps = {outChannels} × {taps} = {perInput}.",
                nameof(weight));
        }
    }

    private static void CheckChannels(float[]? values, int channels, string paramName)
    {
        if (values is not null)
        {
            CheckChannels(values.Length, channels, paramName);
        }
    }

    private static void CheckChannels(int length, int channels, string paramName)
    {
        if (length != channels)
        {
            throw new ArgumentException($"{paramName} holds {length} values, but there are {channels} channels.", paramName);
        }
    }
}
