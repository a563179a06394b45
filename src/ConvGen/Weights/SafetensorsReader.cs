using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace ConvGen;

/// <summary>
/// Parses the safetensors format and checks it as strictly as the reference implementation (huggingface/safetensors):
/// a file that library rejects is rejected here too, with a message that says what was expected and what was found.
/// </summary>
internal static class SafetensorsReader
{
    /// <summary>The reference implementation refuses headers longer than this.</summary>
    public const ulong MaxHeaderLength = 100_000_000;

    private const string MetadataKey = "__metadata__";

    private const string TorchSave =
        "this looks like a PyTorch .pt/.pth file (torch.save), not safetensors; " +
        "save with safetensors.torch.save_file(model.state_dict(), path).";

    public static ModelWeights Read(ReadOnlySpan<byte> file, string? source)
    {
        var fail = new Failure(source);
        if (IsZip(file))
        {
            // A safetensors header cannot start at byte 8 of a zip entry, so this is never a safetensors file.
            throw fail.With(TorchSave + " (It is a zip archive, which is what torch.save writes since PyTorch 1.6.)");
        }

        if (file.Length < 8)
        {
            throw fail.Structure(file, $"expected at least 8 bytes (a little-endian u64 header length, then the header), found {file.Length}.");
        }

        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(file);
        if (headerLength > MaxHeaderLength)
        {
            throw fail.Structure(file, $"the header length is {headerLength} bytes, above the {MaxHeaderLength}-byte limit of the format.");
        }

        if (headerLength > (ulong)(file.Length - 8))
        {
            throw fail.Structure(file, $"the header length is {headerLength} bytes, but only {file.Length - 8} bytes follow the 8-byte length prefix.");
        }

        ReadOnlySpan<byte> header = file.Slice(8, (int)headerLength);
        ReadOnlySpan<byte> data = file.Slice(8 + (int)headerLength);
        if (header.IsEmpty || header[0] != (byte)'{')
        {
            string found = header.IsEmpty ? "an empty header" : $"byte 0x{header[0]:X2}";
            throw fail.Structure(file, $"expected the header to start with '{{', found {found}.");
        }

        if (!Utf8.IsValid(header))
        {
            throw fail.With("the header is not valid UTF-8.");
        }

        var weights = new ModelWeights();
        List<Entry> entries;
        try
        {
            entries = ParseHeader(header, weights.Metadata, fail);
        }
        catch (JsonException e)
        {
            throw new WeightsFormatException($"{fail.Prefix}: the header is not valid JSON: {e.Message}", e);
        }

        CheckEntries(entries, data.Length, fail);
        foreach (Entry entry in entries)
        {
            weights.Add(Decode(entry, data.Slice((int)entry.Begin, (int)(entry.End - entry.Begin))));
        }

        return weights;
    }

    private static List<Entry> ParseHeader(ReadOnlySpan<byte> header, IDictionary<string, string> metadata, Failure fail)
    {
        var json = new Utf8JsonReader(header, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        json.Read(); // the first byte is '{', so this is the root object's start
        var entries = new List<Entry>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        bool sawMetadata = false;
        while (json.Read() && json.TokenType != JsonTokenType.EndObject)
        {
            string name = Text(ref json, fail);
            json.Read();
            if (name == MetadataKey)
            {
                if (sawMetadata)
                {
                    throw fail.With($"the header holds \"{MetadataKey}\" twice.");
                }

                sawMetadata = true;
                ReadMetadata(ref json, metadata, fail);
            }
            else
            {
                if (!names.Add(name))
                {
                    throw fail.With($"the header describes tensor '{name}' twice; tensor names must be unique.");
                }

                entries.Add(ReadEntry(ref json, name, fail));
            }
        }

        if (json.Read())
        {
            throw fail.With($"expected only whitespace after the header's JSON object, found {Describe(ref json)}.");
        }

        return entries;
    }

    /// <summary>
    /// The current JSON string. A string that does not decode to valid UTF-16 (a lone surrogate escape such as
    /// <c>"\ud800"</c>) makes <see cref="Utf8JsonReader.GetString"/> throw <see cref="InvalidOperationException"/>; here it
    /// is the file's format error, at its byte offset.
    /// </summary>
    private static string Text(ref Utf8JsonReader json, Failure fail)
    {
        try
        {
            return json.GetString()!;
        }
        catch (InvalidOperationException)
        {
            throw fail.With($"the header's string at byte {8 + json.TokenStartIndex} of the file is not valid UTF-16 (a lone surrogate escape such as \\ud800).");
        }
    }

    private static void ReadMetadata(ref Utf8JsonReader json, IDictionary<string, string> metadata, Failure fail)
    {
        if (json.TokenType == JsonTokenType.Null)
        {
            return;
        }

        if (json.TokenType != JsonTokenType.StartObject)
        {
            throw fail.With($"expected \"{MetadataKey}\" to be an object of strings, found {Describe(ref json)}.");
        }

        while (json.Read() && json.TokenType != JsonTokenType.EndObject)
        {
            string key = Text(ref json, fail);
            json.Read();
            if (json.TokenType != JsonTokenType.String)
            {
                throw fail.With($"expected the value of \"{MetadataKey}\" entry '{key}' to be a string, found {Describe(ref json)}.");
            }

            if (!metadata.TryAdd(key, Text(ref json, fail)))
            {
                throw fail.With($"\"{MetadataKey}\" holds the key '{key}' twice.");
            }
        }
    }

    private static Entry ReadEntry(ref Utf8JsonReader json, string name, Failure fail)
    {
        if (json.TokenType != JsonTokenType.StartObject)
        {
            throw fail.With($"expected tensor '{name}' to be described by an object with \"dtype\", \"shape\" and \"data_offsets\", found {Describe(ref json)}.");
        }

        string? dtype = null;
        int[]? shape = null;
        ulong[]? offsets = null;
        while (json.Read() && json.TokenType != JsonTokenType.EndObject)
        {
            string field = Text(ref json, fail);
            json.Read();
            switch (field)
            {
                case "dtype":
                    CheckFirst(dtype is null, name, field, fail);
                    if (json.TokenType != JsonTokenType.String)
                    {
                        throw fail.With($"expected the \"dtype\" of tensor '{name}' to be a string, found {Describe(ref json)}.");
                    }

                    dtype = Text(ref json, fail);
                    break;
                case "shape":
                    CheckFirst(shape is null, name, field, fail);
                    shape = ReadShape(ref json, name, fail);
                    break;
                case "data_offsets":
                    CheckFirst(offsets is null, name, field, fail);
                    offsets = ReadOffsets(ref json, name, fail);
                    break;
                default:
                    // The reference implementation ignores fields it does not know; so do we.
                    json.Skip();
                    break;
            }
        }

        string? missingField = dtype is null ? "dtype" : shape is null ? "shape" : offsets is null ? "data_offsets" : null;
        if (missingField is not null)
        {
            throw fail.With($"tensor '{name}' has no \"{missingField}\"; each tensor needs \"dtype\", \"shape\" and \"data_offsets\".");
        }

        return new Entry(name, dtype!, shape!, offsets![0], offsets[1]);
    }

    private static void CheckFirst(bool first, string name, string field, Failure fail)
    {
        if (!first)
        {
            throw fail.With($"tensor '{name}' has \"{field}\" twice.");
        }
    }

    private static int[] ReadShape(ref Utf8JsonReader json, string name, Failure fail)
    {
        if (json.TokenType != JsonTokenType.StartArray)
        {
            throw fail.With($"expected the \"shape\" of tensor '{name}' to be an array of non-negative integers, found {Describe(ref json)}.");
        }

        var shape = new List<int>();
        while (json.Read() && json.TokenType != JsonTokenType.EndArray)
        {
            if (json.TokenType != JsonTokenType.Number || !json.TryGetUInt64(out ulong dim))
            {
                throw fail.With($"expected the \"shape\" of tensor '{name}' to hold non-negative integers, found {Describe(ref json)}.");
            }

            if (dim > int.MaxValue)
            {
                throw fail.With($"tensor '{name}' has a dimension of {dim}; at most {int.MaxValue} is supported.");
            }

            shape.Add((int)dim);
        }

        return shape.ToArray();
    }

    private static ulong[] ReadOffsets(ref Utf8JsonReader json, string name, Failure fail)
    {
        string expected = $"expected the \"data_offsets\" of tensor '{name}' to be [begin, end], two non-negative integers";
        if (json.TokenType != JsonTokenType.StartArray)
        {
            throw fail.With($"{expected}, found {Describe(ref json)}.");
        }

        var offsets = new List<ulong>(2);
        while (json.Read() && json.TokenType != JsonTokenType.EndArray)
        {
            if (json.TokenType != JsonTokenType.Number || !json.TryGetUInt64(out ulong offset))
            {
                throw fail.With($"{expected}, found {Describe(ref json)} in it.");
            }

            offsets.Add(offset);
        }

        if (offsets.Count != 2)
        {
            throw fail.With($"{expected}, found {offsets.Count} integers.");
        }

        return offsets.ToArray();
    }

    private static void CheckEntries(List<Entry> entries, int dataLength, Failure fail)
    {
        foreach (Entry entry in entries)
        {
            int elementSize = ElementSize(entry.DType, entry.Name, fail);
            if (entry.End < entry.Begin)
            {
                throw fail.With($"tensor '{entry.Name}' has data_offsets {entry.Offsets}, which end before they begin.");
            }

            if (entry.End > (ulong)dataLength)
            {
                throw fail.With($"tensor '{entry.Name}' has data_offsets {entry.Offsets}, beyond the end of the {dataLength}-byte data section.");
            }

            // Shape checks come after the range check, so the product is bounded only when it matters.
            ulong bytes = (ulong)elementSize;
            foreach (int dim in entry.Shape)
            {
                bytes = Math.BigMul(bytes, (ulong)dim, out ulong low) == 0 ? low : ulong.MaxValue;
            }

            if (bytes != entry.End - entry.Begin)
            {
                string needs = bytes == ulong.MaxValue ? "more bytes than a file can hold" : $"{bytes} bytes";
                throw fail.With(
                    $"tensor '{entry.Name}' has dtype {entry.DType} and shape {ShapeText.Format(entry.Shape)}, so it needs {needs}, " +
                    $"but its data_offsets {entry.Offsets} span {entry.End - entry.Begin}.");
            }
        }

        // Like the reference implementation: sorted by offset, the tensors must tile the data section exactly.
        var byOffset = new List<Entry>(entries);
        byOffset.Sort((a, b) => a.Begin != b.Begin ? a.Begin.CompareTo(b.Begin) : a.End.CompareTo(b.End));
        ulong expectedBegin = 0;
        Entry? previous = null;
        foreach (Entry entry in byOffset)
        {
            if (entry.Begin < expectedBegin)
            {
                throw fail.With($"tensors '{previous!.Name}' (data_offsets {previous.Offsets}) and '{entry.Name}' (data_offsets {entry.Offsets}) overlap.");
            }

            if (entry.Begin > expectedBegin)
            {
                throw fail.With(
                    $"bytes [{expectedBegin}, {entry.Begin}) of the data section belong to no tensor (the next is '{entry.Name}'); " +
                    "tensors must be stored contiguously from offset 0.");
            }

            expectedBegin = entry.End;
            previous = entry;
        }

        if (expectedBegin != (ulong)dataLength)
        {
            throw fail.With(
                $"the data section holds {dataLength} bytes, but the tensors end at byte {expectedBegin}; " +
                $"the last {(ulong)dataLength - expectedBegin} bytes belong to no tensor.");
        }
    }

    private static int ElementSize(string dtype, string name, Failure fail) => dtype switch
    {
        "F32" => 4,
        "I64" => 8,
        "F64" => 8,
        "F16" or "BF16" => 2,
        "BOOL" or "U8" or "I8" or "F8_E5M2" or "F8_E4M3" or "F8_E8M0" or "I16" or "U16" or "I32" or "U32" or "U64" or "F4" or "F6_E2M3" or "F6_E3M2" or "C64"
            => throw fail.With($"tensor '{name}' has dtype {dtype}, which ConvGen does not read; expected F32 or I64 (F64, F16 and BF16 are converted to F32)."),
        _ => throw fail.With($"tensor '{name}' has unknown dtype '{dtype}'; expected F32 or I64 (F64, F16 and BF16 are converted to F32)."),
    };

    private static Tensor Decode(Entry entry, ReadOnlySpan<byte> bytes)
    {
        int count = bytes.Length / ElementSizeOf(entry.DType);
        switch (entry.DType)
        {
            case "I64":
                var longs = new long[count];
                if (BitConverter.IsLittleEndian)
                {
                    bytes.CopyTo(MemoryMarshal.AsBytes(longs.AsSpan()));
                }
                else
                {
                    for (int i = 0; i < count; i++)
                    {
                        longs[i] = BinaryPrimitives.ReadInt64LittleEndian(bytes.Slice(8 * i));
                    }
                }

                return new Tensor(entry.Name, entry.Shape, longs);
            case "F32":
                var floats = new float[count];
                if (BitConverter.IsLittleEndian)
                {
                    bytes.CopyTo(MemoryMarshal.AsBytes(floats.AsSpan()));
                }
                else
                {
                    for (int i = 0; i < count; i++)
                    {
                        floats[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.Slice(4 * i));
                    }
                }

                return new Tensor(entry.Name, entry.Shape, floats);
            case "F64":
                var narrowed = new float[count];
                for (int i = 0; i < count; i++)
                {
                    // Round to nearest even, as torch's .float() does; beyond float's range becomes ±infinity.
                    narrowed[i] = (float)BinaryPrimitives.ReadDoubleLittleEndian(bytes.Slice(8 * i));
                }

                return new Tensor(entry.Name, entry.Shape, narrowed);
            case "F16":
                var halves = new float[count];
                for (int i = 0; i < count; i++)
                {
                    halves[i] = (float)BitConverter.UInt16BitsToHalf(BinaryPrimitives.ReadUInt16LittleEndian(bytes.Slice(2 * i)));
                }

                return new Tensor(entry.Name, entry.Shape, halves);
            default: // BF16: the top half of a float32
                var brains = new float[count];
                for (int i = 0; i < count; i++)
                {
                    brains[i] = BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(bytes.Slice(2 * i)) << 16);
                }

                return new Tensor(entry.Name, entry.Shape, brains);
        }
    }

    private static int ElementSizeOf(string dtype) => dtype switch
    {
        "F32" => 4,
        "F16" or "BF16" => 2,
        _ => 8,
    };

    /// <summary>"PK\x03\x04": a zip archive's first local file header, as <c>torch.save</c> writes since PyTorch 1.6.</summary>
    private static bool IsZip(ReadOnlySpan<byte> file) => file.StartsWith("PK\u0003\u0004"u8);

    /// <summary>
    /// The PROTO opcode (0x80) and a protocol from 2 to 5 that start a pickle stream, as the legacy <c>torch.save</c> writes.
    /// A safetensors header length may start with these bytes too, so this is only a guess to make once the file has
    /// failed to read as safetensors.
    /// </summary>
    private static bool IsPickle(ReadOnlySpan<byte> file) => file.Length >= 2 && file[0] == 0x80 && file[1] is >= 2 and <= 5;

    private static string Describe(ref Utf8JsonReader json) => json.TokenType switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => $"the string \"{json.GetString()}\"",
        JsonTokenType.Number => $"the number {Encoding.UTF8.GetString(json.ValueSpan)}",
        JsonTokenType.True => "true",
        JsonTokenType.False => "false",
        JsonTokenType.Null => "null",
        _ => json.TokenType.ToString(),
    };

    private sealed record Entry(string Name, string DType, int[] Shape, ulong Begin, ulong End)
    {
        public string Offsets => string.Create(CultureInfo.InvariantCulture, $"[{Begin}, {End}]");
    }

    /// <summary>Builds exceptions whose messages name the file (or say it was a buffer).</summary>
    private readonly struct Failure(string? source)
    {
        public string Prefix { get; } = source is null ? "Invalid safetensors data" : $"Invalid safetensors file '{source}'";

        public WeightsFormatException With(string detail) => new($"{Prefix}: {detail}");

        /// <summary>
        /// The file has not even the structure of safetensors (length prefix, then a JSON object): when it starts like a
        /// pickle, say it is probably a legacy <c>torch.save</c> file, keeping <paramref name="detail"/> in case it is not.
        /// </summary>
        public WeightsFormatException Structure(ReadOnlySpan<byte> file, string detail) => IsPickle(file)
            ? With($"{TorchSave} (It starts with 0x80 0x{file[1]:X2}, a pickle stream, which is what torch.save wrote before PyTorch 1.6. " +
                $"Read as safetensors: {detail.TrimEnd('.')}.)")
            : With(detail);
    }
}
