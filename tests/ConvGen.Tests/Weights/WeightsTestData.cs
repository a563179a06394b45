using System;
using System.Buffers.Binary;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;

namespace ConvGen.Tests.Weights;

/// <summary>Fixture paths and hand-built safetensors files for the weight tests.</summary>
internal static class WeightsTestData
{
    /// <summary>A file under tests/fixtures/weights, copied next to the test assembly or found in the source tree.</summary>
    public static string Fixture(string file)
    {
        string copied = Path.Combine(AppContext.BaseDirectory, "fixtures", "weights", file);
        if (File.Exists(copied))
        {
            return copied;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string inTree = Path.Combine(dir.FullName, "tests", "fixtures", "weights", file);
            if (File.Exists(inTree))
            {
                return inTree;
            }
        }

        throw new FileNotFoundException($"Fixture '{file}' is neither next to the tests nor under tests/fixtures/weights.", file);
    }

    /// <summary>A safetensors file built by hand: the header's byte count (or <paramref name="declaredLength"/>), the header, the data.</summary>
    public static byte[] Raw(string header, byte[] data, ulong? declaredLength = null)
    {
        byte[] json = Encoding.UTF8.GetBytes(header);
        return Raw(json, data, declaredLength);
    }

    public static byte[] Raw(byte[] header, byte[] data, ulong? declaredLength = null)
    {
        var file = new byte[8 + header.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(file, declaredLength ?? (ulong)header.Length);
        header.CopyTo(file, 8);
        data.CopyTo(file, 8 + header.Length);
        return file;
    }

    public static byte[] Floats(params float[] values) => MemoryMarshal.AsBytes(values.AsSpan()).ToArray();

    public static byte[] Zeros(int count) => new byte[count];

    public static ulong HeaderLength(byte[] file) => BinaryPrimitives.ReadUInt64LittleEndian(file);

    public static string HeaderText(byte[] file) => Encoding.UTF8.GetString(file, 8, (int)HeaderLength(file));

    public static uint Bits(float value) => BitConverter.SingleToUInt32Bits(value);

    public static uint[] Bits(float[] values) => values.Select(Bits).ToArray();
}
