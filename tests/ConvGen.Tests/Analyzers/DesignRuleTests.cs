using System.Threading.Tasks;
using Xunit;
using static ConvGen.Tests.Analyzers.AnalyzerVerifier;

namespace ConvGen.Tests.Analyzers;

/// <summary>
/// Every rule CG0001–CG0014 through the analyzer verifier: a declaration that breaks it (the exact span, the
/// severity and the exact message, which names the layer and evaluates the formula) and one that does not.
/// The errors are covered case by case, with the generator's stub, by <see cref="DeclarationErrorTests"/>;
/// here the warnings and infos get the detail: both axes, the coverage pattern, the dropped count, the
/// causal context length (CG0014) and the half- and one-pixel shifts.
/// </summary>
public sealed class DesignRuleTests
{
    // CG0001: groups must divide both channel counts.

    [Fact]
    public Task CG0001_GroupsNotDividingInChannels() => VerifyAsync(
        Net("[Network(6, 8, 8)]\n[Conv2d(8, 3, {|CG0001:Groups = 4|})]"),
        Error(0, "Conv2d #0: in_channels 6 is not divisible by groups 4 (6 / 4 = 1.5), so the channels cannot be split into equal groups; use Groups = 2 (valid: 1, 2)"));

    [Fact]
    public Task CG0001_GroupsDividingBoth_IsClean() => VerifyAsync(
        Net("[Network(6, 8, 8)]\n[Conv2d(8, 3, Groups = 2), Conv2d(8, 3, Groups = 8)]"));

    // CG0002: 'same' padding that cannot be split evenly (warning, once per layer, naming every axis).

    [Fact]
    public Task CG0002_SameWithAnEvenKernel_WarnsOnceNamingBothAxes() => VerifyAsync(
        Net("[Network(3, 8, 8)]\n[Conv2d(4, 2, {|CG0002:Pad = Pad.Same|})]"),
        Warning(0, "Conv2d #0: padding 'same' cannot be split evenly along the height and the width (d(k-1) = 1*(2-1) = 1 is odd: PyTorch pads 0 before and 1 after), which shifts the output grid by half a pixel; make the padding explicit or use kernel size 3"));

    [Fact]
    public Task CG0002_SameWithAnEvenKernel_OnOneAxisOnly() => VerifyAsync(
        Net("[Network(2, 16)]\n[Conv1d(4, 4, {|CG0002:Pad = Pad.Same|}, Name = \"c\")]"),
        Warning(0, "Conv1d #0 'c': padding 'same' cannot be split evenly along the length (d(k-1) = 1*(4-1) = 3 is odd: PyTorch pads 1 before and 2 after), which shifts the output grid by half a pixel; make the padding explicit or use kernel size 5"));

    [Fact]
    public Task CG0002_SameWithAnEvenTotal_IsClean() => VerifyAsync(
        Net("[Network(3, 8, 8)]\n[Conv2d(4, 3, Pad = Pad.Same), Conv2d(4, 2, Pad = Pad.Same, Dilation = 2), Conv2d(4, 5, Pad = Pad.Same)]"));

    // CG0003: 'same' padding with a stride.

    [Fact]
    public Task CG0003_SameWithStride() => VerifyAsync(
        Net("[Network(3, 8, 8)]\n[Conv2d(8, 3, {|CG0003:Pad = Pad.Same|}, Stride = 2)]"),
        Error(0, "Conv2d #0: padding 'same' needs stride 1, but the stride is (2, 2): PyTorch rejects it, because a strided output cannot keep the input size; use Padding = 1 (d(k-1)/2 = 1*(3-1)/2 = 1)"));

    [Fact]
    public Task CG0003_SameWithStrideOne_IsClean() => VerifyAsync(
        Net("[Network(3, 8, 8)]\n[Conv2d(8, 3, Pad = Pad.Same, Stride = 1)]"));

    // CG0004: (a) causal padding on a 2-D convolution, (b) causal padding with explicit numbers, (c) a network
    // declared causal that is 2-D, (d) a layer that sees the future in a causal network. A clean causal network
    // gets only its context length (CG0014).

    [Fact]
    public Task CG0004a_CausalPaddingOnA2DConvolution() => VerifyAsync(
        Net("[Network(3, 8, 8)]\n[Conv2d(8, 3, {|CG0004:Pad = Pad.Causal|})]"),
        Error(0, "Conv2d #0: causal padding applies to 1-D convolutions only; a 2-D convolution has no time axis"));

    [Fact]
    public Task CG0004b_CausalPaddingWithExplicitNumbers() => VerifyAsync(
        Net("[Network(2, 16)]\n[Conv1d(4, 3, {|CG0004:Pad = Pad.Causal|}, Padding = 1, Dilation = 2)]"),
        Error(0, "Conv1d #0: a causal convolution pads exactly d(k-1) = 2*(3-1) = 4 on the left and nothing on the right; remove the explicit padding"));

    [Fact]
    public Task CG0004c_CausalNetworkThatIs2D_IsReportedOnTheCausalArgument() => VerifyAsync(
        // The shape module blames the Causal argument (ShapeFinding.Argument = "Causal"), as every layer finding
        // sits on its blamed argument.
        Net("[Network(3, 8, 8, {|CG0004:Causal = true|})]\n[Conv2d(4, 3, Padding = 1)]"),
        Error(0, "The network is declared causal, but it is 2-D; causality needs a time axis: declare [Network(channels, length, Causal = true)]"));

    [Fact]
    public Task CG0004d_LayersThatSeeTheFuture() => VerifyAsync(
        Net("[Network(2, 16, Causal = true)]\n"
            + "[Conv1d(4, 3, Pad = Pad.Causal), {|CG0004:Conv1d(4, 3, Padding = 1)|}, {|CG0004:MaxPool1d(3, Stride = 1, Padding = 1)|}]\n"
            + "[{|CG0004:ConvTranspose1d(4, 4, Stride = 2, Padding = 1)|}, {|CG0004:Upsample(2, Mode = UpsampleMode.Linear)|}, {|CG0004:GlobalAvgPool|}]"),
        Error(0, "Conv1d #1: sees the future in a causal network: output t reads inputs t-1..t+1, 1 sample(s) after t (padding left 1; causal needs left d(k-1) = 2): use Pad = Pad.Causal"),
        Error(1, "MaxPool1d #2: sees the future in a causal network: its padding 1 centres the window on its output, so output t reads inputs t-1..t+1, 1 sample(s) after t: remove the padding (unpadded, output j covers inputs j..j+2 and stands at its end, j+2, reading only the past)"),
        Error(2, "ConvTranspose1d #3: sees the future in a causal network: its padding 1 crops the first 1 output(s), so output o (at input time o/2) reads inputs up to floor((o + 1)/2), e.g. output 1 reads input 1: use Padding = 0 (then input i feeds only outputs 2i..2i+3, at or after it)"),
        Error(3, "Upsample #4: sees the future in a causal network: linear interpolation blends each sample with the next one: output t (at input time t/2) reads inputs floor(c) and floor(c) + 1 at c = (t + 0.5)/2 - 0.5, e.g. output 1 reads input 1: use Mode = UpsampleMode.Nearest, which repeats input floor(t/2)"),
        Error(4, "GlobalAvgPool #5: sees the future in a causal network: the global average reads inputs 0..63, the whole sequence, for its one output: remove it and use the last time step of the layer before, which already summarises the inputs up to it"));

    [Fact]
    public Task CG0004d_StridedAndDilatedWindows_AreEvaluatedInTheMessage() => VerifyAsync(
        // A strided layer's output j stands at input 2j; a dilated window lists its span and its tap spacing.
        Net("[Network(2, 17, Causal = true)]\n[{|CG0004:Conv1d(4, 3, Stride = 2)|}, {|CG0004:MaxPool1d(3, Stride = 2, Padding = 1, Dilation = 2)|}]"),
        Error(0, "Conv1d #0: sees the future in a causal network: output j (at input 2j) reads inputs 2j..2j+2, 2 sample(s) after 2j (padding left 0; causal needs left d(k-1) = 2): use Pad = Pad.Causal"),
        Error(1, "MaxPool1d #1: sees the future in a causal network: its padding 1 centres the window on its output, so output j (at input 2j) reads inputs 2j-1..2j+3 in steps of 2, 3 sample(s) after 2j: remove the padding (unpadded, output j covers inputs 2j..2j+4 in steps of 2 and stands at its end, 2j+4, reading only the past)"));

    [Fact]
    public Task CG0004d_UnpaddedPools_ReadOnlyThePast_AndLeaveTheContextLength() => VerifyAsync(
        // An unpadded pool's output j covers inputs j·s … j·s + k − 1 and stands at the end of that window; a padded
        // one whose padding reaches k − 1 (MaxPool1d(2, Padding = 1): inputs 2j − 1 … 2j) reads nothing after j·s.
        // 1 + 2 + 1·1 + 2·2 + 1·2 + 1·4 = 14.
        Net("[{|CG0014:Network(2, 16, Causal = true)|}]\n[Conv1d(4, 3, Pad = Pad.Causal), MaxPool1d(2), Conv1d(4, 3, Pad = Pad.Causal), AvgPool1d(2), MaxPool1d(2, Padding = 1)]"),
        Info(0, "The network is causal: each output sees 14 samples of context (1 + Σ d(k-1)·jump)"));

    [Fact]
    public Task CG0004d_NearestUpsampling_AndUnpaddedTransposedConvolution_ReadOnlyThePast() => VerifyAsync(
        // Output o stands at input time o/s: nearest repeats input floor(o/s); an unpadded transposed convolution
        // feeds input i only to outputs i·s … i·s + d(k − 1).
        Net("[{|CG0014:Network(2, 16, Causal = true)|}]\n[Conv1d(4, 3, Pad = Pad.Causal), ConvTranspose1d(4, 2, Stride = 2), Upsample(2)]"),
        Info(0, "The network is causal: each output sees 3.5 samples of context (1 + Σ d(k-1)·jump)"));

    [Fact]
    public Task CG0004d_FlattenThenLinear_MixesEveryTimeStep() => VerifyAsync(
        // Reported once, on the first Linear that reads the flattened steps; later Linears mix only features.
        Net("[Network(2, 16, Causal = true)]\n[Conv1d(4, 3, Pad = Pad.Causal), Flatten, ReLU, {|CG0004:Linear(3)|}, Linear(2)]"),
        Error(0, "Linear #3: sees the future in a causal network: Flatten #1 folded all 16 time steps into one vector, so each of its 3 output(s) reads inputs 0..15, the whole sequence: replace Flatten and Linear with Conv1d(3, 1), which gives an output per time step that reads only the past, and use its last step"));

    [Fact]
    public Task CG0004d_FlattenOfASingleTimeStep_IsNotMixing() => VerifyAsync(
        // MaxPool1d(16) leaves one step, which reads inputs 0..15 only once they have all arrived: 3 + 15 = 18.
        Net("[{|CG0014:Network(2, 16, Causal = true)|}]\n[Conv1d(4, 3, Pad = Pad.Causal), MaxPool1d(16), Flatten, Linear(3)]"),
        Info(0, "The network is causal: each output sees 18 samples of context (1 + Σ d(k-1)·jump)"));

    [Fact]
    public Task CG0004d_ConvolutionBlamedOnItsPadArgument_WhenWritten() => VerifyAsync(
        Net("[Network(2, 16, Causal = true)]\n[Conv1d(4, 3, {|CG0004:Pad = Pad.Same|})]"),
        Error(0, "Conv1d #0: sees the future in a causal network: output t reads inputs t-1..t+1, 1 sample(s) after t (padding left 1; causal needs left d(k-1) = 2): use Pad = Pad.Causal"));

    [Fact]
    public Task CG0004_NonCausalNetwork_IsNotChecked() => VerifyAsync(
        Net("[Network(2, 16)]\n[Conv1d(4, 3, Padding = 1), Upsample(2), GlobalAvgPool]"));

    [Fact]
    public Task CG0004_CausalNetworkOfCausalLayers_IsClean_ButForItsContextLength() => VerifyAsync(
        Net("[{|CG0014:Network(2, 16, Causal = true)|}]\n[Conv1d(4, 3, Pad = Pad.Causal), ReLU, Conv1d(4, 2, Pad = Pad.Causal), Conv1d(4, 1), Sigmoid]"),
        Info(0, "The network is causal: each output sees 4 samples of context (1 + Σ d(k-1)·jump)"));

    // CG0014: the context length of a clean causal network (info).

    [Fact]
    public Task CG0014_ContextLengthOfACleanCausalNetwork() => VerifyAsync(
        // 1 + Σ d(k-1)·jump = 1 + 2*(3-1) + 4*(3-1) + 1*(2-1) = 14.
        Net("[{|CG0014:Network(2, 16, Causal = true)|}]\n[Conv1d(4, 3, Pad = Pad.Causal, Dilation = 2), ReLU, Conv1d(4, 3, Pad = Pad.Causal, Dilation = 4), Conv1d(4, 2, Pad = Pad.Causal)]"),
        Info(0, "The network is causal: each output sees 14 samples of context (1 + Σ d(k-1)·jump)"));

    [Fact]
    public Task CG0014_NotReported_ForANetworkThatSeesTheFuture_OrIsNotCausal() => VerifyAsync(
        Net("[Network(2, 16, Causal = true)]\n[Conv1d(4, 3, Pad = Pad.Causal), {|CG0004:MaxPool1d(3, Stride = 1, Padding = 1)|}]"),
        Error(0, "MaxPool1d #1: sees the future in a causal network: its padding 1 centres the window on its output, so output t reads inputs t-1..t+1, 1 sample(s) after t: remove the padding (unpadded, output j covers inputs j..j+2 and stands at its end, j+2, reading only the past)"));

    // CG0005: transposed convolutions whose kernel is not a multiple of the stride.

    [Fact]
    public Task CG0005_UnevenOverlap_ShowsTheCoveragePattern() => VerifyAsync(
        // Taps 0..4 land on output phases 0,1,2,0,1: two phases get 2 contributions, one gets 1.
        Net("[Network(2, 8, 8)]\n[ConvTranspose2d(4, {|CG0005:5|}, Stride = 3)]"),
        Warning(0, "ConvTranspose2d #0: the overlap is uneven along the height and the width (kernel 5 is not divisible by stride 3: neighbouring outputs receive 2,2,1,2,2,1,… contributions), which paints checkerboard artifacts; use kernel 6 (or Upsample(nearest) + Conv, or Conv + PixelShuffle)"));

    [Fact]
    public Task CG0005_OneAxisOf1D() => VerifyAsync(
        Net("[Network(2, 16)]\n[ConvTranspose1d(4, {|CG0005:3|}, Stride = 2)]"),
        Warning(0, "ConvTranspose1d #0: the overlap is uneven along the length (kernel 3 is not divisible by stride 2: neighbouring outputs receive 2,1,2,1,… contributions), which paints checkerboard artifacts; use kernel 4 (or Upsample(nearest) + Conv, or Conv + PixelShuffle)"));

    [Fact]
    public Task CG0005_DilationSharingAFactorWithTheStride() => VerifyAsync(
        // Taps at 0, 2, 4 all land on phase 0: every other output gets nothing.
        Net("[Network(2, 16)]\n[ConvTranspose1d(4, {|CG0005:3|}, Stride = 2, Dilation = 2)]"),
        Warning(0, "ConvTranspose1d #0: the overlap is uneven along the length (kernel 3 with dilation 2 and stride 2: the taps t*d mod s give neighbouring outputs 3,0,3,0,… contributions), which paints checkerboard artifacts; use a dilation coprime with the stride and a kernel divisible by it, or Upsample(nearest) + Conv"));

    [Fact]
    public Task CG0005_KernelAMultipleOfTheStride_IsClean() => VerifyAsync(
        Net("[Network(2, 8, 8)]\n[ConvTranspose2d(4, 4, Stride = 2, Padding = 1), ConvTranspose2d(4, 3, Stride = 1)]"));

    // CG0006: output_padding out of range.

    [Fact]
    public Task CG0006_OutputPaddingNotBelowStrideOrDilation() => VerifyAsync(
        Net("[Network(2, 16)]\n[ConvTranspose1d(4, 4, Stride = 2, {|CG0006:OutputPadding = 2|})]"),
        Error(0, "ConvTranspose1d #0: output_padding is out of range along the length (output_padding 2, but max(s, d) - 1 = max(2, 1) - 1 = 1 is the largest allowed): PyTorch rejects output_padding that is not smaller than the stride or the dilation, so the layer cannot be compiled; use OutputPadding = 1, the largest output size a stride-s convolution maps back to this input"));

    [Fact]
    public Task CG0006_BothAxes_OneErrorNamingBoth() => VerifyAsync(
        // OutputPadding sets both axes: one mistake, one error (it was reported once by accident, as two identical findings).
        Net("[Network(2, 8, 8)]\n[ConvTranspose2d(4, 4, Stride = 2, {|CG0006:OutputPadding = 2|})]"),
        Error(0, "ConvTranspose2d #0: output_padding is out of range along the height and the width (output_padding 2, but max(s, d) - 1 = max(2, 1) - 1 = 1 is the largest allowed): PyTorch rejects output_padding that is not smaller than the stride or the dilation, so the layer cannot be compiled; use OutputPadding = 1, the largest output size a stride-s convolution maps back to this input"));

    [Fact]
    public Task CG0006_AxesWithDifferentNumbers_AreEachEvaluated() => VerifyAsync(
        Net("[Network(2, 8, 8)]\n[{|CG0006:ConvTranspose2d(4, 4, StrideH = 2, StrideW = 3, OutputPaddingH = 2, OutputPaddingW = 3)|}]"),
        Error(0, "ConvTranspose2d #0: output_padding is out of range along the height (output_padding 2, but max(s, d) - 1 = max(2, 1) - 1 = 1 is the largest allowed) and the width (output_padding 3, but max(s, d) - 1 = max(3, 1) - 1 = 2 is the largest allowed): PyTorch rejects output_padding that is not smaller than the stride or the dilation, so the layer cannot be compiled; use OutputPaddingH = 1, OutputPaddingW = 2, the largest output size a stride-s convolution maps back to this input"));

    [Fact]
    public Task CG0007_BothAxesEmpty_AreNamedInOneError() => VerifyAsync(
        Net("[Network(1, 4, 3)]\n[{|CG0007:Conv2d(8, 5)|}]"),
        Error(0, "Conv2d #0: the output is empty along the height (floor((4 + 0 + 0 - 5) / 1) + 1 = 0 < 1, with an effective kernel of 5) and the width (floor((3 + 0 + 0 - 5) / 1) + 1 = -1 < 1, with an effective kernel of 5): the kernel is larger than the padded input, so no window fits; use Padding = 1 or a smaller kernel"));

    [Fact]
    public Task CG0002_AxesWithDifferentKernels_OneWarningWithBothSplits() => VerifyAsync(
        Net("[Network(3, 8, 8)]\n[Conv2d(4, 4, 2, {|CG0002:Pad = Pad.Same|})]"),
        Warning(0, "Conv2d #0: padding 'same' cannot be split evenly along the height (d(k-1) = 1*(4-1) = 3 is odd: PyTorch pads 1 before and 2 after) and the width (d(k-1) = 1*(2-1) = 1 is odd: PyTorch pads 0 before and 1 after), which shifts the output grid by half a pixel; make the padding explicit or use kernel size 5x3"));

    [Fact]
    public Task CG0013_NamesTheLayerThatMovesTheGrid() => VerifyAsync(
        Net("[Network(3, 8, 8, {|CG0013:DensePrediction = true|})]\n[Conv2d(4, 3, Padding = 1), ReLU, Conv2d(4, 2, 3, PaddingW = 1)]"),
        Warning(0, "The output grid is misaligned with the input along the height (output 0's centre is at input coordinate 1, but a cell 1 pixel(s) wide centred on its footprint would be at 0.5: off by +0.5), so a prediction read back at an output position describes pixels off its cell; the grid first moves off centre at Conv2d #2: give it an odd kernel with symmetric padding (for 'same', CG0002), no transposed-convolution padding, or a stride that reads its whole input (CG0009)"));

    [Fact]
    public Task CG0006_OutputPaddingBelowTheStride_IsClean() => VerifyAsync(
        Net("[Network(2, 16)]\n[ConvTranspose1d(4, 4, Stride = 2, OutputPadding = 1)]"));

    // CG0007: an empty output.

    [Fact]
    public Task CG0007_KernelLargerThanTheInput() => VerifyAsync(
        Net("[Network(1, 4, 4)]\n[{|CG0007:Conv2d(8, 5)|}]"),
        Error(0, "Conv2d #0: the output is empty along the height and the width (floor((4 + 0 + 0 - 5) / 1) + 1 = 0 < 1, with an effective kernel of 5): the kernel is larger than the padded input, so no window fits; use Padding = 1 or a smaller kernel"));

    [Fact]
    public Task CG0007_KernelAsLargeAsTheInput_IsClean() => VerifyAsync(
        Net("[Network(1, 4, 4)]\n[Conv2d(8, 4)]"));

    // CG0008: skip connections.

    [Fact]
    public Task CG0008_AddOfAnUnsavedTensor() => VerifyAsync(
        Net("[Network(2, 8, 8)]\n[Save(\"a\"), Conv2d(2, 3, Padding = 1)]\n[Add({|CG0008:\"b\"|})]"),
        Error(0, "Add #2: no tensor named 'b' was saved before this layer (saved: a); add [Save(\"b\")] earlier"));

    [Fact]
    public Task CG0008_MatchingSkips_AreClean() => VerifyAsync(
        Net("[Network(2, 8, 8)]\n[Save(\"a\"), Conv2d(2, 3, Padding = 1), Add(\"a\"), Concat(\"a\"), Save(\"b\"), MaxPool2d(2), Conv2d(4, 1), Add(\"b\", Projection = true)]"));

    // CG0009: strides that never read the last input rows/columns (warning, with the dropped count).

    [Fact]
    public Task CG0009_StrideDropsInput_OnBothAxes_OneWarning() => VerifyAsync(
        // Outputs start at rows 0 and 4 and cover 0..2 and 4..6: rows 7 and 8 are never read.
        Net("[Network(2, 9, 9)]\n[Conv2d(4, 3, {|CG0009:Stride = 4|})]"),
        Warning(0, "Conv2d #0: the last input rows and columns are never read along the height and the width (stride 4: (n + p_before + p_after - k_eff) mod s = (9 + 0 + 0 - 3) mod 4 = 2 position(s) after the last window, 2 of them input): they never affect the output, and the output grid sits off-centre on the input; pad the end: PadBottom = 2, PadRight = 2"));

    [Fact]
    public Task CG0009_PoolingWithTheDefaultStride_CountsPaddingAndDilation() => VerifyAsync(
        // Stride defaults to the window, k_eff = 2*(4-1)+1 = 7: windows start at padded positions 0, 4, 8 and reach
        // 14; positions 15, 16 (real input) and 17 (right padding) are never read.
        Net("[Network(2, 16)]\n[{|CG0009:MaxPool1d(4, Padding = 1, Dilation = 2)|}]"),
        Warning(0, "MaxPool1d #0: the last input samples are never read along the length (stride 4: (n + p_before + p_after - k_eff) mod s = (16 + 1 + 1 - 7) mod 4 = 3 position(s) after the last window, 2 of them input): they never affect the output, and the output grid sits off-centre on the input; set CeilMode = true, which adds a last window over them"));

    [Fact]
    public Task CG0009_OneDroppedRow() => VerifyAsync(
        // (8 - 3) mod 2 = 1: the last row and column are never read.
        Net("[Network(2, 8, 8)]\n[Conv2d(4, 3, {|CG0009:Stride = 2|})]"),
        Warning(0, "Conv2d #0: the last input rows and columns are never read along the height and the width (stride 2: (n + p_before + p_after - k_eff) mod s = (8 + 0 + 0 - 3) mod 2 = 1 position(s) after the last window, 1 of them input): they never affect the output, and the output grid sits off-centre on the input; pad the end: PadBottom = 1, PadRight = 1"));

    [Fact]
    public Task CG0009_StridesThatCoverTheInput_AreClean() => VerifyAsync(
        // (9 - 3) mod 2 = 0; stride 1 reads everything; ceil-mode pooling reads the tail; (4 + 1 + 1 - 3) mod 2 = 1
        // unreached position is right padding, not input.
        Net("[Network(2, 9, 9)]\n[Conv2d(4, 3, Stride = 2), Conv2d(4, 3, Padding = 1), MaxPool2d(2, CeilMode = true), Conv2d(4, 3, Stride = 2, Padding = 1)]"));

    // CG0010: padding modes.

    [Fact]
    public Task CG0010_ReflectPaddingTooLarge() => VerifyAsync(
        Net("[Network(1, 4, 4)]\n[Conv2d(2, 3, {|CG0010:PaddingMode = PaddingMode.Reflect|}, Padding = 4)]"),
        Error(0, "Conv2d #0: reflect padding must be smaller than the input: padding (top 4, bottom 4, left 4, right 4) on input [1, 4, 4] needs max(p) < n, but 4 >= 4, so there is no pixel to mirror and PyTorch rejects it; use PaddingMode.Replicate or padding of at most 3"));

    [Fact]
    public Task CG0010_ReflectPaddingSmallerThanTheInput_IsClean() => VerifyAsync(
        Net("[Network(1, 4, 4)]\n[Conv2d(2, 3, PaddingMode = PaddingMode.Reflect, Padding = 1), Conv2d(2, 3, PaddingMode = PaddingMode.Circular, Padding = 2)]"));

    // CG0011: a bias that the next BatchNorm cancels (info).

    [Fact]
    public Task CG0011_BiasBeforeBatchNorm_OnTheLayer() => VerifyAsync(
        Net("[Network(2, 8, 8)]\n[{|CG0011:Conv2d(4, 3, Padding = 1)|}, BatchNorm2d, ReLU]"),
        Info(0, "Conv2d #0: its bias is redundant: BatchNorm2d #1 right after it subtracts the per-channel mean, which cancels any per-channel constant; set Bias = false (saves 4 parameters)"));

    [Fact]
    public Task CG0011_BiasBeforeBatchNorm_OnTheWrittenBiasArgument() => VerifyAsync(
        Net("[Network(2, 8, 8)]\n[Flatten, Linear(10, {|CG0011:Bias = true|}), BatchNorm1d(Name = \"bn\")]"),
        Info(0, "Linear #1: its bias is redundant: BatchNorm1d #2 'bn' right after it subtracts the per-channel mean, which cancels any per-channel constant; set Bias = false (saves 10 parameters)"));

    [Fact]
    public Task CG0011_NoBias_OrNotDirectlyFollowed_IsClean() => VerifyAsync(
        Net("[Network(2, 8, 8)]\n[Conv2d(4, 3, Padding = 1, Bias = false), BatchNorm2d, Conv2d(4, 3, Padding = 1), ReLU, BatchNorm2d]"));

    // CG0012: invalid class or hyper-parameters.

    [Fact]
    public Task CG0012_ClassNotPartial() => VerifyAsync(
        "using ConvGen;\n\nnamespace Tests;\n\n[Network(1, 8, 8)]\n[ReLU]\npublic class {|CG0012:Net|}\n{\n}\n",
        Error(0, "Network 'Net' must be declared 'partial' so that ConvGen can add its generated members"));

    [Fact]
    public Task CG0012_PartialTopLevelClass_IsClean() => VerifyAsync(
        "using ConvGen;\n\nnamespace Tests;\n\n[Network(1, 8, 8)]\n[ReLU]\ninternal sealed partial class Net\n{\n}\n\npublic class NotANetwork\n{\n}\n");

    // CG0013: dense-prediction output grids off the input's pixel centres.

    [Fact]
    public Task CG0013_HalfPixelShift_FromAnEvenKernel() => VerifyAsync(
        // A 2x2 window centres output 0 between input pixels 0 and 1: at 1, not 0.5.
        Net("[Network(3, 8, 8, {|CG0013:DensePrediction = true|})]\n[Conv2d(4, 2), ReLU]"),
        Warning(0, "The output grid is misaligned with the input along the height and the width (output 0's centre is at input coordinate 1, but a cell 1 pixel(s) wide centred on its footprint would be at 0.5: off by +0.5), so a prediction read back at an output position describes pixels off its cell; the grid first moves off centre at Conv2d #0: give it an odd kernel with symmetric padding (for 'same', CG0002), no transposed-convolution padding, or a stride that reads its whole input (CG0009)"));

    [Fact]
    public Task CG0013_HalfPixelShift_AfterAStride() => VerifyAsync(
        // Stride 2 with 'same'-like padding: cells are 2 pixels wide, so their centres should be at 1, 3, 5...
        Net("[Network(3, 9, 9, {|CG0013:DensePrediction = true|})]\n[Conv2d(4, 3, Stride = 2, Padding = 1)]"),
        Warning(0, "The output grid is misaligned with the input along the height and the width (output 0's centre is at input coordinate 0.5, but a cell 2 pixel(s) wide centred on its footprint would be at 1: off by -0.5), so a prediction read back at an output position describes pixels off its cell; the grid first moves off centre at Conv2d #0: give it an odd kernel with symmetric padding (for 'same', CG0002), no transposed-convolution padding, or a stride that reads its whole input (CG0009)"));

    [Fact]
    public Task CG0013_OnePixelShift_FromCausalPadding() => VerifyAsync(
        Net("[Network(2, 16, {|CG0013:DensePrediction = true|})]\n[Conv1d(4, 3, Pad = Pad.Causal)]"),
        Warning(0, "The output grid is misaligned with the input along the length (output 0's centre is at input coordinate -0.5, but a cell 1 pixel(s) wide centred on its footprint would be at 0.5: off by -1), so a prediction read back at an output position describes pixels off its cell; the grid first moves off centre at Conv1d #0: give it an odd kernel with symmetric padding (for 'same', CG0002), no transposed-convolution padding, or a stride that reads its whole input (CG0009)"));

    [Fact]
    public Task CG0013_OnePixelShift_OnOneAxisOnly() => VerifyAsync(
        Net("[Network(2, 8, 8, {|CG0013:DensePrediction = true|})]\n[Conv2d(4, 3, PadTop = 2, PadBottom = 0, PaddingW = 1)]"),
        Warning(0, "The output grid is misaligned with the input along the height (output 0's centre is at input coordinate -0.5, but a cell 1 pixel(s) wide centred on its footprint would be at 0.5: off by -1), so a prediction read back at an output position describes pixels off its cell; the grid first moves off centre at Conv2d #0: give it an odd kernel with symmetric padding (for 'same', CG0002), no transposed-convolution padding, or a stride that reads its whole input (CG0009)"));

    [Fact]
    public Task CG0013_AlignedDensePrediction_IsClean() => VerifyAsync(
        // 'same' 3x3, then 2x2 pooling: cells 2 pixels wide centred at 1, 3, 5...; nearest upsampling back to 1.
        Net("[Network(3, 8, 8, DensePrediction = true)]\n[Conv2d(4, 3, Padding = 1), ReLU, MaxPool2d(2), Conv2d(4, 3, Padding = 1), Upsample(2), Conv2d(2, 1)]"));

    [Fact]
    public Task CG0013_MisalignedWithoutDensePrediction_IsClean() => VerifyAsync(
        Net("[Network(3, 8, 8)]\n[Conv2d(4, 2), ReLU]"));
}
