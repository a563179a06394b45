using System;

namespace ConvGen.Reference;

public static partial class ReferenceOps
{
    /// <summary>
    /// Backward pass of <see cref="MaxPool2d"/> (PyTorch's <c>max_pool2d_with_indices_backward</c>): each
    /// output's gradient goes to the argmax of its window, and windows that share an argmax add up.
    /// The argmax follows PyTorch's CPU kernel: the taps are scanned row by row in window order and a tap
    /// replaces the current maximum only when it is strictly greater (or NaN), so among tied maxima the
    /// FIRST one wins; padding (−∞) is never chosen, and a window of −∞ values sends its gradient to
    /// its first in-bounds tap.
    /// </summary>
    /// <param name="gradOutput">Upstream gradient [N, C, Hout, Wout].</param>
    /// <param name="x">Forward input [N, C, H, W].</param>
    /// <param name="n">Batch size N.</param>
    /// <param name="c">Channels C.</param>
    /// <param name="h">Height H (1 for 1-D pooling).</param>
    /// <param name="w">Width W.</param>
    /// <param name="kH">Window height (1 for 1-D pooling).</param>
    /// <param name="kW">Window width.</param>
    /// <param name="strideH">Vertical stride.</param>
    /// <param name="strideW">Horizontal stride.</param>
    /// <param name="padH">Rows of −∞ above and below, at most kH/2.</param>
    /// <param name="padW">Columns of −∞ left and right, at most kW/2.</param>
    /// <param name="dilationH">Vertical spacing between taps.</param>
    /// <param name="dilationW">Horizontal spacing between taps.</param>
    /// <param name="ceilMode">Round the output size up, as in the forward pass.</param>
    /// <returns>grad_input [N, C, H, W].</returns>
    /// <exception cref="ArgumentException">Sizes are inconsistent.</exception>
    public static float[] MaxPool2dBackward(
        float[] gradOutput, float[] x, int n, int c, int h, int w, int kH, int kW, int strideH, int strideW,
        int padH = 0, int padW = 0, int dilationH = 1, int dilationW = 1, bool ceilMode = false)
    {
        RequireTensor(x, n, c, h, w, nameof(x));
        int hOut = PoolOutputSize(h, kH, strideH, padH, dilationH, ceilMode);
        int wOut = PoolOutputSize(w, kW, strideW, padW, dilationW, ceilMode);
        RequireTensor(gradOutput, n, c, hOut, wOut, nameof(gradOutput));
        var gradInput = new double[x.LongLength];
        for (int b = 0; b < n; b++)
        {
            for (int ch = 0; ch < c; ch++)
            {
                long plane = (((long)b * c) + ch) * h * w;
                for (int i = 0; i < hOut; i++)
                {
                    for (int j = 0; j < wOut; j++)
                    {
                        long argmax = -1;
                        float max = float.NegativeInfinity;
                        for (int a = 0; a < kH; a++)
                        {
                            int xi = (i * strideH) - padH + (a * dilationH);
                            if (xi < 0 || xi >= h)
                            {
                                continue;
                            }

                            for (int e = 0; e < kW; e++)
                            {
                                int xj = (j * strideW) - padW + (e * dilationW);
                                if (xj < 0 || xj >= w)
                                {
                                    continue;
                                }

                                long index = plane + ((long)xi * w) + xj;
                                float v = x[index];
                                if (argmax < 0)
                                {
                                    // PyTorch starts from the first in-bounds tap, which keeps it for an all −∞ window.
                                    argmax = index;
                                }

                                // Strictly greater: a later tie does not replace the first maximum.
                                if (v > max || float.IsNaN(v))
                                {
                                    max = v;
                                    argmax = index;
                                }
                            }
                        }

                        // A dilated window can miss the input entirely (its forward value is −∞): no gradient.
                        if (argmax >= 0)
                        {
                            gradInput[argmax] += gradOutput[(((((long)b * c) + ch) * hOut) + i) * wOut + j];
                        }
                    }
                }
            }
        }

        return ToFloat(gradInput);
    }

    /// <summary>
    /// Backward pass of <see cref="AvgPool2d"/> (PyTorch's <c>avg_pool2d_backward</c>): each output's
    /// gradient divided by that window's divisor is added to every input element of the window clipped
    /// to the input. The divisor is the forward pass's: with <paramref name="countIncludePad"/>,
    /// (hend − hstart)(wend − wstart) with hend = min(hstart + kH, H + padH) taken before clipping (so a
    /// ceil-mode window overhanging the padding counts fewer elements); otherwise the number of input
    /// elements in the window.
    /// </summary>
    /// <param name="gradOutput">Upstream gradient [N, C, Hout, Wout].</param>
    /// <param name="n">Batch size N.</param>
    /// <param name="c">Channels C.</param>
    /// <param name="h">Input height H (1 for 1-D pooling).</param>
    /// <param name="w">Input width W.</param>
    /// <param name="kH">Window height (1 for 1-D pooling).</param>
    /// <param name="kW">Window width.</param>
    /// <param name="strideH">Vertical stride.</param>
    /// <param name="strideW">Horizontal stride.</param>
    /// <param name="padH">Rows of zeros above and below, at most kH/2.</param>
    /// <param name="padW">Columns of zeros left and right, at most kW/2.</param>
    /// <param name="ceilMode">Round the output size up, as in the forward pass.</param>
    /// <param name="countIncludePad">Whether padded positions count in the divisor.</param>
    /// <returns>grad_input [N, C, H, W].</returns>
    /// <exception cref="ArgumentException">Sizes are inconsistent.</exception>
    public static float[] AvgPool2dBackward(
        float[] gradOutput, int n, int c, int h, int w, int kH, int kW, int strideH, int strideW,
        int padH = 0, int padW = 0, bool ceilMode = false, bool countIncludePad = true)
    {
        RequirePositive(n, nameof(n));
        RequirePositive(c, nameof(c));
        int hOut = PoolOutputSize(h, kH, strideH, padH, 1, ceilMode);
        int wOut = PoolOutputSize(w, kW, strideW, padW, 1, ceilMode);
        RequireTensor(gradOutput, n, c, hOut, wOut, nameof(gradOutput));
        var gradInput = new double[(long)n * c * h * w];
        for (int b = 0; b < n; b++)
        {
            for (int ch = 0; ch < c; ch++)
            {
                long plane = (((long)b * c) + ch) * h * w;
                for (int i = 0; i < hOut; i++)
                {
                    for (int j = 0; j < wOut; j++)
                    {
                        int hStart = (i * strideH) - padH;
                        int wStart = (j * strideW) - padW;
                        int hEnd = Math.Min(hStart + kH, h + padH);
                        int wEnd = Math.Min(wStart + kW, w + padW);
                        int poolSize = (hEnd - hStart) * (wEnd - wStart);
                        hStart = Math.Max(hStart, 0);
                        wStart = Math.Max(wStart, 0);
                        hEnd = Math.Min(hEnd, h);
                        wEnd = Math.Min(wEnd, w);
                        if (hStart >= hEnd || wStart >= wEnd)
                        {
                            continue;
                        }

                        int divisor = countIncludePad ? poolSize : (hEnd - hStart) * (wEnd - wStart);
                        double share = gradOutput[(((((long)b * c) + ch) * hOut) + i) * wOut + j] / (double)divisor;
                        for (int xi = hStart; xi < hEnd; xi++)
                        {
                            for (int xj = wStart; xj < wEnd; xj++)
                            {
                                gradInput[plane + ((long)xi * w) + xj] += share;
                            }
                        }
                    }
                }
            }
        }

        return ToFloat(gradInput);
    }

    /// <summary>
    /// Backward pass of <see cref="GlobalAvgPool"/>: every element of a channel's plane receives that
    /// channel's upstream gradient divided by H·W.
    /// </summary>
    /// <param name="gradOutput">Upstream gradient [N, C] (or [N, C, 1, 1]).</param>
    /// <param name="n">Batch size N.</param>
    /// <param name="c">Channels C.</param>
    /// <param name="h">Input height H.</param>
    /// <param name="w">Input width W.</param>
    /// <returns>grad_input [N, C, H, W].</returns>
    /// <exception cref="ArgumentException">Sizes are inconsistent.</exception>
    public static float[] GlobalAvgPoolBackward(float[] gradOutput, int n, int c, int h, int w)
    {
        RequirePositive(h, nameof(h));
        RequirePositive(w, nameof(w));
        RequireTensor(gradOutput, n, c, 1, 1, nameof(gradOutput));
        long plane = (long)h * w;
        var gradInput = new float[(long)n * c * plane];
        for (int b = 0; b < n; b++)
        {
            for (int ch = 0; ch < c; ch++)
            {
                float share = (float)(gradOutput[((long)b * c) + ch] / (double)plane);
                long start = (((long)b * c) + ch) * plane;
                for (long p = 0; p < plane; p++)
                {
                    gradInput[start + p] = share;
                }
            }
        }

        return gradInput;
    }
}
