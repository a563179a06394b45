using System;
using System.Collections.Generic;
using System.IO;

namespace ConvGen;

public sealed partial class ModelWeights
{
    /// <summary>
    /// Reads a safetensors file (as written by <c>safetensors.torch.save_file</c>). F32 and I64 tensors are read as they
    /// are; F64, F16 and BF16 tensors are converted to F32 (F16 and BF16 exactly; F64 rounded to nearest, ±infinity beyond
    /// float's range), so saving them again writes F32. Other dtypes are refused. The file is checked as strictly as the
    /// reference implementation checks it. Files up to 2 GB are supported.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <returns>The tensors in the order of the file's header, with its <c>"__metadata__"</c> in <see cref="Metadata"/>.</returns>
    /// <exception cref="WeightsFormatException">The file is malformed; the message names it and says what was expected and found.</exception>
    public static ModelWeights LoadSafetensors(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return SafetensorsReader.Read(File.ReadAllBytes(path), path);
    }

    /// <summary>
    /// Reads a safetensors file, then checks it against the network with <see cref="Validate"/>
    /// (which adds a missing batch-norm <c>num_batches_tracked</c>, holding 0).
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="expected">The tensors the network expects.</param>
    /// <returns>The validated weights.</returns>
    /// <exception cref="WeightsFormatException">The file is malformed.</exception>
    /// <exception cref="WeightsMismatchException">The file does not hold what the network expects.</exception>
    public static ModelWeights LoadSafetensors(string path, IReadOnlyList<TensorSpec> expected)
    {
        ModelWeights weights = LoadSafetensors(path);
        weights.Validate(expected);
        return weights;
    }

    /// <summary>Reads safetensors data from memory; see <see cref="LoadSafetensors(string)"/> for the dtypes and checks.</summary>
    /// <param name="bytes">The whole file.</param>
    /// <returns>The tensors in the order of the header.</returns>
    /// <exception cref="WeightsFormatException">The data is malformed.</exception>
    public static ModelWeights ReadSafetensors(ReadOnlySpan<byte> bytes) => SafetensorsReader.Read(bytes, source: null);

    /// <summary>Reads safetensors data from the stream's position to its end; see <see cref="LoadSafetensors(string)"/>.</summary>
    /// <param name="stream">The stream; it is read to the end and left open.</param>
    /// <returns>The tensors in the order of the header.</returns>
    /// <exception cref="WeightsFormatException">The data is malformed or longer than 2 GB.</exception>
    public static ModelWeights ReadSafetensors(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (stream.CanSeek && stream.Length - stream.Position > Array.MaxLength)
        {
            throw new WeightsFormatException($"Invalid safetensors data: expected at most {Array.MaxLength} bytes, found {stream.Length - stream.Position}.");
        }

        using var buffer = stream.CanSeek ? new MemoryStream((int)(stream.Length - stream.Position)) : new MemoryStream();
        stream.CopyTo(buffer);
        return SafetensorsReader.Read(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), source: null);
    }

    /// <summary>
    /// Writes the weights as a safetensors file that <c>safetensors.torch.load_file</c> reads: the bytes
    /// <c>safetensors.torch.save_file</c> would write for the same tensors and metadata. Float tensors are written as F32,
    /// int64 ones as I64; tensors are sorted I64 first, then by name (as the reference does, which keeps every tensor
    /// aligned), so a file read back lists its tensors in that order.
    /// </summary>
    /// <param name="path">The file; it is replaced if it exists.</param>
    public void SaveSafetensors(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None);
        SafetensorsWriter.Write(this, file);
    }

    /// <summary>Writes the weights in the safetensors format to a stream; see <see cref="SaveSafetensors"/>.</summary>
    /// <param name="stream">The stream; it is left open.</param>
    public void WriteSafetensors(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        SafetensorsWriter.Write(this, stream);
    }

    /// <summary>The weights in the safetensors format; see <see cref="SaveSafetensors"/>.</summary>
    /// <returns>The whole file.</returns>
    /// <exception cref="InvalidOperationException">The file would exceed the largest byte array.</exception>
    public byte[] ToSafetensorsBytes() => SafetensorsWriter.ToBytes(this);
}
