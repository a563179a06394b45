using System;

namespace ConvGen.Reference;

public static partial class ReferenceOps
{
    /// <summary>
    /// PyTorch's <c>MaxPool2d</c>: the largest value of each window; the implicit padding reads as −∞
    /// and a NaN in the window wins, as in PyTorch. Output size from <see cref="PoolOutputSize"/>.
    /// </summary>
    /// <param name="x">Input [N, C, H, W].</param>
    /// <param name="n">Batch size N.</param>
    /// <param name="c">Channels C.</param>
    /// <param name="h">Height H (1 for 1-D pooling).</param>
    /// <param name="w">Width W.</param>
    /// <param name="kH">Window height (1 for 1-D pooling).</param>
    /// <param name="kW">Window width.</param>
    /// <param name="strideH">Vertical stride (PyTorch's default is the window height).</param>
    /// <param name="strideW">Horizontal stride (PyTorch's default is the window width).</param>
    /// <param name="padH">Rows of −∞ above and below, at most kH/2.</param>
    /// <param name="padW">Columns of −∞ left and right, at most kW/2.</param>
    /// <param name="dilationH">Vertical spacing between taps.</param>
    /// <param name="dilationW">Horizontal spacing between taps.</param>
    /// <param name="ceilMode">Round the output size up (see <see cref="PoolOutputSize"/>).</param>
    /// <returns>The output [N, C, Hout, Wout] and its spatial size.</returns>
    /// <exception cref="ArgumentException">Sizes are inconsistent.</exception>
    public static (float[] Output, int OutHeight, int OutWidth) MaxPool2d(
        float[] x, int n, int c, int h, int w, int kH, int kW, int strideH, int strideW,
        int padH = 0, int padW = 0, int dilationH = 1, int dilationW = 1, bool ceilMode = false)
    {
        RequireTensor(x, n, c, h, w, nameof(x));
        int hOut = PoolOutputSize(h, kH, strideH, padH, dilationH, ceilMode);
        int wOut = PoolOutputSize(w, kW, strideW, padW, dilationW, ceilMode);
        var y = new float[(long)n * c * hOut * wOut];
        for (int b = 0; b < n; b++)
        {
            for (int ch = 0; ch < c; ch++)
            {
                long plane = (((long)b * c) + ch) * h * w;
                for (int i = 0; i < hOut; i++)
                {
                    for (int j = 0; j < wOut; j++)
                    {
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

                                float v = x[plane + ((long)xi * w) + xj];
                                if (v > max || float.IsNaN(v))
                                {
                                    max = v;
                                }
                            }
                        }

                        y[(((((long)b * c) + ch) * hOut) + i) * wOut + j] = max;
                    }
                }
            }
        }

        return (y, hOut, wOut);
    }

    /// <summary>
    /// PyTorch's <c>AvgPool2d</c>: the mean of each window. With <paramref name="countIncludePad"/> the
    /// divisor is (hend − hstart)(wend − wstart) where hend = min(hstart + kH, H + padH) is taken before
    /// clipping the window to the input (so a ceil-mode window overhanging the padding counts fewer
    /// elements); otherwise it is the number of input elements in the window. Output size from
    /// <see cref="PoolOutputSize"/> with dilation 1.
    /// </summary>
    /// <param name="x">Input [N, C, H, W].</param>
    /// <param name="n">Batch size N.</param>
    /// <param name="c">Channels C.</param>
    /// <param name="h">Height H (1 for 1-D pooling).</param>
    /// <param name="w">Width W.</param>
    /// <param name="kH">Window height (1 for 1-D pooling).</param>
    /// <param name="kW">Window width.</param>
    /// <param name="strideH">Vertical stride (PyTorch's default is the window height).</param>
    /// <param name="strideW">Horizontal stride (PyTorch's default is the window width).</param>
    /// <param name="padH">Rows of zeros above and below, at most kH/2.</param>
    /// <param name="padW">Columns of zeros left and right, at most kW/2.</param>
    /// <param name="ceilMode">Round the output size up (see <see cref="PoolOutputSize"/>).</param>
    /// <param name="countIncludePad">Whether padded positions count in the divisor (PyTorch's default true).</param>
    /// <returns>The output [N, C, Hout, Wout] and its spatial size.</returns>
    /// <exception cref="ArgumentException">Sizes are inconsistent.</exception>
    public static (float[] Output, int OutHeight, int OutWidth) AvgPool2d(
        float[] x, int n, int c, int h, int w, int kH, int kW, int strideH, int strideW,
        int padH = 0, int padW = 0, bool ceilMode = false, bool countIncludePad = true)
    {
        RequireTensor(x, n, c, h, w, nameof(x));
        int hOut = PoolOutputSize(h, kH, strideH, padH, 1, ceilMode);
        int wOut = PoolOutputSize(w, kW, strideW, padW, 1, ceilMode);
        var y = new float[(long)n * c * hOut * wOut];
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
                        long index = (((((long)b * c) + ch) * hOut) + i) * wOut + j;
                        if (hStart >= hEnd || wStart >= wEnd)
                        {
                            y[index] = 0f;
                            continue;
                        }

                        double sum = 0.0;
                        for (int xi = hStart; xi < hEnd; xi++)
                        {
                            for (int xj = wStart; xj < wEnd; xj++)
                            {
                                sum += x[plane + ((long)xi * w) + xj];
                            }
                        }

                        int divisor = countIncludePad ? poolSize : (hEnd - hStart) * (wEnd - wStart);
                        y[index] = (float)(sum / divisor);
                    }
                }
            }
        }

        return (y, hOut, wOut);
    }

    /// <summary>
    /// Global average pooling (PyTorch's <c>AdaptiveAvgPool2d(1)</c>): the mean of each channel's
    /// H × W plane.
    /// </summary>
    /// <param name="x">Input [N, C, H, W].</param>
    /// <param name="n">Batch size N.</param>
    /// <param name="c">Channels C.</param>
    /// <param name="h">Height H.</param>
    /// <param name="w">Width W.</param>
    /// <returns>The output [N, C, 1, 1].</returns>
    /// <exception cref="ArgumentException">Sizes are inconsistent.</exception>
    public static float[] GlobalAvgPool(float[] x, int n, int c, int h, int w)
    {
        RequireTensor(x, n, c, h, w, nameof(x));
        var y = new float[(long)n * c];
        for (int b = 0; b < n; b++)
        {
            for (int ch = 0; ch < c; ch++)
            {
                long plane = (((long)b * c) + ch) * h * w;
                double sum = 0.0;
                for (long p = 0; p < (long)h * w; p++)
                {
                    sum += x[plane + p];
                }

                y[((long)b * c) + ch] = (float)(sum / ((long)h * w));
            }
        }

        return y;
    }
}
