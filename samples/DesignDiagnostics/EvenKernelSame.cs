using ConvGen;

namespace DesignDiagnostics;

/// <summary>
/// CG0002 (warning): 'same' padding with an even kernel. The total padding d(k − 1) = 3 is odd, so PyTorch puts
/// 1 before and 2 after, and every output is centred half a pixel right of and below its input pixel.
/// </summary>
/// <remarks>
/// You see one warning on <c>Pad = Pad.Same</c>, naming both axes: "Conv2d #0: padding 'same' cannot be split evenly
/// along the height and the width (d(k-1) = 1*(4-1) = 3 is odd: PyTorch pads 1 before and 2 after), which shifts the
/// output grid by half a pixel; make the padding explicit or use kernel size 5".
/// Fix: <c>[Conv2d(8, 5, Pad = Pad.Same)]</c> (an odd kernel splits evenly), or, to keep the trained 4×4 weights,
/// write the split out: <c>[Conv2d(8, 4, Padding = 1, PadRight = 2, PadBottom = 2)]</c>. The code fix offers both.
/// </remarks>
[Network(3, 32, 32)]
[Conv2d(8, 4, Pad = Pad.Same), ReLU]
[Conv2d(8, 3, Padding = 1)]
internal sealed partial class EvenKernelSame
{
}
