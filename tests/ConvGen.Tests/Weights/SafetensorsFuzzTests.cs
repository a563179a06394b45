using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using Xunit;

namespace ConvGen.Tests.Weights;

/// <summary>
/// Seeded mutations of valid safetensors files (F32, I64, F16 and BF16 tensors, metadata, a scalar and a zero-element
/// tensor) through the reader: flipped, inserted, deleted and truncated bytes, a rewritten header length, and header
/// text edits (numbers made huge, negative or swapped, keys duplicated, escapes and invalid UTF-8 spliced in, dtypes
/// and brackets changed). Every outcome must be a model or a <see cref="WeightsFormatException"/> (never another
/// exception type), and reading must not allocate far beyond the file's size.
/// </summary>
public sealed class SafetensorsFuzzTests
{
    private const int Mutations = 3000;

    private static readonly string[] Splices =
    {
        "\\ud800", "\\udc00\\ud800", "\\u0000", "\"", "\\", "{", "}", "[", "]", ",", ":", "-1", "1e400", "18446744073709551616",
        "4294967296", "2147483648", "0", "null", "true", "\"F64\"", "\"U8\"", "\"__metadata__\"", "\"t\"",
    };

    public static TheoryData<int> Shards() => new() { 0, 1, 2, 3 };

    [Theory]
    [MemberData(nameof(Shards))]
    public void Mutated_files_read_or_fail_with_a_format_error_only(int shard)
    {
        byte[] valid = ValidFile();
        var random = new Random(7919 + shard);
        for (int i = 0; i < Mutations / 4; i++)
        {
            byte[] file = Mutate(valid, random, out string how);
            long before = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                ModelWeights.ReadSafetensors(file);
            }
            catch (WeightsFormatException)
            {
            }
            catch (Exception e)
            {
                Assert.Fail($"{how}: {e.GetType().Name}: {e.Message}\n{Describe(file)}");
            }

            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.True(allocated <= (16L * file.Length) + (1 << 20), $"{how}: reading {file.Length} bytes allocated {allocated}");
        }
    }

    /// <summary>Several dtypes, metadata, a scalar and an empty tensor, as the writer lays them out.</summary>
    private static byte[] ValidFile()
    {
        var header = new StringBuilder("{\"__metadata__\":{\"format\":\"pt\",\"note\":\"fuzz\"},");
        var data = new List<byte>();
        void Add(string name, string dtype, string shape, int bytes)
        {
            header.Append(CultureInfo.InvariantCulture, $"\"{name}\":{{\"dtype\":\"{dtype}\",\"shape\":{shape},\"data_offsets\":[{data.Count},{data.Count + bytes}]}},");
            for (int b = 0; b < bytes; b++)
            {
                data.Add((byte)(b * 37));
            }
        }

        Add("0.weight", "F32", "[2,3]", 24);
        Add("0.bias", "F32", "[2]", 8);
        Add("1.num_batches_tracked", "I64", "[]", 8);
        Add("2.weight", "F16", "[4]", 8);
        Add("3.weight", "BF16", "[2,1]", 4);
        Add("4.empty", "F32", "[3,0]", 0);
        header[^1] = '}';
        return WeightsTestData.Raw(header.ToString(), data.ToArray());
    }

    private static byte[] Mutate(byte[] valid, Random random, out string how)
    {
        var bytes = new List<byte>(valid);
        int headerEnd = 8 + (int)BitConverter.ToUInt64(valid, 0);
        int kinds = 1 + random.Next(3);
        var steps = new List<string>();
        for (int k = 0; k < kinds; k++)
        {
            int at = random.Next(Math.Max(1, bytes.Count));
            switch (random.Next(8))
            {
                case 0:
                    if (bytes.Count > 0)
                    {
                        bytes[at] ^= (byte)(1 << random.Next(8));
                        steps.Add($"flip bit at {at}");
                    }

                    break;
                case 1:
                    bytes.Insert(at, (byte)random.Next(256));
                    steps.Add($"insert byte at {at}");
                    break;
                case 2:
                    if (bytes.Count > 0)
                    {
                        bytes.RemoveAt(at);
                        steps.Add($"delete byte at {at}");
                    }

                    break;
                case 3:
                    int keep = random.Next(bytes.Count + 1);
                    bytes.RemoveRange(keep, bytes.Count - keep);
                    steps.Add($"truncate to {keep}");
                    break;
                case 4:
                    ulong length = random.Next(3) switch { 0 => (ulong)random.Next(0, headerEnd + 16), 1 => ulong.MaxValue - (ulong)random.Next(16), _ => (ulong)random.NextInt64() };
                    if (bytes.Count >= 8)
                    {
                        byte[] le = BitConverter.GetBytes(length);
                        for (int b = 0; b < 8; b++)
                        {
                            bytes[b] = le[b];
                        }

                        steps.Add($"header length {length}");
                    }

                    break;
                case 5:
                    // A header splice at a random header position (the length prefix is kept in step).
                    int pos = 8 + random.Next(Math.Max(1, Math.Min(bytes.Count, headerEnd) - 8));
                    byte[] splice = Encoding.UTF8.GetBytes(Splices[random.Next(Splices.Length)]);
                    bytes.InsertRange(Math.Min(pos, bytes.Count), splice);
                    Relength(bytes, splice.Length);
                    steps.Add($"splice '{Encoding.UTF8.GetString(splice)}' at {pos}");
                    break;
                case 6:
                    // Invalid UTF-8 (a lone continuation byte or a truncated sequence) inside the header.
                    int where = 8 + random.Next(Math.Max(1, Math.Min(bytes.Count, headerEnd) - 8));
                    byte[] bad = random.Next(2) == 0 ? new byte[] { 0x80 } : new byte[] { 0xE2, 0x82 };
                    bytes.InsertRange(Math.Min(where, bytes.Count), bad);
                    Relength(bytes, bad.Length);
                    steps.Add($"invalid UTF-8 at {where}");
                    break;
                default:
                    // A number in the header replaced by another (huge, negative, zero or a neighbour's).
                    if (bytes.Count <= 8)
                    {
                        break;
                    }

                    string text = Encoding.UTF8.GetString(bytes.GetRange(8, Math.Max(0, Math.Min(bytes.Count, headerEnd) - 8)).ToArray());
                    var digits = new List<int>();
                    for (int c = 0; c < text.Length; c++)
                    {
                        if (char.IsAsciiDigit(text[c]) && (c == 0 || !char.IsAsciiDigit(text[c - 1])))
                        {
                            digits.Add(c);
                        }
                    }

                    if (digits.Count == 0)
                    {
                        break;
                    }

                    int start = digits[random.Next(digits.Count)], end = start;
                    while (end < text.Length && char.IsAsciiDigit(text[end]))
                    {
                        end++;
                    }

                    string number = random.Next(5) switch { 0 => "4294967297", 1 => "-3", 2 => "0", 3 => "9223372036854775807", _ => random.Next(64).ToString(CultureInfo.InvariantCulture) };
                    string edited = text[..start] + number + text[end..];
                    byte[] head = Encoding.UTF8.GetBytes(edited);
                    int oldLength = Math.Max(0, Math.Min(bytes.Count, headerEnd) - 8);
                    bytes.RemoveRange(8, oldLength);
                    bytes.InsertRange(8, head);
                    Relength(bytes, head.Length - oldLength);
                    steps.Add($"number at {start} -> {number}");
                    break;
            }
        }

        how = string.Join("; ", steps);
        return bytes.ToArray();
    }

    /// <summary>Adds <paramref name="delta"/> to the header length prefix, where there is one.</summary>
    private static void Relength(List<byte> bytes, int delta)
    {
        if (bytes.Count < 8)
        {
            return;
        }

        byte[] prefix = bytes.GetRange(0, 8).ToArray();
        ulong length = unchecked(BitConverter.ToUInt64(prefix, 0) + (ulong)(long)delta);
        byte[] le = BitConverter.GetBytes(length);
        for (int b = 0; b < 8; b++)
        {
            bytes[b] = le[b];
        }
    }

    private static string Describe(byte[] file) => file.Length > 8
        ? Encoding.UTF8.GetString(file, 8, Math.Min(file.Length - 8, 400))
        : Convert.ToHexString(file);
}
