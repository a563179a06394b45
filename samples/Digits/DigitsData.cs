using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using ConvGen;

namespace DigitsSample;

/// <summary>
/// Labelled 8×8 digit images: <see cref="Images"/> holds <see cref="Count"/> × 64 floats in [0, 1] (NCHW with one channel),
/// <see cref="Labels"/> the class of each, 0 to 9, as int64 (what PyTorch and <see cref="ConvGen.Training.SoftmaxCrossEntropy"/> take).
/// </summary>
internal sealed class DigitsData
{
    /// <summary>Pixels per image (8 × 8).</summary>
    public const int PixelCount = 64;

    /// <summary>The number of classes.</summary>
    public const int ClassCount = 10;

    /// <summary>The largest pixel value in the CSV file: each pixel counts the on pixels of a 4×4 block.</summary>
    private const int MaxPixel = 16;

    private DigitsData(float[] images, long[] labels)
    {
        Images = images;
        Labels = labels;
    }

    /// <summary>The images, row-major, one after the other.</summary>
    public float[] Images { get; }

    /// <summary>The labels, one per image.</summary>
    public long[] Labels { get; }

    /// <summary>The number of images.</summary>
    public int Count => Labels.Length;

    /// <summary>
    /// Reads the gzip-compressed CSV file: one image per line, 64 pixels 0..16 in row-major order, then the label 0..9.
    /// Pixels are divided by 16.
    /// </summary>
    /// <param name="path">The path of <c>digits.csv.gz</c>.</param>
    /// <returns>Every image of the file, in file order.</returns>
    /// <exception cref="InvalidDataException">A line does not hold 65 integers in range.</exception>
    public static DigitsData LoadCsvGz(string path)
    {
        var images = new List<float>();
        var labels = new List<long>();
        using var file = File.OpenRead(path);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        int lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }

            string[] fields = line.Split(',');
            if (fields.Length != PixelCount + 1)
            {
                throw new InvalidDataException($"{path}, line {lineNumber}: {fields.Length} fields, expected {PixelCount + 1} (64 pixels and the label).");
            }

            for (int i = 0; i < PixelCount; i++)
            {
                images.Add(ParseInRange(fields[i], MaxPixel, path, lineNumber) / (float)MaxPixel);
            }

            labels.Add(ParseInRange(fields[PixelCount], ClassCount - 1, path, lineNumber));
        }

        return new DigitsData(images.ToArray(), labels.ToArray());
    }

    /// <summary>
    /// Splits the indices 0..Count−1 into a training and a test part, class by class: each class's indices are shuffled
    /// with <paramref name="random"/> and the first round(<paramref name="testFraction"/> × class size) go to the test part.
    /// Both parts come back in ascending order.
    /// </summary>
    /// <param name="testFraction">The share of every class to hold out, in [0, 1].</param>
    /// <param name="random">The seeded generator that decides which images are held out.</param>
    /// <returns>The training indices and the test indices.</returns>
    public (int[] Train, int[] Test) StratifiedSplit(double testFraction, Random random)
    {
        var train = new List<int>();
        var test = new List<int>();
        for (int label = 0; label < ClassCount; label++)
        {
            var members = new List<int>();
            for (int i = 0; i < Count; i++)
            {
                if (Labels[i] == label)
                {
                    members.Add(i);
                }
            }

            int[] shuffled = members.ToArray();
            random.Shuffle(shuffled);
            int held = (int)Math.Round(testFraction * shuffled.Length, MidpointRounding.AwayFromZero);
            test.AddRange(shuffled.AsSpan(0, held));
            train.AddRange(shuffled.AsSpan(held));
        }

        train.Sort();
        test.Sort();
        return (train.ToArray(), test.ToArray());
    }

    /// <summary>The images at <paramref name="indices"/>, copied, in that order.</summary>
    /// <param name="indices">Indices into this set.</param>
    /// <returns>A new set.</returns>
    public DigitsData Subset(ReadOnlySpan<int> indices)
    {
        var images = new float[indices.Length * PixelCount];
        var labels = new long[indices.Length];
        CopyBatch(indices, images, labels);
        return new DigitsData(images, labels);
    }

    /// <summary>Copies the images and labels at <paramref name="indices"/> into the given buffers. Allocates nothing.</summary>
    /// <param name="indices">Indices into this set.</param>
    /// <param name="images">At least indices.Length × 64 floats.</param>
    /// <param name="labels">At least indices.Length labels.</param>
    public void CopyBatch(ReadOnlySpan<int> indices, Span<float> images, Span<long> labels)
    {
        for (int i = 0; i < indices.Length; i++)
        {
            Images.AsSpan(indices[i] * PixelCount, PixelCount).CopyTo(images.Slice(i * PixelCount, PixelCount));
            labels[i] = Labels[indices[i]];
        }
    }

    /// <summary>The number of images of each class.</summary>
    /// <returns>Ten counts, for the labels 0 to 9.</returns>
    public int[] CountPerClass()
    {
        var counts = new int[ClassCount];
        foreach (long label in Labels)
        {
            counts[label]++;
        }

        return counts;
    }

    /// <summary>
    /// The set as safetensors tensors: <c>images</c> F32 [n, 1, 8, 8] and <c>labels</c> I64 [n], the layout
    /// <c>samples/AotInference</c> reads (as it reads the LeNet sample's <c>digits-sample.safetensors</c>).
    /// </summary>
    /// <returns>Weights-shaped container holding the two tensors (arrays shared, not copied).</returns>
    public ModelWeights ToTensors() => new(
    [
        new Tensor("images", [Count, 1, 8, 8], Images),
        new Tensor("labels", [Count], Labels),
    ]);

    private static int ParseInRange(string field, int max, string path, int lineNumber)
    {
        if (!int.TryParse(field, NumberStyles.None, CultureInfo.InvariantCulture, out int value) || value > max)
        {
            throw new InvalidDataException($"{path}, line {lineNumber}: '{field}' is not an integer in [0, {max}].");
        }

        return value;
    }
}
