using System;

namespace ConvGen.Reference;

public static partial class ReferenceOps
{
    /// <summary>
    /// PyTorch's <c>F.pad(x, (left, right, top, bottom), mode)</c> on an NCHW tensor.
    /// Output shape [N, C, H + top + bottom, W + left + right].
    /// </summary>
    /// <param name="x">Input [N, C, H, W].</param>
    /// <param name="n">Batch size N.</param>
    /// <param name="c">Channels C.</param>
    /// <param name="h">Height H.</param>
    /// <param name="w">Width W.</param>
    /// <param name="top">Rows added above.</param>
    /// <param name="bottom">Rows added below.</param>
    /// <param name="left">Columns added on the left.</param>
    /// <param name="right">Columns added on the right.</param>
    /// <param name="mode">
    /// Zeros; Reflect (each pad must be smaller than its dimension); Replicate; Circular (each pad
    /// at most its dimension). Negative (cropping) pads are not supported.
    /// </param>
    /// <returns>The padded tensor.</returns>
    /// <exception cref="ArgumentException">Sizes are inconsistent or a pad is out of range for the mode.</exception>
    public static float[] Pad(float[] x, int n, int c, int h, int w, int top, int bottom, int left, int right, PaddingMode mode)
    {
        RequireTensor(x, n, c, h, w, nameof(x));
        RequireNonNegative(top, nameof(top));
        RequireNonNegative(bottom, nameof(bottom));
        RequireNonNegative(left, nameof(left));
        RequireNonNegative(right, nameof(right));
        switch (mode)
        {
            case PaddingMode.Zeros:
            case PaddingMode.Replicate:
                break;
            case PaddingMode.Reflect:
                if (top >= h || bottom >= h || left >= w || right >= w)
                {
                    throw new ArgumentException(
                        $"Reflect padding ({top}, {bottom}, {left}, {right}) must be smaller than the input size H={h}, W={w}.",
                        nameof(mode));
                }

                break;
            case PaddingMode.Circular:
                if (top > h || bottom > h || left > w || right > w)
                {
                    throw new ArgumentException(
                        $"Circular padding ({top}, {bottom}, {left}, {right}) must not exceed the input size H={h}, W={w}.",
                        nameof(mode));
                }

                break;
            default:
                throw new ArgumentException($"Unknown padding mode {mode}.", nameof(mode));
        }

        int ho = h + top + bottom;
        int wo = w + left + right;
        var y = new float[(long)n * c * ho * wo];
        for (int b = 0; b < n; b++)
        {
            for (int ch = 0; ch < c; ch++)
            {
                for (int i = 0; i < ho; i++)
                {
                    for (int j = 0; j < wo; j++)
                    {
                        int si = SourceIndex(i - top, h, mode);
                        int sj = SourceIndex(j - left, w, mode);
                        y[(((((long)b * c) + ch) * ho) + i) * wo + j] =
                            si < 0 || sj < 0 ? 0f : x[(((((long)b * c) + ch) * h) + si) * w + sj];
                    }
                }
            }
        }

        return y;
    }

    /// <summary>
    /// Maps a (possibly out-of-range) coordinate to the input coordinate it reads, or −1 for a zero.
    /// </summary>
    private static int SourceIndex(int i, int size, PaddingMode mode)
    {
        if (i >= 0 && i < size)
        {
            return i;
        }

        return mode switch
        {
            PaddingMode.Zeros => -1,

            // Mirror about the edge element, which is not repeated: index -1 reads 1, index size reads size - 2.
            PaddingMode.Reflect => i < 0 ? -i : (2 * (size - 1)) - i,
            PaddingMode.Replicate => i < 0 ? 0 : size - 1,
            PaddingMode.Circular => ((i % size) + size) % size,
            _ => throw new ArgumentException($"Unknown padding mode {mode}.", nameof(mode)),
        };
    }
}
