using ConvGen;

namespace DesignDiagnostics;

/// <summary>
/// CG0005 (warning): a transposed convolution with kernel 3 and stride 2. The kernel is not a multiple of the
/// stride, so alternate output rows and columns receive two contributions and one: a checkerboard.
/// </summary>
/// <remarks>
/// You see one warning on the kernel size <c>3</c>, naming both axes: "ConvTranspose2d #0: the overlap is uneven along
/// the height and the width (kernel 3 is not divisible by stride 2: neighbouring outputs receive 2,1,2,1,…
/// contributions), which paints checkerboard artifacts; use kernel 4 (or Upsample(nearest) + Conv, or Conv +
/// PixelShuffle)".
/// Fix: <c>[ConvTranspose2d(8, 4, Stride = 2, Padding = 1)]</c> (same 16×16 output, every output gets 2 taps per
/// axis), or <c>[Upsample(2), Conv2d(8, 3, Padding = 1)]</c>, or <c>[Conv2d(32, 3, Padding = 1), PixelShuffle(2)]</c>.
/// </remarks>
[Network(16, 8, 8)]
[ConvTranspose2d(8, 3, Stride = 2, Padding = 1, OutputPadding = 1), ReLU]
internal sealed partial class CheckerboardUpsampler
{
}
