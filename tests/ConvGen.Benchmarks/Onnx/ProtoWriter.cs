using System;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace ConvGen.Benchmarks.Onnx;

/// <summary>
/// A minimal protobuf encoder: wire types 0 (varint), 2 (length-delimited) and 5 (fixed32).
/// Enough to write the ONNX messages that <see cref="OnnxModelEncoder"/> needs; no dependency.
/// </summary>
internal sealed class ProtoWriter
{
    private const int WireVarint = 0;
    private const int WireLengthDelimited = 2;
    private const int WireFixed32 = 5;

    private byte[] _buffer = new byte[64];
    private int _length;

    /// <summary>The bytes written so far.</summary>
    public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, _length);

    /// <summary>Writes an int32/int64/enum field (negative values take 10 bytes, as protobuf requires).</summary>
    public void WriteInt64(int field, long value)
    {
        WriteTag(field, WireVarint);
        WriteRawVarint(unchecked((ulong)value));
    }

    /// <summary>Writes a float field (wire type 5, little-endian IEEE 754).</summary>
    public void WriteFloat(int field, float value)
    {
        WriteTag(field, WireFixed32);
        BinaryPrimitives.WriteSingleLittleEndian(Grow(4), value);
    }

    /// <summary>Writes a string field as UTF-8.</summary>
    public void WriteString(int field, string value) => WriteBytes(field, Encoding.UTF8.GetBytes(value));

    /// <summary>Writes a bytes field.</summary>
    public void WriteBytes(int field, ReadOnlySpan<byte> value)
    {
        WriteTag(field, WireLengthDelimited);
        WriteRawVarint((ulong)value.Length);
        value.CopyTo(Grow(value.Length));
    }

    /// <summary>Writes floats as little-endian bytes (used for TensorProto.raw_data).</summary>
    public void WriteFloatsAsBytes(int field, ReadOnlySpan<float> values)
    {
        if (BitConverter.IsLittleEndian)
        {
            WriteBytes(field, MemoryMarshal.AsBytes(values));
            return;
        }

        WriteTag(field, WireLengthDelimited);
        WriteRawVarint((ulong)values.Length * 4);
        Span<byte> target = Grow(values.Length * 4);
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(target.Slice(i * 4, 4), values[i]);
        }
    }

    /// <summary>Writes an embedded message that <paramref name="write"/> fills in.</summary>
    public void WriteMessage(int field, Action<ProtoWriter> write)
    {
        var child = new ProtoWriter();
        write(child);
        WriteBytes(field, child.Written);
    }

    /// <summary>A copy of the bytes written so far.</summary>
    public byte[] ToArray() => Written.ToArray();

    private void WriteTag(int field, int wireType) => WriteRawVarint(((ulong)(uint)field << 3) | (uint)wireType);

    private void WriteRawVarint(ulong value)
    {
        while (value >= 0x80)
        {
            Grow(1)[0] = (byte)(value | 0x80);
            value >>= 7;
        }

        Grow(1)[0] = (byte)value;
    }

    private Span<byte> Grow(int count)
    {
        if (_length + count > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + count));
        }

        Span<byte> span = _buffer.AsSpan(_length, count);
        _length += count;
        return span;
    }
}
