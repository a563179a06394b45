using System.Threading.Tasks;
using Xunit;
using static ConvGen.Tests.Analyzers.AnalyzerVerifier;

namespace ConvGen.Tests.Analyzers;

/// <summary>
/// Boundaries of the shape rules that mutation testing found unguarded: each axis of a rule on its own (the
/// existing cases break both axes at once, so a rule that forgets one axis still passes them), the exact limits of
/// reflect and circular padding, and ceil-mode pooling, which reads the input's tail and so never drops it (CG0009).
/// </summary>
public sealed class MutationGuardRuleTests
{
    // CG0008: Concat needs equal spatial sizes; each dimension is checked on its own.

    [Fact]
    public Task CG0008_ConcatWithOnlyTheHeightDiffering() => VerifyAsync(
        Net("[Network(2, 8, 8)]\n[Save(\"a\"), Conv2d(2, 3, PaddingW = 1), Concat({|CG0008:\"a\"|})]"),
        Error(0, "Concat #2: cannot concatenate 'a' [2, 8, 8] with the current tensor [2, 6, 8]: spatial sizes differ, and Concat joins channels position by position; resample one to the other's size first (Upsample, pooling or a strided convolution), or save the tensor where the sizes match"));

    [Fact]
    public Task CG0008_ConcatWithOnlyTheWidthDiffering() => VerifyAsync(
        Net("[Network(2, 8, 8)]\n[Save(\"a\"), Conv2d(2, 3, PaddingH = 1), Concat({|CG0008:\"a\"|})]"),
        Error(0, "Concat #2: cannot concatenate 'a' [2, 8, 8] with the current tensor [2, 8, 6]: spatial sizes differ, and Concat joins channels position by position; resample one to the other's size first (Upsample, pooling or a strided convolution), or save the tensor where the sizes match"));

    [Fact]
    public Task CG0008_ConcatOfSequencesOfDifferentLengths() => VerifyAsync(
        Net("[Network(2, 8)]\n[Save(\"a\"), Conv1d(2, 3), Concat({|CG0008:\"a\"|})]"),
        Error(0, "Concat #2: cannot concatenate 'a' [2, 8] with the current tensor [2, 6]: spatial sizes differ, and Concat joins channels position by position; resample one to the other's size first (Upsample, pooling or a strided convolution), or save the tensor where the sizes match"));

    // CG0010: reflect padding must be smaller than the input along each axis; circular padding may equal it.

    [Fact]
    public Task CG0010_ReflectPaddingAsWideAsTheInput_WidthOnly() => VerifyAsync(
        Net("[Network(1, 8, 4)]\n[Conv2d(2, 3, {|CG0010:PaddingMode = PaddingMode.Reflect|}, PaddingW = 4)]"),
        Error(0, "Conv2d #0: reflect padding must be smaller than the input: padding (top 0, bottom 0, left 4, right 4) on input [1, 8, 4] needs max(p) < n, but 4 >= 4, so there is no pixel to mirror and PyTorch rejects it; use PaddingMode.Replicate or padding of at most 3"));

    [Fact]
    public Task CG0010_ReflectPaddingAsTallAsTheInput_HeightOnly() => VerifyAsync(
        Net("[Network(1, 4, 8)]\n[Conv2d(2, 3, {|CG0010:PaddingMode = PaddingMode.Reflect|}, PaddingH = 4)]"),
        Error(0, "Conv2d #0: reflect padding must be smaller than the input: padding (top 4, bottom 4, left 0, right 0) on input [1, 4, 8] needs max(p) < n, but 4 >= 4, so there is no pixel to mirror and PyTorch rejects it; use PaddingMode.Replicate or padding of at most 3"));

    [Fact]
    public Task CG0010_ReflectPaddingAsLongAsTheSequence() => VerifyAsync(
        Net("[Network(1, 4)]\n[Conv1d(2, 3, {|CG0010:PaddingMode = PaddingMode.Reflect|}, PadRight = 4)]"),
        Error(0, "Conv1d #0: reflect padding must be smaller than the input: padding (top 0, bottom 0, left 0, right 4) on input [1, 4] needs max(p) < n, but 4 >= 4, so there is no pixel to mirror and PyTorch rejects it; use PaddingMode.Replicate or padding of at most 3"));

    [Fact]
    public Task CG0010_CircularPaddingOnePastTheInput_WidthOnly() => VerifyAsync(
        Net("[Network(1, 8, 4)]\n[Conv2d(2, 3, {|CG0010:PaddingMode = PaddingMode.Circular|}, PaddingW = 5)]"),
        Error(0, "Conv2d #0: circular padding must not exceed the input: padding (top 0, bottom 0, left 5, right 5) on input [1, 8, 4] needs max(p) <= n, but 5 > 4, so the wrap-around would reach past the other edge and PyTorch rejects it; use PaddingMode.Replicate or padding of at most 4"));

    [Fact]
    public Task CG0010_CircularPaddingOnePastTheInput_HeightOnly() => VerifyAsync(
        Net("[Network(1, 4, 8)]\n[Conv2d(2, 3, {|CG0010:PaddingMode = PaddingMode.Circular|}, PaddingH = 5)]"),
        Error(0, "Conv2d #0: circular padding must not exceed the input: padding (top 5, bottom 5, left 0, right 0) on input [1, 4, 8] needs max(p) <= n, but 5 > 4, so the wrap-around would reach past the other edge and PyTorch rejects it; use PaddingMode.Replicate or padding of at most 4"));

    [Fact]
    public Task CG0010_PaddingAtTheLimits_IsClean() => VerifyAsync(
        // Reflect: one below the input on each axis; circular: exactly the input (PyTorch wraps around once).
        // [1, 4, 5] -> [2, 8, 11] -> [2, 22, 31].
        Net("[Network(1, 4, 5)]\n[Conv2d(2, 3, PaddingMode = PaddingMode.Reflect, PaddingH = 3, PaddingW = 4), Conv2d(2, 3, PaddingMode = PaddingMode.Circular, PaddingH = 8, PaddingW = 11)]"));

    [Fact]
    public Task CG0010_CircularPaddingAsLongAsTheSequence_IsClean() => VerifyAsync(
        Net("[Network(1, 4)]\n[Conv1d(2, 3, PaddingMode = PaddingMode.Circular, Padding = 4)]"));

    // CG0009: ceil-mode pooling runs a last, partial window over the tail, so it never drops input.

    [Fact]
    public Task CG0009_FloorModePoolingOfAnOddSize_Warns() => VerifyAsync(
        Net("[Network(2, 7)]\n[{|CG0009:MaxPool1d(2)|}]"),
        Warning(0, "MaxPool1d #0: the last input samples are never read along the length (stride 2: (n + p_before + p_after - k_eff) mod s = (7 + 0 + 0 - 2) mod 2 = 1 position(s) after the last window, 1 of them input): they never affect the output, and the output grid sits off-centre on the input; set CeilMode = true, which adds a last window over them"));

    [Fact]
    public Task CG0009_CeilModePoolingOfAnOddSize_IsClean() => VerifyAsync(
        Net("[Network(2, 7, 7)]\n[MaxPool2d(2, CeilMode = true)]"));

    [Fact]
    public Task CG0009_CeilModeAveragePoolingThatFloorModeWouldWarnAbout_IsClean() => VerifyAsync(
        Net("[Network(2, 8)]\n[AvgPool1d(3, Stride = 2, CeilMode = true)]"));
}
