using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using ConvGen;
using LeNet5Sample;

string data = Path.Combine(AppContext.BaseDirectory, "data");
Console.WriteLine(LeNet5.Summary);
Console.WriteLine();

var net = new LeNet5(LeNet5.LoadWeights(Path.Combine(data, "lenet5.safetensors")));
var samples = ModelWeights.LoadSafetensors(Path.Combine(data, "digits-sample.safetensors"));
float[] images = samples["images"].Data;
long[] labels = samples["labels"].Int64Data!;
float[] torchLogits = samples["logits"].Data;
int count = labels.Length;

var logits = new float[count * LeNet5.OutputLength];
net.Forward(images, logits, count);

int correct = 0;
float worst = 0;
Console.WriteLine("image  label  predicted  logits (ConvGen)");
for (int i = 0; i < count; i++)
{
    var row = logits.AsSpan(i * 10, 10);
    int predicted = 0;
    for (int k = 1; k < 10; k++)
    {
        if (row[k] > row[predicted])
        {
            predicted = k;
        }
    }

    for (int k = 0; k < 10; k++)
    {
        worst = MathF.Max(worst, MathF.Abs(row[k] - torchLogits[(i * 10) + k]));
    }

    correct += predicted == labels[i] ? 1 : 0;
    Console.WriteLine($"{i,5}  {labels[i],5}  {predicted,9}  {string.Join(' ', row.ToArray().Select(v => v.ToString("+0.00;-0.00", System.Globalization.CultureInfo.InvariantCulture)))}");
}

Console.WriteLine($"\n{correct}/{count} correct; largest difference from PyTorch's logits: {worst:E2}");

// Time per inference, batch 1, after a second of warm-up (so the JIT has tiered the kernels up).
var one = new float[LeNet5.OutputLength];
var warmUp = Stopwatch.StartNew();
while (warmUp.ElapsedMilliseconds < 1000)
{
    net.Forward(images.AsSpan(0, LeNet5.InputLength), one, 1);
}

const int Runs = 20000;
var watch = Stopwatch.StartNew();
for (int i = 0; i < Runs; i++)
{
    net.Forward(images.AsSpan((i % count) * LeNet5.InputLength, LeNet5.InputLength), one, 1);
}

watch.Stop();
Console.WriteLine($"Time per inference (batch 1, one thread, {Runs} runs): {watch.Elapsed.TotalMicroseconds / Runs:F1} µs");
