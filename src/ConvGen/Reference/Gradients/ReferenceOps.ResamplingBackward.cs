using System;

namespace ConvGen.Reference;

public static partial class ReferenceOps
{
    /// <summary>
    /// Backward pass of <see cref="Upsample"/> (PyTorch's <c>upsample_nearest2d_backward</c> and
    /// <c>upsample_bilinear2d_backward</c>, align_corners=false): every output position adds its
    /// gradient to the input taps it read, times the tap's weight. Nearest: the single tap
    /// ⌊dst·in/out⌋ with weight 1. Linear: taps i0, i1 with weights 1 − λ and λ per dimension, the
    /// same source indices as the forward pass (an edge where i1 = i0 receives both weights).
    /// </summary>
    /// <param name="gradOutput">Upstream gradient [N, C, H·sH, W·sW].</param>
    /// <param name="n">Batch size N.</param>
    /// <param name="c">Channels C.</param>
    /// <param name="h">Input height H.</param>
    /// <param name="w">Input width W.</param>
    /// <param name="scaleH">Integer vertical scale factor (1 for 1-D).</param>
    /// <param name="scaleW">Integer horizontal scale factor.</param>
    /// <param name="mode">Interpolation of the forward pass.</param>
    /// <returns>grad_input [N, C, H, W].</returns>
    /// <exception cref="ArgumentException">Sizes are inconsistent.</exception>
    public static float[] UpsampleBackward(float[] gradOutput, int n, int c, int h, int w, int scaleH, int scaleW, UpsampleMode mode)
    {
        RequirePositive(h, nameof(h));
        RequirePositive(w, nameof(w));
        RequirePositive(scaleH, nameof(scaleH));
        RequirePositive(scaleW, nameof(scaleW));
        if (mode is not (UpsampleMode.Nearest or UpsampleMode.Linear))
        {
            throw new ArgumentException($"Unknown upsample mode {mode}.", nameof(mode));
        }

        int hOut = h * scaleH;
        int wOut = w * scaleW;
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
                        double gy = gradOutput[(((((long)b * c) + ch) * hOut) + i) * wOut + j];
                        if (mode == UpsampleMode.Nearest)
                        {
                            int si = Math.Min((int)((long)i * h / hOut), h - 1);
                            int sj = Math.Min((int)((long)j * w / wOut), w - 1);
                            gradInput[plane + ((long)si * w) + sj] += gy;
                        }
                        else
                        {
                            LinearSource(i, h, hOut, out int i0, out int i1, out double li);
                            LinearSource(j, w, wOut, out int j0, out int j1, out double lj);
                            gradInput[plane + ((long)i0 * w) + j0] += (1 - li) * (1 - lj) * gy;
                            gradInput[plane + ((long)i0 * w) + j1] += (1 - li) * lj * gy;
                            gradInput[plane + ((long)i1 * w) + j0] += li * (1 - lj) * gy;
                            gradInput[plane + ((long)i1 * w) + j1] += li * lj * gy;
                        }
                    }
                }
            }
        }

        return ToFloat(gradInput);
    }

    /// <summary>
    /// Backward pass of <see cref="PixelShuffle"/>, a permutation, so the gradient moves back:
    /// grad_input[b, c·r² + di·r + dj, i, j] = G[b, c, i·r + di, j·r + dj].
    /// </summary>
    /// <param name="gradOutput">Upstream gradient [N, C/r², H·r, W·r].</param>
    /// <param name="n">Batch size N.</param>
    /// <param name="c">Forward input channels C (a multiple of r²).</param>
    /// <param name="h">Forward input height H.</param>
    /// <param name="w">Forward input width W.</param>
    /// <param name="r">Upscale factor r.</param>
    /// <returns>grad_input [N, C, H, W].</returns>
    /// <exception cref="ArgumentException">Sizes are inconsistent.</exception>
    public static float[] PixelShuffleBackward(float[] gradOutput, int n, int c, int h, int w, int r)
    {
        RequirePositive(c, nameof(c));
        RequirePositive(r, nameof(r));
        if (c % (r * r) != 0)
        {
            throw new ArgumentException($"Channels {c} must be divisible by r² = {r * r}.", nameof(c));
        }

        int cOut = c / (r * r);
        RequireTensor(gradOutput, n, cOut, h * r, w * r, nameof(gradOutput));
        var gradInput = new float[gradOutput.LongLength];
        for (int b = 0; b < n; b++)
        {
            for (int ci = 0; ci < c; ci++)
            {
                int co = ci / (r * r);
                int di = ci % (r * r) / r;
                int dj = ci % r;
                for (int i = 0; i < h; i++)
                {
                    for (int j = 0; j < w; j++)
                    {
                        gradInput[(((((long)b * c) + ci) * h) + i) * w + j] =
                            gradOutput[(((((long)b * cOut) + co) * h * r) + (i * r) + di) * w * r + (j * r) + dj];
                    }
                }
            }
        }

        return gradInput;
    }

    /// <summary>
    /// Backward pass of <see cref="PixelUnshuffle"/>, a permutation, so the gradient moves back:
    /// grad_input[b, c, i·r + di, j·r + dj] = G[b, c·r² + di·r + dj, i, j].
    /// </summary>
    /// <param name="gradOutput">Upstream gradient [N, C·r², H/r, W/r].</param>
    /// <param name="n">Batch size N.</param>
    /// <param name="c">Forward input channels C.</param>
    /// <param name="h">Forward input height H, a multiple of r.</param>
    /// <param name="w">Forward input width W, a multiple of r.</param>
    /// <param name="r">Downscale factor r.</param>
    /// <returns>grad_input [N, C, H, W].</returns>
    /// <exception cref="ArgumentException">Sizes are inconsistent.</exception>
    public static float[] PixelUnshuffleBackward(float[] gradOutput, int n, int c, int h, int w, int r)
    {
        RequirePositive(h, nameof(h));
        RequirePositive(w, nameof(w));
        RequirePositive(r, nameof(r));
        if (h % r != 0 || w % r != 0)
        {
            throw new ArgumentException($"Height {h} and width {w} must be divisible by r = {r}.", nameof(r));
        }

        int cOut = c * r * r;
        int hOut = h / r;
        int wOut = w / r;
        RequireTensor(gradOutput, n, cOut, hOut, wOut, nameof(gradOutput));
        var gradInput = new float[gradOutput.LongLength];
        for (int b = 0; b < n; b++)
        {
            for (int ch = 0; ch < c; ch++)
            {
                for (int i = 0; i < h; i++)
                {
                    for (int j = 0; j < w; j++)
                    {
                        int co = (ch * r * r) + ((i % r) * r) + (j % r);
                        gradInput[(((((long)b * c) + ch) * h) + i) * w + j] =
                            gradOutput[(((((long)b * cOut) + co) * hOut) + (i / r)) * wOut + (j / r)];
                    }
                }
            }
        }

        return gradInput;
    }
}
