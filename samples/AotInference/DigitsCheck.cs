using System;
using System.Globalization;
using DigitsSample;

namespace AotInference;

/// <summary>The DigitsNet check: the Digits sample's trained weights on its held-out test set, summed up in one line.</summary>
internal static class DigitsCheck
{
    /// <summary>The accuracy the Digits sample itself requires.</summary>
    private const double MinPercent = 95;

    /// <summary>Classifies the digits in <paramref name="testPath"/> with the weights in <paramref name="weightsPath"/> and prints the accuracy.</summary>
    /// <param name="weightsPath">DigitsNet weights (safetensors), as <c>samples/Digits</c> writes them.</param>
    /// <param name="testPath">8×8 test digits with labels (safetensors), as <c>samples/Digits</c> writes them.</param>
    /// <returns>Whether the accuracy reaches <see cref="MinPercent"/>.</returns>
    public static bool Run(string weightsPath, string testPath)
    {
        Console.WriteLine($"digits net:  {weightsPath}");
        Console.WriteLine($"digits test: {testPath}");
        var net = new DigitsNet(DigitsNet.LoadWeights(weightsPath));
        LabeledImages test = LabeledImages.Load(testPath, DigitsNet.InputLength);

        int correct = test.Classify(net);
        double percent = test.Count == 0 ? 0 : 100.0 * correct / test.Count;
        bool pass = test.Count > 0 && percent >= MinPercent;
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"DigitsNet: {correct}/{test.Count} held-out digits correct ({percent:F1} %, need {MinPercent} %): {(pass ? "PASS" : "FAIL")}"));
        return pass;
    }
}
