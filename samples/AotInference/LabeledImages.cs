using System;
using System.IO;
using ConvGen;

namespace AotInference;

/// <summary>
/// Test images with their labels, as the samples store them in safetensors: <c>images</c> F32 [n, ...] and
/// <c>labels</c> I64 [n]; and how many of them a network classifies right.
/// </summary>
internal sealed class LabeledImages
{
    private LabeledImages(float[] images, long[] labels)
    {
        Images = images;
        Labels = labels;
    }

    /// <summary>The images, one after the other.</summary>
    public float[] Images { get; }

    /// <summary>The class of each image.</summary>
    public long[] Labels { get; }

    /// <summary>The number of images.</summary>
    public int Count => Labels.Length;

    /// <summary>Reads <paramref name="path"/> and checks that it holds <paramref name="inputLength"/> floats per label.</summary>
    /// <param name="path">A safetensors file with <c>images</c> and <c>labels</c>.</param>
    /// <param name="inputLength">Floats per image, the network's input length.</param>
    /// <returns>The images and labels.</returns>
    /// <exception cref="InvalidDataException">The labels are not I64, or the image count does not match.</exception>
    public static LabeledImages Load(string path, int inputLength)
    {
        ModelWeights samples = ModelWeights.LoadSafetensors(path);
        float[] images = samples["images"].Data;
        long[] labels = samples["labels"].Int64Data
            ?? throw new InvalidDataException($"'labels' in {path} must be I64, not {samples["labels"].DType}.");
        if (images.Length != labels.Length * inputLength)
        {
            throw new InvalidDataException($"'images' in {path} holds {images.Length} floats; {labels.Length} labels need {labels.Length * inputLength}.");
        }

        return new LabeledImages(images, labels);
    }

    /// <summary>
    /// Runs every image through <paramref name="network"/> in one batch and counts the right answers. A row with a
    /// non-finite logit counts as wrong: NaN logits would make every comparison false and predict 0.
    /// </summary>
    /// <param name="network">A network whose input length matches the images.</param>
    /// <param name="eachImage">Told, per image: its index, the predicted class, and whether that is right.</param>
    /// <returns>How many images were classified right.</returns>
    public int Classify(INetwork network, Action<int, int, bool>? eachImage = null)
    {
        var logits = new float[Count * network.OutputSize];
        network.Forward(Images, logits, Count);
        int correct = 0;
        for (int i = 0; i < Count; i++)
        {
            ReadOnlySpan<float> row = logits.AsSpan(i * network.OutputSize, network.OutputSize);
            int predicted = 0;
            bool finite = true;
            for (int k = 0; k < row.Length; k++)
            {
                finite &= float.IsFinite(row[k]);
                predicted = row[k] > row[predicted] ? k : predicted;
            }

            bool ok = finite && predicted == Labels[i];
            correct += ok ? 1 : 0;
            eachImage?.Invoke(i, predicted, ok);
        }

        return correct;
    }
}
