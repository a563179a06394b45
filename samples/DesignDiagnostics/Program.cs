using System;
using System.Globalization;
using DesignDiagnostics;

// The point of this sample is its build output (see README.md). At run time it shows the layer table of the
// CG0013 network, where the receptive-field start of the 2x2 convolution moves from 0.5 to 1 (the half-pixel
// shift), and runs that network once on random weights to show that warnings do not stop code generation.
Console.WriteLine(ShiftedSegmenter.Summary);
Console.WriteLine();

var net = new ShiftedSegmenter(ShiftedSegmenter.CreateWeights(seed: 1));
var input = new float[ShiftedSegmenter.InputLength];
for (int i = 0; i < input.Length; i++)
{
    input[i] = MathF.Sin(i * 0.01f);
}

var output = new float[ShiftedSegmenter.OutputLength];
net.Forward(input, output, 1);

double sum = 0;
foreach (float v in output)
{
    sum += v;
}

Console.WriteLine(string.Create(
    CultureInfo.InvariantCulture,
    $"Forward: [{string.Join(", ", ShiftedSegmenter.InputShape)}] -> [{string.Join(", ", ShiftedSegmenter.OutputShape)}], output sum {sum:F4}"));
