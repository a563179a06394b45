using ConvGen;

namespace DesignDiagnostics;

/// <summary>
/// CG0009 (warning): a stride-2 convolution that never reads part of its input. On a 32-pixel axis with kernel 3
/// and no padding, the windows start at 0, 2, …, 28 and end at pixel 30: pixel 31 (the last row and the last
/// column) is never read.
/// </summary>
/// <remarks>
/// You see one warning on <c>Stride = 2</c>, naming both axes: "Conv2d #0: the last input rows and columns are never
/// read along the height and the width (stride 2: (n + p_before + p_after - k_eff) mod s = (32 + 0 + 0 - 3) mod 2 = 1
/// position(s) after the last window, 1 of them input): they never affect the output, and the output grid sits
/// off-centre on the input; pad the end: PadBottom = 1, PadRight = 1".
/// Fix: make (n + p_before + p_after − k_eff) divisible by the stride, e.g. <c>[Conv2d(8, 4, Stride = 2, Padding = 1)]</c>
/// (32 + 2 − 4 = 30) or <c>[Conv2d(8, 2, Stride = 2)]</c> (32 − 2 = 30). <c>[Conv2d(8, 3, Stride = 2, Padding = 1)]</c>
/// also silences the rule: the one position it skips is the right padding, so every pixel is read.
/// </remarks>
[Network(3, 32, 32)]
[Conv2d(8, 3, Stride = 2), ReLU]
internal sealed partial class DroppedRowDownsampler
{
}
