using System;

namespace ConvGen.Reference;

public static partial class ReferenceOps
{
    /// <summary>
    /// Backward pass of <see cref="Conv2d"/> (PyTorch's <c>convolution_backward</c>) for an upstream
    /// gradient G = ∂L/∂y, straight from the formulas, with xp the padded input of the forward pass:
    /// <list type="bullet">
    /// <item>grad_weight[co, cl, a, e] = Σ_{b, i, j} G[b, co, i, j] · xp[b, ci, i·sH + a·dH, j·sW + e·dW]
    /// (input patches correlated with the output gradient), ci = g·(Cin/g) + cl;</item>
    /// <item>grad_bias[co] = Σ_{b, i, j} G[b, co, i, j];</item>
    /// <item>grad_input: the transpose of the forward's linear map. Each G[b, co, i, j]·weight[co, cl, a, e]
    /// is scattered to the padded position it read, then <see cref="PadBackward"/> sends every padded
    /// position to the input element it copies (zeros drop theirs; reflect, replicate and circular add
    /// theirs to the source element).</item>
    /// </list>
    /// Sums are accumulated in double and rounded to float once.
    /// </summary>
    /// <param name="gradOutput">Upstream gradient [N, Cout, Hout, Wout].</param>
    /// <param name="x">Forward input [N, Cin, H, W].</param>
    /// <param name="n">Batch size N.</param>
    /// <param name="cin">Input channels Cin.</param>
    /// <param name="h">Input height H (1 for a 1-D convolution).</param>
    /// <param name="w">Input width W.</param>
    /// <param name="weight">Weights [Cout, Cin/groups, kH, kW].</param>
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
    /// <param name="mode">What the padding reads, as in the forward pass.</param>
    /// <returns>
    /// grad_input [N, Cin, H, W], grad_weight [Cout, Cin/groups, kH, kW] and grad_bias [Cout]
    /// (meaningful only when the layer has a bias).
    /// </returns>
    /// <exception cref="ArgumentException">Sizes are inconsistent.</exception>
    public static (float[] GradInput, float[] GradWeight, float[] GradBias) Conv2dBackward(
        float[] gradOutput, float[] x, int n, int cin, int h, int w,
        float[] weight, int cout, int kH, int kW,
        int strideH = 1, int strideW = 1, int dilationH = 1, int dilationW = 1, int groups = 1,
        int padTop = 0, int padBottom = 0, int padLeft = 0, int padRight = 0,
        PaddingMode mode = PaddingMode.Zeros)
    {
        RequireTensor(x, n, cin, h, w, nameof(x));
        RequirePositive(cout, nameof(cout));
        RequireGroups(cin, cout, groups);
        int cinPerGroup = cin / groups;
        int coutPerGroup = cout / groups;
        int hOut = ConvOutputSize(h, kH, strideH, padTop, padBottom, dilationH);
        int wOut = ConvOutputSize(w, kW, strideW, padLeft, padRight, dilationW);
        RequireLength(weight, (long)cout * cinPerGroup * kH * kW, nameof(weight), $"[Cout={cout}, Cin/g={cinPerGroup}, kH={kH}, kW={kW}]");
        RequireTensor(gradOutput, n, cout, hOut, wOut, nameof(gradOutput));

        // Pad validates the padding against the mode and gives the values grad_weight correlates with.
        float[] xp = Pad(x, n, cin, h, w, padTop, padBottom, padLeft, padRight, mode);
        int hp = h + padTop + padBottom;
        int wp = w + padLeft + padRight;
        var gradPadded = new double[xp.LongLength];
        var gradWeight = new double[weight.LongLength];
        var gradBias = new double[cout];
        for (int b = 0; b < n; b++)
        {
            for (int co = 0; co < cout; co++)
            {
                int g = co / coutPerGroup;
                for (int i = 0; i < hOut; i++)
                {
                    for (int j = 0; j < wOut; j++)
                    {
                        double gy = gradOutput[(((((long)b * cout) + co) * hOut) + i) * wOut + j];
                        gradBias[co] += gy;
                        for (int cl = 0; cl < cinPerGroup; cl++)
                        {
                            int ci = (g * cinPerGroup) + cl;
                            for (int a = 0; a < kH; a++)
                            {
                                for (int e = 0; e < kW; e++)
                                {
                                    int xi = (i * strideH) + (a * dilationH);
                                    int xj = (j * strideW) + (e * dilationW);
                                    long wIndex = (((((long)co * cinPerGroup) + cl) * kH) + a) * kW + e;
                                    long xIndex = (((((long)b * cin) + ci) * hp) + xi) * wp + xj;
                                    gradWeight[wIndex] += gy * xp[xIndex];
                                    gradPadded[xIndex] += gy * weight[wIndex];
                                }
                            }
                        }
                    }
                }
            }
        }

        double[] gradInput = PadBackwardCore(gradPadded, n, cin, h, w, padTop, padBottom, padLeft, padRight, mode);
        return (ToFloat(gradInput), ToFloat(gradWeight), ToFloat(gradBias));
    }

    /// <summary>
    /// Backward pass of <see cref="ConvTranspose2d"/> (PyTorch's <c>convolution_backward</c> with
    /// transposed=true) for an upstream gradient G = ∂L/∂y. With yi = i·sH − pH + a·dH and
    /// yj = j·sW − pW + e·dW (terms whose output position lies outside the output are absent, as in the
    /// forward scatter) and co = g·(Cout/g) + col:
    /// <list type="bullet">
    /// <item>grad_input[b, ci, i, j] = Σ_{col, a, e} G[b, co, yi, yj] · weight[ci, col, a, e];</item>
    /// <item>grad_weight[ci, col, a, e] = Σ_{b, i, j} x[b, ci, i, j] · G[b, co, yi, yj];</item>
    /// <item>grad_bias[co] = Σ_{b, i, j} G[b, co, i, j].</item>
    /// </list>
    /// </summary>
    /// <param name="gradOutput">Upstream gradient [N, Cout, Hout, Wout].</param>
    /// <param name="x">Forward input [N, Cin, H, W].</param>
    /// <param name="n">Batch size N.</param>
    /// <param name="cin">Input channels Cin.</param>
    /// <param name="h">Input height H (1 for a 1-D transposed convolution).</param>
    /// <param name="w">Input width W.</param>
    /// <param name="weight">Weights [Cin, Cout/groups, kH, kW].</param>
    /// <param name="cout">Output channels Cout.</param>
    /// <param name="kH">Kernel height (1 for a 1-D transposed convolution).</param>
    /// <param name="kW">Kernel width.</param>
    /// <param name="strideH">Vertical stride.</param>
    /// <param name="strideW">Horizontal stride.</param>
    /// <param name="padH">Rows removed from both the top and the bottom of the output.</param>
    /// <param name="padW">Columns removed from both the left and the right of the output.</param>
    /// <param name="outputPaddingH">Extra rows at the bottom of the output.</param>
    /// <param name="outputPaddingW">Extra columns on the right of the output.</param>
    /// <param name="dilationH">Vertical dilation.</param>
    /// <param name="dilationW">Horizontal dilation.</param>
    /// <param name="groups">Channel groups; must divide Cin and Cout.</param>
    /// <returns>grad_input [N, Cin, H, W], grad_weight [Cin, Cout/groups, kH, kW] and grad_bias [Cout].</returns>
    /// <exception cref="ArgumentException">Sizes are inconsistent.</exception>
    public static (float[] GradInput, float[] GradWeight, float[] GradBias) ConvTranspose2dBackward(
        float[] gradOutput, float[] x, int n, int cin, int h, int w,
        float[] weight, int cout, int kH, int kW,
        int strideH = 1, int strideW = 1, int padH = 0, int padW = 0,
        int outputPaddingH = 0, int outputPaddingW = 0, int dilationH = 1, int dilationW = 1, int groups = 1)
    {
        RequireTensor(x, n, cin, h, w, nameof(x));
        RequirePositive(cout, nameof(cout));
        RequireGroups(cin, cout, groups);
        int cinPerGroup = cin / groups;
        int coutPerGroup = cout / groups;
        int hOut = ConvTransposeOutputSize(h, kH, strideH, padH, outputPaddingH, dilationH);
        int wOut = ConvTransposeOutputSize(w, kW, strideW, padW, outputPaddingW, dilationW);
        RequireLength(weight, (long)cin * coutPerGroup * kH * kW, nameof(weight), $"[Cin={cin}, Cout/g={coutPerGroup}, kH={kH}, kW={kW}]");
        RequireTensor(gradOutput, n, cout, hOut, wOut, nameof(gradOutput));

        var gradInput = new double[x.LongLength];
        var gradWeight = new double[weight.LongLength];
        for (int b = 0; b < n; b++)
        {
            for (int ci = 0; ci < cin; ci++)
            {
                int g = ci / cinPerGroup;
                for (int i = 0; i < h; i++)
                {
                    for (int j = 0; j < w; j++)
                    {
                        long xIndex = (((((long)b * cin) + ci) * h) + i) * w + j;
                        double xv = x[xIndex];
                        double acc = 0.0;
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

                                    long wIndex = (((((long)ci * coutPerGroup) + col) * kH) + a) * kW + e;
                                    double gy = gradOutput[(((((long)b * cout) + co) * hOut) + yi) * wOut + yj];
                                    acc += gy * weight[wIndex];
                                    gradWeight[wIndex] += xv * gy;
                                }
                            }
                        }

                        gradInput[xIndex] = acc;
                    }
                }
            }
        }

        return (ToFloat(gradInput), ToFloat(gradWeight), ToFloat(SumOverBatchAndPlane(gradOutput, n, cout, (long)hOut * wOut)));
    }

    private static void RequireGroups(int cin, int cout, int groups)
    {
        RequirePositive(groups, nameof(groups));
        if (cin % groups != 0 || cout % groups != 0)
        {
            throw new ArgumentException(
                $"Groups {groups} must divide both the input channels {cin} and the output channels {cout}.", nameof(groups));
        }
    }

    /// <summary>Σ over the batch and the plane of each channel: the gradient of a per-channel bias or shift.</summary>
    private static double[] SumOverBatchAndPlane(float[] t, int n, int c, long plane)
    {
        var sum = new double[c];
        for (int b = 0; b < n; b++)
        {
            for (int ch = 0; ch < c; ch++)
            {
                long start = (((long)b * c) + ch) * plane;
                for (long p = 0; p < plane; p++)
                {
                    sum[ch] += t[start + p];
                }
            }
        }

        return sum;
    }

    /// <summary>Rounds double accumulators to float once, at the end.</summary>
    private static float[] ToFloat(double[] values)
    {
        var result = new float[values.LongLength];
        for (long i = 0; i < values.LongLength; i++)
        {
            result[i] = (float)values[i];
        }

        return result;
    }
}
