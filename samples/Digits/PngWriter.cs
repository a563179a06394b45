using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Compression;
using System.Text;

namespace DigitsSample;

/// <summary>
/// A minimal PNG encoder (the PNG specification, ISO/IEC 15948): 8-bit RGB, no interlacing, every scanline with filter
/// type 0 (None), the image data in one zlib-compressed IDAT chunk. Enough for the training curves; nothing else.
/// </summary>
internal static class PngWriter
{
    private static ReadOnlySpan<byte> Signature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>The CRC-32 lookup table (polynomial 0xEDB88320, reflected), one entry per byte value.</summary>
    private static readonly uint[] CrcTable = BuildCrcTable();

    /// <summary>Writes <paramref name="raster"/> to <paramref name="path"/> as a PNG file.</summary>
    /// <param name="path">The file to create or overwrite.</param>
    /// <param name="raster">The picture.</param>
    public static void Save(string path, Raster raster)
    {
        using var file = File.Create(path);
        Write(file, raster.Width, raster.Height, raster.Pixels);
    }

    /// <summary>Writes an 8-bit RGB image as PNG.</summary>
    /// <param name="stream">Where to write.</param>
    /// <param name="width">Pixels per row, at least 1.</param>
    /// <param name="height">Rows, at least 1.</param>
    /// <param name="rgb">width × height × 3 bytes, row by row from the top, R, G, B per pixel.</param>
    public static void Write(Stream stream, int width, int height, ReadOnlySpan<byte> rgb)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        int stride = width * 3;
        if (rgb.Length != (long)stride * height)
        {
            throw new ArgumentException($"An RGB image of {width} × {height} needs {(long)stride * height} bytes, not {rgb.Length}.", nameof(rgb));
        }

        stream.Write(Signature);

        Span<byte> header = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header[4..], height);
        header[8] = 8;   // bit depth
        header[9] = 2;   // colour type 2: RGB triples
        header[10] = 0;  // compression method 0: deflate
        header[11] = 0;  // filter method 0: adaptive, five filter types
        header[12] = 0;  // no interlacing
        WriteChunk(stream, "IHDR", header);

        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            for (int y = 0; y < height; y++)
            {
                zlib.WriteByte(0); // filter type 0 (None): the row's bytes as they are
                zlib.Write(rgb.Slice(y * stride, stride));
            }
        }

        WriteChunk(stream, "IDAT", compressed.GetBuffer().AsSpan(0, (int)compressed.Length));
        WriteChunk(stream, "IEND", []);
    }

    /// <summary>The CRC-32 of ISO 3309 / ITU-T V.42 that PNG (and zip, gzip) use.</summary>
    /// <param name="crc">The running value: 0xFFFFFFFF to start.</param>
    /// <param name="bytes">The bytes to add.</param>
    /// <returns>The running value; XOR it with 0xFFFFFFFF to finish.</returns>
    private static uint UpdateCrc(uint crc, ReadOnlySpan<byte> bytes)
    {
        foreach (byte b in bytes)
        {
            crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        return crc;
    }

    /// <summary>A chunk: data length (big-endian), 4-letter type, data, CRC-32 of type and data.</summary>
    private static void WriteChunk(Stream stream, string type, ReadOnlySpan<byte> data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        stream.Write(word);

        Span<byte> typeBytes = stackalloc byte[4];
        Encoding.ASCII.GetBytes(type, typeBytes);
        stream.Write(typeBytes);
        stream.Write(data);

        uint crc = UpdateCrc(UpdateCrc(0xFFFFFFFFu, typeBytes), data) ^ 0xFFFFFFFFu;
        BinaryPrimitives.WriteUInt32BigEndian(word, crc);
        stream.Write(word);
    }

    private static uint[] BuildCrcTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < table.Length; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }

            table[n] = c;
        }

        return table;
    }
}
