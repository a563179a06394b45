using System;

namespace ConvGen.Reference;

public static partial class ReferenceOps
{
    /// <summary>Elementwise sum a + b of two tensors of the same shape (a residual connection).</summary>
    /// <param name="a">First operand.</param>
    /// <param name="b">Second operand, same length as <paramref name="a"/>.</param>
    /// <returns>A new array a + b.</returns>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static float[] Add(float[] a, float[] b)
    {
        ArgumentNullException.ThrowIfNull(a);
        RequireLength(b, a.LongLength, nameof(b), $"of a ({a.LongLength} elements)");
        var y = new float[a.LongLength];
        for (long i = 0; i < a.LongLength; i++)
        {
            y[i] = a[i] + b[i];
        }

        return y;
    }

    /// <summary>
    /// Channel concatenation, PyTorch's <c>torch.cat([a, b], dim=1)</c>: [N, Ca, H, W] and [N, Cb, H, W]
    /// give [N, Ca + Cb, H, W].
    /// </summary>
    /// <param name="a">First tensor [N, Ca, H, W].</param>
    /// <param name="b">Second tensor [N, Cb, H, W].</param>
    /// <param name="n">Batch size N.</param>
    /// <param name="ca">Channels of <paramref name="a"/>.</param>
    /// <param name="cb">Channels of <paramref name="b"/>.</param>
    /// <param name="h">Height H.</param>
    /// <param name="w">Width W.</param>
    /// <returns>The concatenated tensor.</returns>
    /// <exception cref="ArgumentException">Sizes are inconsistent.</exception>
    public static float[] Concat(float[] a, float[] b, int n, int ca, int cb, int h, int w)
    {
        RequireTensor(a, n, ca, h, w, nameof(a));
        RequireTensor(b, n, cb, h, w, nameof(b));
        long plane = (long)h * w;
        int c = ca + cb;
        var y = new float[(long)n * c * plane];
        for (int bi = 0; bi < n; bi++)
        {
            for (int ch = 0; ch < c; ch++)
            {
                for (long p = 0; p < plane; p++)
                {
                    y[((((long)bi * c) + ch) * plane) + p] = ch < ca
                        ? a[((((long)bi * ca) + ch) * plane) + p]
                        : b[((((long)bi * cb) + (ch - ca)) * plane) + p];
                }
            }
        }

        return y;
    }

    /// <summary>Reorders an NCHW tensor to NHWC: y[b, i, j, ch] = x[b, ch, i, j].</summary>
    /// <param name="x">Input [N, C, H, W].</param>
    /// <param name="n">Batch size N.</param>
    /// <param name="c">Channels C.</param>
    /// <param name="h">Height H.</param>
    /// <param name="w">Width W.</param>
    /// <returns>The tensor in [N, H, W, C] order.</returns>
    /// <exception cref="ArgumentException">Sizes are inconsistent.</exception>
    public static float[] NchwToNhwc(float[] x, int n, int c, int h, int w)
    {
        RequireTensor(x, n, c, h, w, nameof(x));
        var y = new float[x.LongLength];
        for (int b = 0; b < n; b++)
        {
            for (int ch = 0; ch < c; ch++)
            {
                for (int i = 0; i < h; i++)
                {
                    for (int j = 0; j < w; j++)
                    {
                        y[(((((long)b * h) + i) * w) + j) * c + ch] = x[(((((long)b * c) + ch) * h) + i) * w + j];
                    }
                }
            }
        }

        return y;
    }

    /// <summary>
    /// Reorders an NHWC tensor to NCHW: y[b, ch, i, j] = x[b, i, j, ch]. The sizes are given in the
    /// order N, C, H, W, as for <see cref="NchwToNhwc"/>.
    /// </summary>
    /// <param name="x">Input [N, H, W, C].</param>
    /// <param name="n">Batch size N.</param>
    /// <param name="c">Channels C.</param>
    /// <param name="h">Height H.</param>
    /// <param name="w">Width W.</param>
    /// <returns>The tensor in [N, C, H, W] order.</returns>
    /// <exception cref="ArgumentException">Sizes are inconsistent.</exception>
    public static float[] NhwcToNchw(float[] x, int n, int c, int h, int w)
    {
        RequireTensor(x, n, c, h, w, nameof(x));
        var y = new float[x.LongLength];
        for (int b = 0; b < n; b++)
        {
            for (int ch = 0; ch < c; ch++)
            {
                for (int i = 0; i < h; i++)
                {
                    for (int j = 0; j < w; j++)
                    {
                        y[(((((long)b * c) + ch) * h) + i) * w + j] = x[(((((long)b * h) + i) * w) + j) * c + ch];
                    }
                }
            }
        }

        return y;
    }
}
