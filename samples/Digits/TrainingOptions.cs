using System;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace DigitsSample;

/// <summary>The command line: <c>Digits [--epochs N] [--seed N] [--out DIR]</c>.</summary>
/// <param name="Epochs">Passes over the training images.</param>
/// <param name="Seed">Seeds the split, the initial weights, the shuffling and dropout.</param>
/// <param name="OutputDirectory">Where the weights, the test set and the chart are written.</param>
internal sealed record TrainingOptions(int Epochs, int Seed, string OutputDirectory)
{
    /// <summary>The usage text.</summary>
    public const string Usage =
        "usage: Digits [--epochs N] [--seed N] [--out DIR]\n" +
        "  --epochs N  passes over the training images (default 10)\n" +
        "  --seed N    seeds the split, the initial weights, the shuffling and dropout (default 0)\n" +
        "  --out DIR   where digits-net.safetensors, digits-test.safetensors and digits-training.png go\n" +
        "              (default: the program's own folder)";

    /// <summary>Reads the command line.</summary>
    /// <param name="args">The arguments.</param>
    /// <param name="options">The options, when they parse.</param>
    /// <param name="error">What is wrong, when they do not; null for <c>--help</c>.</param>
    /// <returns>Whether to run.</returns>
    public static bool TryParse(string[] args, [NotNullWhen(true)] out TrainingOptions? options, out string? error)
    {
        options = new TrainingOptions(Epochs: 10, Seed: 0, OutputDirectory: AppContext.BaseDirectory);
        error = null;
        for (int i = 0; i < args.Length; i++)
        {
            string name = args[i];
            if (name is "-h" or "--help")
            {
                options = null;
                return false;
            }

            if (i + 1 >= args.Length)
            {
                (options, error) = (null, $"'{name}' needs a value.");
                return false;
            }

            string value = args[++i];
            switch (name)
            {
                case "--epochs" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int epochs) && epochs > 0:
                    options = options with { Epochs = epochs };
                    break;
                case "--seed" when int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int seed):
                    options = options with { Seed = seed };
                    break;
                case "--out":
                    options = options with { OutputDirectory = value };
                    break;
                default:
                    (options, error) = (null, $"Unknown option or bad value: '{name} {value}'.");
                    return false;
            }
        }

        return true;
    }
}
