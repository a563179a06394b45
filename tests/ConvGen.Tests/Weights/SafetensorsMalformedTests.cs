using System;
using System.IO;
using Xunit;

namespace ConvGen.Tests.Weights;

/// <summary>Every malformed file fails with a <see cref="WeightsFormatException"/> saying what was expected and what was found.</summary>
public class SafetensorsMalformedTests
{
    private static string Fails(byte[] file)
    {
        WeightsFormatException e = Assert.Throws<WeightsFormatException>(() => ModelWeights.ReadSafetensors(file));
        Assert.StartsWith("Invalid safetensors data: ", e.Message);
        return e.Message;
    }

    private static string Fails(string header, int dataBytes) => Fails(WeightsTestData.Raw(header, WeightsTestData.Zeros(dataBytes)));

    private const string T24 = "{\"t\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,24]}}";

    [Fact]
    public void The_valid_base_case_reads()
    {
        Assert.Equal(new[] { 2, 3 }, ModelWeights.ReadSafetensors(WeightsTestData.Raw(T24, new byte[24]))["t"].Shape);
    }

    [Theory]
    [InlineData("{\"\\ud800\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 9)]
    [InlineData("{\"t\":{\"dtype\":\"\\udc00\",\"shape\":[1],\"data_offsets\":[0,4]}}", 22)]
    [InlineData("{\"__metadata__\":{\"\\ud800x\":\"v\"},\"t\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 25)]
    [InlineData("{\"__metadata__\":{\"k\":\"a\\ud800\"},\"t\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 29)]
    public void A_lone_surrogate_escape_is_a_format_error_at_its_byte(string header, int offset)
    {
        // GetString throws InvalidOperationException for these; the reader reports them as the file's error, at the
        // byte of the string's opening quote.
        string message = Fails(header, 4);

        Assert.Contains($"the header's string at byte {offset} of the file is not valid UTF-16", message);
    }

    [Fact]
    public void A_zero_element_tensor_with_huge_dimensions_reads()
    {
        // Legal in the reference implementation: 65536 · 65536 · 0 elements, no bytes.
        var weights = ModelWeights.ReadSafetensors(WeightsTestData.Raw("{\"z\":{\"dtype\":\"F32\",\"shape\":[65536,65536,0],\"data_offsets\":[0,0]}}", Array.Empty<byte>()));

        Assert.Equal(new[] { 65536, 65536, 0 }, weights["z"].Shape);
        Assert.Empty(weights["z"].Data);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(7)]
    public void Too_short_for_the_length_prefix(int length)
    {
        string message = Fails(new byte[length]);

        Assert.Contains("expected at least 8 bytes", message);
        Assert.Contains($"found {length}.", message);
    }

    [Fact]
    public void Header_length_beyond_the_file()
    {
        string message = Fails(WeightsTestData.Raw("{}", new byte[10], declaredLength: 1000));

        Assert.Contains("the header length is 1000 bytes, but only 12 bytes follow the 8-byte length prefix", message);
    }

    [Fact]
    public void Header_length_that_does_not_fit_in_memory_at_all()
    {
        Assert.Contains("above the 100000000-byte limit", Fails(WeightsTestData.Raw("{}", Array.Empty<byte>(), declaredLength: ulong.MaxValue)));
    }

    [Theory]
    [InlineData("", "found an empty header")]
    [InlineData("[1,2]   ", "expected the header to start with '{', found byte 0x5B")]
    [InlineData(" {}     ", "expected the header to start with '{', found byte 0x20")]
    public void Header_that_is_not_an_object(string header, string expected)
    {
        Assert.Contains(expected, Fails(header, 0));
    }

    [Theory]
    [InlineData("{\"t\":")]
    [InlineData("{\"t\":{\"dtype\":\"F32\",}}")]
    [InlineData("{'t':1}")]
    [InlineData("{} x")]
    [InlineData("{}\0\0\0\0\0\0")]
    [InlineData("{/* comment */}")]
    public void Invalid_JSON(string header)
    {
        Assert.Contains("the header is not valid JSON: ", Fails(header, 0));
    }

    [Fact]
    public void Header_that_is_not_UTF8()
    {
        byte[] header = { (byte)'{', (byte)'"', 0xFF, (byte)'"', (byte)':', (byte)'1', (byte)'}' };

        Assert.Contains("the header is not valid UTF-8", Fails(WeightsTestData.Raw(header, Array.Empty<byte>())));
    }

    [Fact]
    public void Unknown_dtype()
    {
        string message = Fails("{\"t\":{\"dtype\":\"F33\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8);

        Assert.Contains("tensor 't' has unknown dtype 'F33'; expected F32 or I64 (F64, F16 and BF16 are converted to F32)", message);
    }

    [Theory]
    [InlineData("I32")]
    [InlineData("U8")]
    [InlineData("BOOL")]
    [InlineData("F8_E4M3")]
    public void Dtype_of_the_format_that_is_not_read(string dtype)
    {
        string message = Fails($"{{\"t\":{{\"dtype\":\"{dtype}\",\"shape\":[8],\"data_offsets\":[0,8]}}}}", 8);

        Assert.Contains($"tensor 't' has dtype {dtype}, which ConvGen does not read", message);
    }

    [Fact]
    public void Data_offsets_that_do_not_match_shape_and_dtype()
    {
        string message = Fails("{\"t\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,20]}}", 20);

        Assert.Contains("tensor 't' has dtype F32 and shape [2, 3], so it needs 24 bytes, but its data_offsets [0, 20] span 20.", message);
    }

    [Fact]
    public void Shape_whose_size_overflows()
    {
        string message = Fails("{\"t\":{\"dtype\":\"I64\",\"shape\":[2147483647,2147483647,2147483647],\"data_offsets\":[0,8]}}", 8);

        Assert.Contains("so it needs more bytes than a file can hold", message);
    }

    [Fact]
    public void Offsets_beyond_the_data_section()
    {
        string message = Fails(T24, 16);

        Assert.Contains("tensor 't' has data_offsets [0, 24], beyond the end of the 16-byte data section.", message);
    }

    [Fact]
    public void Offsets_that_end_before_they_begin()
    {
        Assert.Contains("tensor 't' has data_offsets [24, 0], which end before they begin.",
            Fails("{\"t\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[24,0]}}", 24));
    }

    [Fact]
    public void Overlapping_tensors()
    {
        string message = Fails(
            "{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]},\"b\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[8,24]}}", 24);

        Assert.Contains("tensors 'a' (data_offsets [0, 16]) and 'b' (data_offsets [8, 24]) overlap.", message);
    }

    [Fact]
    public void Two_tensors_on_the_same_bytes_overlap()
    {
        string message = Fails(
            "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,8]}}", 8);

        Assert.Contains("overlap", message);
    }

    [Fact]
    public void A_gap_between_tensors()
    {
        string message = Fails(
            "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[16,24]}}", 24);

        Assert.Contains("bytes [8, 16) of the data section belong to no tensor (the next is 'b')", message);
    }

    [Fact]
    public void Bytes_after_the_last_tensor()
    {
        string message = Fails("{\"t\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 12);

        Assert.Contains("the data section holds 12 bytes, but the tensors end at byte 8; the last 4 bytes belong to no tensor.", message);
    }

    [Fact]
    public void Duplicate_tensor_names()
    {
        string message = Fails(
            "{\"t\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"t\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8);

        Assert.Contains("the header describes tensor 't' twice; tensor names must be unique.", message);
    }

    [Fact]
    public void Duplicate_names_written_with_different_escapes_are_still_duplicates()
    {
        Assert.Contains("describes tensor 't' twice",
            Fails("{\"t\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"\\u0074\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8));
    }

    [Theory]
    [InlineData("{\"t\":[1]}", "expected tensor 't' to be described by an object with \"dtype\", \"shape\" and \"data_offsets\", found an array.")]
    [InlineData("{\"t\":{\"shape\":[1],\"data_offsets\":[0,4]}}", "tensor 't' has no \"dtype\"")]
    [InlineData("{\"t\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}}", "tensor 't' has no \"shape\"")]
    [InlineData("{\"t\":{\"dtype\":\"F32\",\"shape\":[1]}}", "tensor 't' has no \"data_offsets\"")]
    [InlineData("{\"t\":{\"dtype\":32,\"shape\":[1],\"data_offsets\":[0,4]}}", "expected the \"dtype\" of tensor 't' to be a string, found the number 32.")]
    [InlineData("{\"t\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", "expected the \"shape\" of tensor 't' to hold non-negative integers, found the number -1.")]
    [InlineData("{\"t\":{\"dtype\":\"F32\",\"shape\":[1.0],\"data_offsets\":[0,4]}}", "found the number 1.0.")]
    [InlineData("{\"t\":{\"dtype\":\"F32\",\"shape\":\"1\",\"data_offsets\":[0,4]}}", "to be an array of non-negative integers, found the string \"1\".")]
    [InlineData("{\"t\":{\"dtype\":\"F32\",\"shape\":[3000000000],\"data_offsets\":[0,4]}}", "tensor 't' has a dimension of 3000000000; at most 2147483647 is supported.")]
    [InlineData("{\"t\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4,8]}}", "to be [begin, end], two non-negative integers, found 3 integers.")]
    [InlineData("{\"t\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0]}}", "found 1 integers.")]
    [InlineData("{\"t\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,null]}}", "found null in it.")]
    [InlineData("{\"t\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":{}}}", "found an object.")]
    [InlineData("{\"t\":{\"dtype\":\"F32\",\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", "tensor 't' has \"dtype\" twice.")]
    [InlineData("{\"__metadata__\":[],\"t\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", "expected \"__metadata__\" to be an object of strings, found an array.")]
    [InlineData("{\"__metadata__\":{\"a\":1},\"t\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", "expected the value of \"__metadata__\" entry 'a' to be a string, found the number 1.")]
    [InlineData("{\"__metadata__\":{\"a\":\"1\",\"a\":\"2\"},\"t\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", "\"__metadata__\" holds the key 'a' twice.")]
    [InlineData("{\"__metadata__\":{},\"__metadata__\":{},\"t\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", "the header holds \"__metadata__\" twice.")]
    public void Header_entries_that_are_not_what_the_format_says(string header, string expected)
    {
        Assert.Contains(expected, Fails(header, 4));
    }

    [Fact]
    public void Unknown_fields_and_null_metadata_are_accepted_as_the_reference_accepts_them()
    {
        ModelWeights weights = ModelWeights.ReadSafetensors(WeightsTestData.Raw(
            "{\"__metadata__\":null,\"t\":{\"dtype\":\"F32\",\"extra\":{\"x\":[1,2]},\"shape\":[1],\"data_offsets\":[0,4]}}\t\n  ", new byte[4]));

        Assert.Equal(new[] { "t" }, weights.Names);
        Assert.Empty(weights.Metadata);
    }

    [Fact]
    public void A_file_error_names_the_file()
    {
        string path = Path.Combine(Path.GetTempPath(), $"convgen-malformed-{Guid.NewGuid():N}.safetensors");
        try
        {
            File.WriteAllBytes(path, new byte[3]);

            WeightsFormatException e = Assert.Throws<WeightsFormatException>(() => ModelWeights.LoadSafetensors(path));

            Assert.StartsWith($"Invalid safetensors file '{path}': expected at least 8 bytes", e.Message);
            Assert.IsAssignableFrom<IOException>(e);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_stream_error_is_the_same_error()
    {
        using var stream = new MemoryStream(WeightsTestData.Raw(T24, new byte[16]));

        Assert.Contains("beyond the end of the 16-byte data section", Assert.Throws<WeightsFormatException>(() => ModelWeights.ReadSafetensors(stream)).Message);
    }

    /// <summary>Every truncation and a sweep of byte corruptions of a real file: a clean error or a clean read, never anything else.</summary>
    [Fact]
    public void Truncated_or_corrupted_files_never_fail_any_other_way()
    {
        byte[] file = File.ReadAllBytes(WeightsTestData.Fixture("pytorch_small.safetensors"));
        for (int length = 0; length < file.Length; length++)
        {
            Assert.Throws<WeightsFormatException>(() => ModelWeights.ReadSafetensors(file.AsSpan(0, length)));
        }

        byte[] replacements = { 0x00, 0x20, (byte)'"', (byte)'0', (byte)'9', (byte)'[', (byte)'{', (byte)'}', (byte)'-', 0xFF };
        int headerEnd = 8 + (int)WeightsTestData.HeaderLength(file);
        for (int position = 0; position < headerEnd; position++)
        {
            foreach (byte replacement in replacements)
            {
                byte[] corrupted = (byte[])file.Clone();
                corrupted[position] = replacement;
                try
                {
                    ModelWeights.ReadSafetensors(corrupted);
                }
                catch (WeightsFormatException)
                {
                }
            }
        }
    }
}
