using System;
using System.Collections.Generic;
using ConvGen.Reference;
using Xunit;

namespace ConvGen.Tests.Gradients;

/// <summary>
/// Finite-difference checks of <see cref="ReferenceOps.Conv2dBackward"/> and
/// <see cref="ReferenceOps.ConvTranspose2dBackward"/>: grad_input, grad_weight and grad_bias against
/// central differences of the forward ops, for every padding form, stride, dilation and grouping.
/// </summary>
public sealed class ConvolutionGradientTests
{
    private sealed record ConvCase(
        int N, int Cin, int H, int W, int Cout, int KH, int KW,
        int StrideH = 1, int StrideW = 1, int DilationH = 1, int DilationW = 1, int Groups = 1,
        int PadTop = 0, int PadBottom = 0, int PadLeft = 0, int PadRight = 0, PaddingMode Mode = PaddingMode.Zeros);

    private sealed record ConvTransposeCase(
        int N, int Cin, int H, int W, int Cout, int KH, int KW,
        int StrideH = 1, int StrideW = 1, int PadH = 0, int PadW = 0,
        int OutputPaddingH = 0, int OutputPaddingW = 0, int DilationH = 1, int DilationW = 1, int Groups = 1);

    private static readonly Dictionary<string, ConvCase> ConvCases = new()
    {
        ["plain"] = new(2, 2, 4, 5, 3, 3, 2),
        ["stride_dilation_asymmetric_zeros"] = new(1, 2, 7, 6, 2, 3, 2, StrideH: 2, StrideW: 3, DilationH: 2, DilationW: 2,
            PadTop: 1, PadBottom: 0, PadLeft: 2, PadRight: 1),
        ["same_even_kernel"] = new(1, 2, 5, 6, 2, 2, 4, PadTop: 0, PadBottom: 1, PadLeft: 1, PadRight: 2),
        ["groups"] = new(2, 4, 4, 4, 6, 3, 3, Groups: 2, PadTop: 1, PadBottom: 1, PadLeft: 1, PadRight: 1),
        ["depthwise_strided"] = new(1, 3, 6, 5, 3, 3, 3, StrideH: 2, StrideW: 2, Groups: 3, PadTop: 1, PadBottom: 1, PadLeft: 1, PadRight: 1),
        ["depthwise_multiplier_dilated"] = new(1, 2, 6, 6, 4, 2, 2, DilationH: 2, DilationW: 3, Groups: 2),
        ["reflect_asymmetric"] = new(1, 2, 4, 5, 2, 3, 3, PadTop: 0, PadBottom: 3, PadLeft: 2, PadRight: 1, Mode: PaddingMode.Reflect),
        ["replicate_strided"] = new(2, 1, 4, 5, 2, 3, 3, StrideH: 2, StrideW: 2, PadTop: 3, PadBottom: 1, PadLeft: 2, PadRight: 2, Mode: PaddingMode.Replicate),
        ["circular_full_wrap_dilated"] = new(1, 2, 3, 4, 2, 2, 3, DilationH: 2, PadTop: 3, PadBottom: 1, PadLeft: 4, PadRight: 0, Mode: PaddingMode.Circular),
        ["conv1d_causal_grouped"] = new(2, 4, 1, 9, 2, 1, 3, DilationW: 2, Groups: 2, PadLeft: 4),
        ["conv1d_reflect_strided"] = new(1, 2, 1, 8, 3, 1, 4, StrideW: 2, PadLeft: 1, PadRight: 2, Mode: PaddingMode.Reflect),
    };

    private static readonly Dictionary<string, ConvTransposeCase> ConvTransposeCases = new()
    {
        ["plain"] = new(2, 2, 3, 4, 3, 3, 2),
        ["stride_padding_output_padding"] = new(1, 3, 4, 3, 2, 3, 3, StrideH: 3, StrideW: 2, PadH: 1, PadW: 1, OutputPaddingH: 1, OutputPaddingW: 1),
        ["groups_dilated"] = new(1, 4, 3, 3, 6, 2, 3, StrideH: 2, StrideW: 1, PadH: 1, PadW: 2, OutputPaddingH: 1, OutputPaddingW: 1,
            DilationH: 2, DilationW: 3, Groups: 2),
        ["depthwise"] = new(2, 3, 3, 3, 3, 3, 3, StrideH: 2, StrideW: 2, PadH: 1, PadW: 1, Groups: 3),
        ["conv_transpose1d"] = new(1, 2, 1, 5, 3, 1, 4, StrideW: 2, PadW: 1, OutputPaddingW: 1),
    };

    public static TheoryData<string> ConvCaseNames => new(ConvCases.Keys);

    public static TheoryData<string> ConvTransposeCaseNames => new(ConvTransposeCases.Keys);

    [Theory]
    [MemberData(nameof(ConvCaseNames))]
    public void Conv2d_backward_matches_finite_differences(string name)
    {
        ConvCase c = ConvCases[name];
        var rng = new Random(name.Length * 7919);
        float[] x = GradientData.Grid(rng, (long)c.N * c.Cin * c.H * c.W);
        float[] weight = GradientData.Grid(rng, (long)c.Cout * (c.Cin / c.Groups) * c.KH * c.KW);
        float[] bias = GradientData.Grid(rng, c.Cout);
        Func<float[]> forward = () => ReferenceOps.Conv2d(x, c.N, c.Cin, c.H, c.W, weight, bias, c.Cout, c.KH, c.KW,
            c.StrideH, c.StrideW, c.DilationH, c.DilationW, c.Groups, c.PadTop, c.PadBottom, c.PadLeft, c.PadRight, c.Mode).Output;
        float[] gradOutput = GradientData.Grid(rng, forward().Length);

        var (gradInput, gradWeight, gradBias) = ReferenceOps.Conv2dBackward(gradOutput, x, c.N, c.Cin, c.H, c.W, weight, c.Cout, c.KH, c.KW,
            c.StrideH, c.StrideW, c.DilationH, c.DilationW, c.Groups, c.PadTop, c.PadBottom, c.PadLeft, c.PadRight, c.Mode);

        GradientCheck.Matches("grad_input", gradInput, x, forward, gradOutput);
        GradientCheck.Matches("grad_weight", gradWeight, weight, forward, gradOutput);
        GradientCheck.Matches("grad_bias", gradBias, bias, forward, gradOutput);
    }

    [Theory]
    [MemberData(nameof(ConvTransposeCaseNames))]
    public void ConvTranspose2d_backward_matches_finite_differences(string name)
    {
        ConvTransposeCase c = ConvTransposeCases[name];
        var rng = new Random(name.Length * 104729);
        float[] x = GradientData.Grid(rng, (long)c.N * c.Cin * c.H * c.W);
        float[] weight = GradientData.Grid(rng, (long)c.Cin * (c.Cout / c.Groups) * c.KH * c.KW);
        float[] bias = GradientData.Grid(rng, c.Cout);
        Func<float[]> forward = () => ReferenceOps.ConvTranspose2d(x, c.N, c.Cin, c.H, c.W, weight, bias, c.Cout, c.KH, c.KW,
            c.StrideH, c.StrideW, c.PadH, c.PadW, c.OutputPaddingH, c.OutputPaddingW, c.DilationH, c.DilationW, c.Groups).Output;
        float[] gradOutput = GradientData.Grid(rng, forward().Length);

        var (gradInput, gradWeight, gradBias) = ReferenceOps.ConvTranspose2dBackward(gradOutput, x, c.N, c.Cin, c.H, c.W, weight, c.Cout,
            c.KH, c.KW, c.StrideH, c.StrideW, c.PadH, c.PadW, c.OutputPaddingH, c.OutputPaddingW, c.DilationH, c.DilationW, c.Groups);

        GradientCheck.Matches("grad_input", gradInput, x, forward, gradOutput);
        GradientCheck.Matches("grad_weight", gradWeight, weight, forward, gradOutput);
        GradientCheck.Matches("grad_bias", gradBias, bias, forward, gradOutput);
    }

    [Fact]
    public void Conv2d_grad_input_is_the_transposed_convolution_of_the_output_gradient()
    {
        // With zero padding, grad_input of a convolution is ConvTranspose2d of G with the same weights
        // (PyTorch's weight layouts line up: [Cout, Cin/g, ...] read as [Cin', Cout'/g, ...]).
        var rng = new Random(5);
        int n = 2, cin = 4, h = 7, w = 6, cout = 6, k = 3, stride = 2, pad = 1, groups = 2;
        float[] x = GradientData.Grid(rng, n * cin * h * w);
        float[] weight = GradientData.Grid(rng, cout * (cin / groups) * k * k);
        var (_, hOut, wOut) = ReferenceOps.Conv2d(x, n, cin, h, w, weight, null, cout, k, k, stride, stride, 1, 1, groups, pad, pad, pad, pad);
        float[] gradOutput = GradientData.Grid(rng, n * cout * hOut * wOut);
        float[] gradInput = ReferenceOps.Conv2dBackward(gradOutput, x, n, cin, h, w, weight, cout, k, k, stride, stride, 1, 1, groups,
            pad, pad, pad, pad).GradInput;

        int opH = h - ReferenceOps.ConvTransposeOutputSize(hOut, k, stride, pad, 0, 1);
        int opW = w - ReferenceOps.ConvTransposeOutputSize(wOut, k, stride, pad, 0, 1);
        float[] transposed = ReferenceOps.ConvTranspose2d(gradOutput, n, cout, hOut, wOut, weight, null, cin, k, k, stride, stride,
            pad, pad, opH, opW, 1, 1, groups).Output;
        Assert.Equal(transposed, gradInput);
    }
}
