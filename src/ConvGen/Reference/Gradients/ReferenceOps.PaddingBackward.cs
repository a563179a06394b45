using System;

namespace ConvGen.Reference;

public static partial class ReferenceOps
{
    /// <summary>
    /// Backward pass of <see cref="Pad"/> (PyTorch's <c>F.pad</c> backward): every padded position adds
    /// its upstream gradient to the input element it copies, through the same index map as the forward
    /// pass. Zeros drop the border's gradient (the interior is a crop); reflect, replicate and circular
    /// accumulate it on their source elements, so an edge element of a replicate pad collects a whole
    /// border row.
    /// </summary>
    /// <param name="gradOutput">Upstream gradient [N, C, H + top + bottom, W + left + right].</param>
    /// <param name="n">Batch size N.</param>
    /// <param name="c">Channels C.</param>
    /// <param name="h">Input height H.</param>
    /// <param name="w">Input width W.</param>
    /// <param name="top">Rows added above.</param>
    /// <param name="bottom">Rows added below.</param>
    /// <param name="left">Columns added on the left.</param>
    /// <param name="right">Columns added on the right.</param>
    /// <param name="mode">The forward pass's padding mode (same limits as <see cref="Pad"/>).</param>
    /// <returns>grad_input [N, C, H, W].</returns>
    /// <exception cref="ArgumentException">Sizes are inconsistent or a pad is out of range for the mode.</exception>
    public static float[] PadBackward(float[] gradOutput, int n, int c, int h, int w, int top, int bottom, int left, int right, PaddingMode mode)
    {
        RequirePositive(n, nameof(n));
        RequirePositive(c, nameof(c));
        RequirePositive(h, nameof(h));
        RequirePositive(w, nameof(w));
        RequireNonNegative(top, nameof(top));
        RequireNonNegative(bottom, nameof(bottom));
        RequireNonNegative(left, nameof(left));
        RequireNonNegative(right, nameof(right));
        RequireTensor(gradOutput, n, c, h + top + bottom, w + left + right, nameof(gradOutput));
        var gradPadded = new double[gradOutput.LongLength];
        for (long i = 0; i < gradOutput.LongLength; i++)
        {
            gradPadded[i] = gradOutput[i];
        }

        return ToFloat(PadBackwardCore(gradPadded, n, c, h, w, top, bottom, left, right, mode));
    }

    /// <summary>The scatter of <see cref="PadBackward"/> on double gradients (shared with the convolution backward).</summary>
    private static double[] PadBackwardCore(double[] gradPadded, int n, int c, int h, int w, int top, int bottom, int left, int right, PaddingMode mode)
    {
        RequirePadMode(h, w, top, bottom, left, right, mode);
        int hp = h + top + bottom;
        int wp = w + left + right;
        var gradInput = new double[(long)n * c * h * w];
        for (int b = 0; b < n; b++)
        {
            for (int ch = 0; ch < c; ch++)
            {
                for (int i = 0; i < hp; i++)
                {
                    int si = SourceIndex(i - top, h, mode);
                    for (int j = 0; j < wp; j++)
                    {
                        int sj = SourceIndex(j - left, w, mode);
                        if (si < 0 || sj < 0)
                        {
                            continue;
                        }

                        gradInput[(((((long)b * c) + ch) * h) + si) * w + sj] += gradPadded[(((((long)b * c) + ch) * hp) + i) * wp + j];
                    }
                }
            }
        }

        return gradInput;
    }

    /// <summary>The limits <see cref="Pad"/> puts on each mode, restated for the backward pass.</summary>
    private static void RequirePadMode(int h, int w, int top, int bottom, int left, int right, PaddingMode mode)
    {
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
    }
}
