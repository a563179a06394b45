using System;

namespace ConvGen.Reference;

public static partial class ReferenceOps
{
    /// <summary>
    /// PyTorch's <c>Conv2d</c> (a cross-correlation):
    /// y[b, co, i, j] = bias[co] + Σ_{ci in co's group} Σ_{a, e} weight[co, ci mod (Cin/g), a, e] ·
    /// xp[b, ci, i·sH + a·dH, j·sW + e·dW], where xp is <paramref name="x"/> padded by
    /// <see cref="Pad"/> with <paramref name="mode"/> (PyTorch pads non-zero modes explicitly the same way).
    /// Padding may be asymmetric, as with <c>F.pad</c> followed by an unpadded convolution.
    /// </summary>
    /// <param name="x">Input [N, Cin, H, W].</param>
    /// <param name="n">Batch size N.</param>
    /// <param name="cin">Input channels Cin.</param>
    /// <param name="h">Input height H (1 for a 1-D convolution).</param>
    /// <param name="w">Input width W.</param>
    /// <param name="weight">Weights [Cout, Cin/groups, kH, kW].</param>
    /// <param name="bias">Bias [Cout], or null for none.</param>
    /// <param name="cout">Output channels Cout.</param>
    /// <param name="kH">Kernel height (1 for a 1-D convolution).</param>
    /// <param name="kW">Kernel width.</param>
    /// <param name="strideH">Vertical stride.</param>
    /// <param name="strideW">Horizontal stride.</param>
    /// <param name="dilationH">Vertical dilation.</param>
    /// <param name="dilationW">Horizontal dilation.</param>
    /// <param name="groups">Channel groups; must divide Cin and Cout.</param>
    /// <param name="padTop">Rows of padding above.</param>
    /// <param name="padBottom">Rows of padding below.</param>
    /// <param name="padLeft">Columns of padding on the left.</param>
    /// <param name="padRight">Columns of padding on the right.</param>
    /// <param name="mode">What the padding reads (see <see cref="Pad"/> for each mode's limits).</param>
    /// <returns>The output [N, Cout, Hout, Wout] and its spatial size.</returns>
    /// <exception cref="ArgumentException">Sizes are inconsistent.</exception>
    public static (float[] Output, int OutHeight, int OutWidth) Conv2d(
        float[] x, int n, int cin, int h, int w,
        float[] weight, float[]? bias, int cout, int kH, int kW,
        int strideH = 1, int strideW = 1, int dilationH = 1, int dilationW = 1, int groups = 1,
        int padTop = 0, int padBottom = 0, int padLeft = 0, int padRight = 0,
        PaddingMode mode = PaddingMode.Zeros)
    {
        RequireTensor(x, n, cin, h, w, nameof(x));
        RequirePositive(cout, nameof(cout));
        RequirePositive(groups, nameof(groups));
        if (cin % groups != 0 || cout % groups != 0)
        {
            throw new ArgumentException(
                $"Groups {groups} must divide both the input channels {cin} and the output channels {cout}.", nameof(groups));
        }

        int cinPerGroup = cin / groups;
        int coutPerGroup = cout / groups;
        int hOut = ConvOutputSize(h, kH, strideH, padTop, padBottom, dilationH);
        int wOut = ConvOutputSize(w, kW, strideW, padLeft, padRight, dilationW);
        RequireLength(weight, (long)cout * cinPerGroup * kH * kW, nameof(weight), $"[Cout={cout}, Cin/g={cinPerGroup}, kH={kH}, kW={kW}]");
        if (bias is not null)
        {
            RequireLength(bias, cout, nameof(bias), $"[Cout={cout}]");
        }

        float[] xp = Pad(x, n, cin, h, w, padTop, padBottom, padLeft, padRight, mode);
        int hp = h + padTop + padBottom;
        int wp = w + padLeft + padRight;
        var y = new float[(long)n * cout * hOut * wOut];
        for (int b = 0; b < n; b++)
        {
            for (int co = 0; co < cout; co++)
            {
                int g = co / coutPerGroup;
                for (int i = 0; i < hOut; i++)
                {
                    for (int j = 0; j < wOut; j++)
                    {
                        double acc = bias is null ? 0.0 : bias[co];
                        for (int cl = 0; cl < cinPerGroup; cl++)
                        {
                            int ci = (g * cinPerGroup) + cl;
                            for (int a = 0; a < kH; a++)
                            {
                                for (int e = 0; e < kW; e++)
                                {
                                    int xi = (i * strideH) + (a * dilationH);
                                    int xj = (j * strideW) + (e * dilationW);
                                    double wv = weight[(((((long)co * cinPerGroup) + cl) * kH) + a) * kW + e];
                                    double xv = xp[(((((long)b * cin) + ci) * hp) + xi) * wp + xj];
                                    acc += wv * xv;
                                }
                            }
                        }

                        y[(((((long)b * cout) + co) * hOut) + i) * wOut + j] = (float)acc;
                    }
                }
            }
        }

        return (y, hOut, wOut);
    }

    /// <summary>
    /// PyTorch's <c>ConvTranspose2d</c>, written as its scatter definition: every input element adds
    /// x[b, ci, i, j] · weight[ci, col, a, e] to y[b, g·(Cout/g) + col, i·sH − pH + a·dH, j·sW − pW + e·dW]
    /// (g = ci / (Cin/g)) when that position lies in the output; then the bias is added.
    /// Output size per dimension: (n − 1)s − 2p + d(k − 1) + outputPadding + 1.
    /// </summary>
    /// <param name="x">Input [N, Cin, H, W].</param>
    /// <param name="n">Batch size N.</param>
    /// <param name="cin">Input channels Cin.</param>
    /// <param name="h">Input height H (1 for a 1-D transposed convolution).</param>
    /// <param name="w">Input width W.</param>
    /// <param name="weight">Weights [Cin, Cout/groups, kH, kW].</param>
    /// <param name="bias">Bias [Cout], or null for none.</param>
    /// <param name="cout">Output channels Cout.</param>
    /// <param name="kH">Kernel height (1 for a 1-D transposed convolution).</param>
    /// <param name="kW">Kernel width.</param>
    /// <param name="strideH">Vertical stride.</param>
    /// <param name="strideW">Horizontal stride.</param>
    /// <param name="padH">Rows removed from both the top and the bottom of the output.</param>
    /// <param name="padW">Columns removed from both the left and the right of the output.</param>
    /// <param name="outputPaddingH">Extra rows at the bottom (smaller than the stride or the dilation).</param>
    /// <param name="outputPaddingW">Extra columns on the right (smaller than the stride or the dilation).</param>
    /// <param name="dilationH">Vertical dilation.</param>
    /// <param name="dilationW">Horizontal dilation.</param>
    /// <param name="groups">Channel groups; must divide Cin and Cout.</param>
    /// <returns>The output [N, Cout, Hout, Wout] and its spatial size.</returns>
    /// <exception cref="ArgumentException">Sizes are inconsistent.</exception>
    public static (float[] Output, int OutHeight, int OutWidth) ConvTranspose2d(
        float[] x, int n, int cin, int h, int w,
        float[] weight, float[]? bias, int cout, int kH, int kW,
        int strideH = 1, int strideW = 1, int padH = 0, int padW = 0,
        int outputPaddingH = 0, int outputPaddingW = 0, int dilationH = 1, int dilationW = 1, int groups = 1)
    {
        RequireTensor(x, n, cin, h, w, nameof(x));
        RequirePositive(cout, nameof(cout));
        RequirePositive(groups, nameof(groups));
        if (cin % groups != 0 || cout % groups != 0)
        {
            throw new ArgumentException(
                $"Groups {groups} must divide both the input channels {cin} and the output channels {cout}.", nameof(groups));
        }

        int cinPerGroup = cin / groups;
        int coutPerGroup = cout / groups;
        int hOut = ConvTransposeOutputSize(h, kH, strideH, padH, outputPaddingH, dilationH);
        int wOut = ConvTransposeOutputSize(w, kW, strideW, padW, outputPaddingW, dilationW);
        RequireLength(weight, (long)cin * coutPerGroup * kH * kW, nameof(weight), $"[Cin={cin}, Cout/g={coutPerGroup}, kH={kH}, kW={kW}]");
        if (bias is not null)
        {
            RequireLength(bias, cout, nameof(bias), $"[Cout={cout}]");
        }

        var acc = new double[(long)n * cout * hOut * wOut];
        for (int b = 0; b < n; b++)
        {
            for (int ci = 0; ci < cin; ci++)
            {
                int g = ci / cinPerGroup;
                for (int i = 0; i < h; i++)
                {
                    for (int j = 0; j < w; j++)
                    {
                        double xv = x[(((((long)b * cin) + ci) * h) + i) * w + j];
                        for (int col = 0; col < coutPerGroup; col++)
                        {
                            int co = (g * coutPerGroup) + col;
                            for (int a = 0; a < kH; a++)
                            {
                                int yi = (i * strideH) - padH + (a * dilationH);
                                if (yi < 0 || yi >= hOut)
                                {
                                    continue;
                                }

                                for (int e = 0; e < kW; e++)
                                {
                                    int yj = (j * strideW) - padW + (e * dilationW);
                                    if (yj < 0 || yj >= wOut)
                                    {
                                        continue;
                                    }

                                    double wv = weight[(((((long)ci * coutPerGroup) + col) * kH) + a) * kW + e];
                                    acc[(((((long)b * cout) + co) * hOut) + yi) * wOut + yj] += xv * wv;
                                }
                            }
                        }
                    }
                }
            }
        }

        var y = new float[acc.LongLength];
        for (int b = 0; b < n; b++)
        {
            for (int co = 0; co < cout; co++)
            {
                double bv = bias is null ? 0.0 : bias[co];
                for (int p = 0; p < hOut * wOut; p++)
                {
                    long index = ((((long)b * cout) + co) * hOut * wOut) + p;
                    y[index] = (float)(acc[index] + bv);
                }
            }
        }

        return (y, hOut, wOut);
    }
}
