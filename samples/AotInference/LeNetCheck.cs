using System;
using System.Globalization;
using LeNet5Sample;

namespace AotInference;

/// <summary>The LeNet-5 smoke check: the LeNet sample's 16 test digits, one line per digit.</summary>
internal static class LeNetCheck
{
    /// <summary>At least this many of the sample digits must be classified right.</summary>
    private const int MinCorrect = 15;

    /// <summary>Classifies the digits in <paramref name="digitsPath"/> with the weights in <paramref name="weightsPath"/> and prints each result.</summary>
    /// <param name="weightsPath">LeNet-5 weights (safetensors).</param>
    /// <param name="digitsPath">32×32 test digits with labels (safetensors).</param>
    /// <returns>Whether enough digits were right.</returns>
    public static bool Run(string weightsPath, string digitsPath)
    {
        Console.WriteLine($"weights: {weightsPath}");
        Console.WriteLine($"digits:  {digitsPath}");
        var net = new LeNet5(LeNet5.LoadWeights(weightsPath));
        LabeledImages samples = LabeledImages.Load(digitsPath, LeNet5.InputLength);

        Console.WriteLine("image  label  predicted");
        int correct = samples.Classify(net, (i, predicted, ok) => Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{i,5}  {samples.Labels[i],5}  {predicted,9}{(ok ? "" : "  <- wrong")}")));

        bool pass = correct >= MinCorrect && samples.Count > 0;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{correct}/{samples.Count} correct (need {MinCorrect}): {(pass ? "PASS" : "FAIL")}"));
        return pass;
    }
}
