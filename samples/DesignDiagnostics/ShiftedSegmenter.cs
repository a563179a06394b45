using ConvGen;

namespace DesignDiagnostics;

/// <summary>
/// CG0013 (warning): a dense-prediction network whose output grid is half a pixel off its input. The 2×2
/// convolution is padded on the right and bottom only (what 'same' does with an even kernel, written out), so its
/// output 0 is centred on input coordinate 1.0, the corner between pixels 0 and 1, instead of pixel 0's centre 0.5.
/// </summary>
/// <remarks>
/// You see one warning on the <c>[Network]</c> attribute, naming both axes: "The output grid is misaligned with the
/// input along the height and the width (output 0's centre is at input coordinate 1, but a cell 1 pixel(s) wide centred
/// on its footprint would be at 0.5: off by +0.5), so a prediction read back at an output position describes pixels off
/// its cell; the grid first moves off centre at Conv2d #2: …". The Summary's receptive-field column shows the start moving from 0.5 to 1.
/// Fix: use an odd kernel (<c>[Conv2d(8, 3, Padding = 1)]</c>), or cancel the shift with a second even kernel padded
/// on the other side (<c>[Conv2d(8, 2, PadLeft = 1, PadTop = 1)]</c>, which moves the centre back by half a pixel).
/// </remarks>
[Network(3, 32, 32, DensePrediction = true)]
[Conv2d(8, 3, Padding = 1), ReLU]
[Conv2d(8, 2, PadRight = 1, PadBottom = 1), ReLU]
[Conv2d(2, 1)]
internal sealed partial class ShiftedSegmenter
{
}
