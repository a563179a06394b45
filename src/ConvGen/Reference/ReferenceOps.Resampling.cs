using System;

namespace ConvGen.Reference;

public static partial class ReferenceOps
{
    /// <summary>
    /// PyTorch's <c>nn.Upsample(scale_factor=(sH, sW))</c>. Nearest: src = ⌊dst·in/out⌋ (PyTorch's
    /// 'nearest', not 'nearest-exact'). Linear (bilinear in 2-D, linear in 1-D with H = 1 and sH = 1),
    /// align_corners=false: src = max((dst + 0.5)·in/out − 0.5, 0) (PyTorch's
    /// <c>area_pixel_compute_source_index</c>), i0 = ⌊src⌋, i1 = min(i0 + 1, in − 1), weights
    /// 1 − (src − i0) and src − i0, applied separably.
    /// </summary>
    /// <param name="x">Input [N, C, H, W].</param>
    /// <param name="n">Batch size N.</param>
    /// <param name="c">Channels C.</param>
    /// <param name="h">Height H.</param>
    /// <param name="w">Width W.</param>
    /// <param name="scaleH">Integer vertical scale factor (1 for 1-D).</param>
    /// <param name="scaleW">Integer horizontal scale factor.</param>
    /// <param name="mode">Interpolation.</param>
    /// <returns>The output [N, C, H·sH, W·sW].</returns>
    /// <exception cref="ArgumentException">Sizes are inconsistent.</exception>
    public static float[] Upsample(float[] x, int n, int c, int h, int w, int scaleH, int scaleW, UpsampleMode mode)
    {
        RequireTensor(x, n, c, h, w, nameof(x));
        RequirePositive(scaleH, nameof(scaleH));
        RequirePositive(scaleW, nameof(scaleW));
        if (mode is not (UpsampleMode.Nearest or UpsampleMode.Linear))
        {
            throw new ArgumentException($"Unknown upsample mode {mode}.", nameof(mode));
        }

        int hOut = h * scaleH;
        int wOut = w * scaleW;
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
                        double value;
                        if (mode == UpsampleMode.Nearest)
                        {
                            int si = Math.Min((int)((long)i * h / hOut), h - 1);
                            int sj = Math.Min((int)((long)j * w / wOut), w - 1);
                            value = x[plane + ((long)si * w) + sj];
                        }
                        else
                        {
                            LinearSource(i, h, hOut, out int i0, out int i1, out double li);
                            LinearSource(j, w, wOut, out int j0, out int j1, out double lj);
                            value = ((1 - li) * (((1 - lj) * x[plane + ((long)i0 * w) + j0]) + (lj * x[plane + ((long)i0 * w) + j1])))
                                + (li * (((1 - lj) * x[plane + ((long)i1 * w) + j0]) + (lj * x[plane + ((long)i1 * w) + j1])));
                        }

                        y[(((((long)b * c) + ch) * hOut) + i) * wOut + j] = (float)value;
                    }
                }
            }
        }

        return y;
    }

    /// <summary>Source taps and the weight of the second tap for align_corners=false linear interpolation.</summary>
    private static void LinearSource(int dst, int inSize, int outSize, out int i0, out int i1, out double lambda)
    {
        double src = Math.Max(((dst + 0.5) * inSize / outSize) - 0.5, 0.0);
        i0 = (int)src;
        i1 = i0 < inSize - 1 ? i0 + 1 : i0;
        lambda = src - i0;
    }

    /// <summary>
    /// PyTorch's <c>PixelShuffle(r)</c>: [N, C·r², H, W] → [N, C, H·r, W·r] with
    /// y[b, c, i·r + di, j·r + dj] = x[b, c·r² + di·r + dj, i, j].
    /// </summary>
    /// <param name="x">Input [N, C·r², H, W].</param>
    /// <param name="n">Batch size N.</param>
    /// <param name="c">Input channels C·r².</param>
    /// <param name="h">Height H.</param>
    /// <param name="w">Width W.</param>
    /// <param name="r">Upscale factor r.</param>
    /// <returns>The output [N, C, H·r, W·r].</returns>
    /// <exception cref="ArgumentException">Sizes are inconsistent.</exception>
    public static float[] PixelShuffle(float[] x, int n, int c, int h, int w, int r)
    {
        RequireTensor(x, n, c, h, w, nameof(x));
        RequirePositive(r, nameof(r));
        if (c % (r * r) != 0)
        {
            throw new ArgumentException($"Channels {c} must be divisible by r² = {r * r}.", nameof(c));
        }

        int cOut = c / (r * r);
        int hOut = h * r;
        int wOut = w * r;
        var y = new float[x.LongLength];
        for (int b = 0; b < n; b++)
        {
            for (int co = 0; co < cOut; co++)
            {
                for (int i = 0; i < hOut; i++)
                {
                    for (int j = 0; j < wOut; j++)
                    {
                        int ci = (co * r * r) + ((i % r) * r) + (j % r);
                        y[(((((long)b * cOut) + co) * hOut) + i) * wOut + j] =
                            x[(((((long)b * c) + ci) * h) + (i / r)) * w + (j / r)];
                    }
                }
            }
        }

        return y;
    }

    /// <summary>
    /// PyTorch's <c>PixelUnshuffle(r)</c>, the inverse of <see cref="PixelShuffle"/>:
    /// [N, C, H, W] → [N, C·r², H/r, W/r] with y[b, c·r² + di·r + dj, i, j] = x[b, c, i·r + di, j·r + dj].
    /// </summary>
    /// <param name="x">Input [N, C, H, W].</param>
    /// <param name="n">Batch size N.</param>
    /// <param name="c">Channels C.</param>
    /// <param name="h">Height H, a multiple of r.</param>
    /// <param name="w">Width W, a multiple of r.</param>
    /// <param name="r">Downscale factor r.</param>
    /// <returns>The output [N, C·r², H/r, W/r].</returns>
    /// <exception cref="ArgumentException">Sizes are inconsistent.</exception>
    public static float[] PixelUnshuffle(float[] x, int n, int c, int h, int w, int r)
    {
        RequireTensor(x, n, c, h, w, nameof(x));
        RequirePositive(r, nameof(r));
        if (h % r != 0 || w % r != 0)
        {
            throw new ArgumentException($"Height {h} and width {w} must be divisible by r = {r}.", nameof(r));
        }

        int cOut = c * r * r;
        int hOut = h / r;
        int wOut = w / r;
        var y = new float[x.LongLength];
        for (int b = 0; b < n; b++)
        {
            for (int ch = 0; ch < c; ch++)
            {
                for (int i = 0; i < h; i++)
                {
                    for (int j = 0; j < w; j++)
                    {
                        int co = (ch * r * r) + ((i % r) * r) + (j % r);
                        y[(((((long)b * cOut) + co) * hOut) + (i / r)) * wOut + (j / r)] =
                            x[(((((long)b * c) + ch) * h) + i) * w + j];
                    }
                }
            }
        }

        return y;
    }
}
