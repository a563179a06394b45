using System;
using System.Globalization;
using System.IO;
using System.Runtime.Intrinsics;
using ConvGen;
using LeNet5Sample;

// Usage: AotInference [weights.safetensors] [digits.safetensors]
// Exit code 0 when at least MinCorrect of the sample digits are classified right, 1 otherwise (CI smoke check).
const int MinCorrect = 15;

try
{
    string data = Path.Combine(AppContext.BaseDirectory, "data");
    string weightsPath = args.Length > 0 ? args[0] : Path.Combine(data, "lenet5.safetensors");
    string digitsPath = args.Length > 1 ? args[1] : Path.Combine(data, "digits-sample.safetensors");

    Console.WriteLine(string.Create(
        CultureInfo.InvariantCulture,
        $"ConvGen LeNet-5 smoke check. Vector256 accelerated: {Vector256.IsHardwareAccelerated}, Vector512 accelerated: {Vector512.IsHardwareAccelerated}"));
    Console.WriteLine($"weights: {weightsPath}");
    Console.WriteLine($"digits:  {digitsPath}");

    var net = new LeNet5(LeNet5.LoadWeights(weightsPath));
    ModelWeights samples = ModelWeights.LoadSafetensors(digitsPath);
    float[] images = samples["images"].Data;
    long[] labels = samples["labels"].Int64Data
        ?? throw new InvalidDataException($"'labels' in {digitsPath} must be I64, not {samples["labels"].DType}.");
    int count = labels.Length;
    if (images.Length != count * LeNet5.InputLength)
    {
        throw new InvalidDataException($"'images' in {digitsPath} holds {images.Length} floats; {count} labels need {count * LeNet5.InputLength}.");
    }

    var logits = new float[count * LeNet5.OutputLength];
    net.Forward(images, logits, count);

    int correct = 0;
    Console.WriteLine("image  label  predicted");
    for (int i = 0; i < count; i++)
    {
        ReadOnlySpan<float> row = logits.AsSpan(i * LeNet5.OutputLength, LeNet5.OutputLength);
        int predicted = 0;
        for (int k = 1; k < row.Length; k++)
        {
            if (row[k] > row[predicted])
            {
                predicted = k;
            }
        }

        // NaN logits would make every comparison false and predict 0: count them as failures.
        bool finite = true;
        foreach (float v in row)
        {
            finite &= float.IsFinite(v);
        }

        bool ok = finite && predicted == labels[i];
        correct += ok ? 1 : 0;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{i,5}  {labels[i],5}  {predicted,9}{(ok ? "" : "  <- wrong")}"));
    }

    bool pass = correct >= MinCorrect && count > 0;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{correct}/{count} correct (need {MinCorrect}): {(pass ? "PASS" : "FAIL")}"));
    return pass ? 0 : 1;
}
#pragma warning disable CA1031 // The smoke check reports any failure as a non-zero exit code.
catch (Exception e)
#pragma warning restore CA1031
{
    Console.Error.WriteLine($"AotInference failed: {e}");
    return 1;
}
