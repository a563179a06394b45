using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;

namespace ConvGen;

/// <summary>
/// Writes the safetensors format byte for byte as the reference implementation's <c>serialize</c> does
/// (what <c>safetensors.torch.save_file</c> writes): tensors sorted by dtype alignment, largest first, then by name;
/// compact JSON with <c>"__metadata__"</c> first; the header padded with spaces to a multiple of 8 bytes.
/// </summary>
internal static class SafetensorsWriter
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static byte[] ToBytes(ModelWeights weights)
    {
        (byte[] header, List<Tensor> order, long dataLength) = Prepare(weights);
        long total = 8 + header.Length + dataLength;
        if (total > Array.MaxLength)
        {
            throw new InvalidOperationException($"The safetensors file would take {total} bytes, more than one array holds; save it to a file or stream instead.");
        }

        var bytes = new byte[total];
        using (var stream = new MemoryStream(bytes))
        {
            Write(stream, header, order);
        }

        return bytes;
    }

    public static void Write(ModelWeights weights, Stream stream)
    {
        (byte[] header, List<Tensor> order, _) = Prepare(weights);
        Write(stream, header, order);
    }

    private static void Write(Stream stream, byte[] header, List<Tensor> order)
    {
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
        stream.Write(length);
        stream.Write(header);
        foreach (Tensor tensor in order)
        {
            if (tensor.DType == TensorDType.I64)
            {
                WriteLittleEndian(stream, tensor.Int64Data!);
            }
            else
            {
                WriteLittleEndian(stream, tensor.Data);
            }
        }
    }

    private static (byte[] Header, List<Tensor> Order, long DataLength) Prepare(ModelWeights weights)
    {
        var named = new List<(byte[] Utf8Name, Tensor Tensor)>(weights.Count);
        foreach (Tensor tensor in weights)
        {
            named.Add((EncodeName(tensor.Name), tensor));
        }

        // The reference sorts by dtype, descending in its enum order (…, F32, F64, I64, U64), so I64 comes before F32;
        // that keeps every tensor aligned to its element size. Names then compare as UTF-8 bytes, as Rust strings do.
        named.Sort((a, b) =>
        {
            int bySize = ElementSize(b.Tensor.DType).CompareTo(ElementSize(a.Tensor.DType));
            return bySize != 0 ? bySize : a.Utf8Name.AsSpan().SequenceCompareTo(b.Utf8Name);
        });

        var json = new StringBuilder("{");
        if (weights.Metadata.Count > 0)
        {
            var keys = new List<(byte[] Utf8, string Key)>();
            foreach (string key in weights.Metadata.Keys)
            {
                keys.Add((EncodeName(key), key));
            }

            keys.Sort((a, b) => a.Utf8.AsSpan().SequenceCompareTo(b.Utf8));
            json.Append("\"__metadata__\":{");
            for (int i = 0; i < keys.Count; i++)
            {
                if (i > 0)
                {
                    json.Append(',');
                }

                AppendString(json, keys[i].Key);
                json.Append(':');
                AppendString(json, weights.Metadata[keys[i].Key]
                    ?? throw new InvalidOperationException($"The metadata value of '{keys[i].Key}' is null; safetensors metadata values are strings."));
            }

            json.Append('}');
            if (named.Count > 0)
            {
                json.Append(',');
            }
        }

        long offset = 0;
        for (int i = 0; i < named.Count; i++)
        {
            Tensor tensor = named[i].Tensor;
            long end = offset + ((long)tensor.ElementCount * ElementSize(tensor.DType));
            if (i > 0)
            {
                json.Append(',');
            }

            AppendString(json, tensor.Name);
            json.Append(":{\"dtype\":\"").Append(tensor.DType == TensorDType.I64 ? "I64" : "F32").Append("\",\"shape\":[");
            for (int d = 0; d < tensor.Shape.Length; d++)
            {
                if (d > 0)
                {
                    json.Append(',');
                }

                json.Append(tensor.Shape[d].ToString(CultureInfo.InvariantCulture));
            }

            json.Append("],\"data_offsets\":[")
                .Append(offset.ToString(CultureInfo.InvariantCulture))
                .Append(',')
                .Append(end.ToString(CultureInfo.InvariantCulture))
                .Append("]}");
            offset = end;
        }

        json.Append('}');
        byte[] unpadded = StrictUtf8.GetBytes(json.ToString());
        int padded = (unpadded.Length + 7) & ~7;
        byte[] header = new byte[padded];
        unpadded.CopyTo(header, 0);
        header.AsSpan(unpadded.Length).Fill((byte)' ');

        var order = new List<Tensor>(named.Count);
        foreach ((_, Tensor tensor) in named)
        {
            order.Add(tensor);
        }

        return (header, order, offset);
    }

    private static int ElementSize(TensorDType dtype) => dtype == TensorDType.I64 ? 8 : 4;

    private static byte[] EncodeName(string name)
    {
        try
        {
            return StrictUtf8.GetBytes(name);
        }
        catch (EncoderFallbackException e)
        {
            throw new InvalidOperationException($"The name '{name}' holds an unpaired surrogate and cannot be written as UTF-8.", e);
        }
    }

    /// <summary>A JSON string escaped as serde_json escapes it: quote, backslash and control characters only.</summary>
    private static void AppendString(StringBuilder json, string value)
    {
        json.Append('"');
        foreach (char c in value)
        {
            switch (c)
            {
                case '"': json.Append("\\\""); break;
                case '\\': json.Append("\\\\"); break;
                case '\b': json.Append("\\b"); break;
                case '\f': json.Append("\\f"); break;
                case '\n': json.Append("\\n"); break;
                case '\r': json.Append("\\r"); break;
                case '\t': json.Append("\\t"); break;
                case < ' ': json.Append("\\u00").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture)); break;
                default: json.Append(c); break;
            }
        }

        json.Append('"');
    }

    private static void WriteLittleEndian(Stream stream, float[] values)
    {
        if (BitConverter.IsLittleEndian)
        {
            stream.Write(MemoryMarshal.AsBytes(values.AsSpan()));
            return;
        }

        Span<byte> buffer = stackalloc byte[4];
        foreach (float value in values)
        {
            BinaryPrimitives.WriteSingleLittleEndian(buffer, value);
            stream.Write(buffer);
        }
    }

    private static void WriteLittleEndian(Stream stream, long[] values)
    {
        if (BitConverter.IsLittleEndian)
        {
            stream.Write(MemoryMarshal.AsBytes(values.AsSpan()));
            return;
        }

        Span<byte> buffer = stackalloc byte[8];
        foreach (long value in values)
        {
            BinaryPrimitives.WriteInt64LittleEndian(buffer, value);
            stream.Write(buffer);
        }
    }
}
