using System.Linq;
using Xunit;

namespace ConvGen.Tests.Weights;

/// <summary>
/// Byte-level layout of written files. The expected headers are those the reference implementation's own tests
/// (huggingface/safetensors, tensor.rs: test_serialization, test_serialization_forced_alignement, test_empty) pin down.
/// </summary>
public class SafetensorsLayoutTests
{
    [Fact]
    public void A_header_that_fills_whole_8_byte_words_gets_no_padding()
    {
        var weights = new ModelWeights { new Tensor("attn.0", new[] { 1, 2, 3 }, new float[] { 0, 1, 2, 3, 4, 5 }) };

        byte[] file = weights.ToSafetensorsBytes();

        Assert.Equal(64UL, WeightsTestData.HeaderLength(file));
        Assert.Equal("{\"attn.0\":{\"dtype\":\"F32\",\"shape\":[1,2,3],\"data_offsets\":[0,24]}}", WeightsTestData.HeaderText(file));
        Assert.Equal(8 + 64 + 24, file.Length);
        Assert.Equal(WeightsTestData.Floats(0, 1, 2, 3, 4, 5), file.Skip(72).ToArray());
    }

    [Fact]
    public void The_header_is_padded_with_spaces_to_a_multiple_of_8_bytes()
    {
        var weights = new ModelWeights { new Tensor("attn0", new[] { 1, 1, 2, 3 }, new float[] { 0, 1, 2, 3, 4, 5 }) };

        byte[] file = weights.ToSafetensorsBytes();

        // 65 bytes of JSON + 7 spaces: the data then starts 8-byte aligned.
        Assert.Equal(72UL, WeightsTestData.HeaderLength(file));
        Assert.Equal("{\"attn0\":{\"dtype\":\"F32\",\"shape\":[1,1,2,3],\"data_offsets\":[0,24]}}       ", WeightsTestData.HeaderText(file));
        Assert.Equal(new byte[] { 0, 0, 0, 0, 0, 0, 128, 63 }, file.Skip(80).Take(8).ToArray());
        Assert.Equal(8 + 72 + 24, file.Length);
    }

    [Fact]
    public void Empty_weights_are_an_empty_object_padded_to_8_bytes()
    {
        byte[] file = new ModelWeights().ToSafetensorsBytes();

        Assert.Equal(new byte[] { 8, 0, 0, 0, 0, 0, 0, 0, (byte)'{', (byte)'}', 32, 32, 32, 32, 32, 32 }, file);
    }

    [Fact]
    public void Metadata_comes_first_in_the_header()
    {
        var weights = new ModelWeights();
        weights.Metadata["framework"] = "pt";

        byte[] file = weights.ToSafetensorsBytes();

        Assert.Equal(40UL, WeightsTestData.HeaderLength(file));
        Assert.Equal("{\"__metadata__\":{\"framework\":\"pt\"}}     ", WeightsTestData.HeaderText(file));
        Assert.Equal(48, file.Length);
    }

    [Fact]
    public void Tensors_are_written_int64_first_then_by_name_as_utf8_bytes_with_contiguous_offsets()
    {
        var weights = new ModelWeights
        {
            new Tensor("2.weight", new[] { 2 }, new float[] { 1, 2 }),
            new Tensor("10.weight", new[] { 1 }, new float[] { 3 }),
            new Tensor("1.num_batches_tracked", System.Array.Empty<int>(), new long[] { 7 }),
            new Tensor("2.bias", new[] { 3 }, new float[] { 4, 5, 6 }),
        };
        weights.Metadata["zeta"] = "z";
        weights.Metadata["alpha"] = "a";

        byte[] file = weights.ToSafetensorsBytes();
        string header = WeightsTestData.HeaderText(file);

        Assert.Equal(
            "{\"__metadata__\":{\"alpha\":\"a\",\"zeta\":\"z\"}," +
            "\"1.num_batches_tracked\":{\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[0,8]}," +
            "\"10.weight\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}," +
            "\"2.bias\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[12,24]}," +
            "\"2.weight\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[24,32]}}",
            header.TrimEnd(' '));
        Assert.Equal(0UL, WeightsTestData.HeaderLength(file) % 8);
        int data = 8 + (int)WeightsTestData.HeaderLength(file);
        Assert.Equal(data + 32, file.Length);
        Assert.Equal(new byte[] { 7, 0, 0, 0, 0, 0, 0, 0 }, file.Skip(data).Take(8).ToArray());
        Assert.Equal(WeightsTestData.Floats(3, 4, 5, 6, 1, 2), file.Skip(data + 8).ToArray());
    }

    [Fact]
    public void Names_are_escaped_as_serde_json_escapes_them()
    {
        var weights = new ModelWeights { new Tensor("a\"b\\c\nd\u0001é", new[] { 1 }, new float[] { 1 }) };

        string header = WeightsTestData.HeaderText(weights.ToSafetensorsBytes());

        Assert.StartsWith("{\"a\\\"b\\\\c\\nd\\u0001é\":", header);
    }

    [Fact]
    public void Saving_to_a_file_or_a_stream_writes_the_same_bytes()
    {
        var weights = new ModelWeights { new Tensor("w", new[] { 2, 2 }, new float[] { 1, 2, 3, 4 }) };
        string path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"convgen-layout-{System.Guid.NewGuid():N}.safetensors");
        try
        {
            weights.SaveSafetensors(path);
            using var stream = new System.IO.MemoryStream();
            weights.WriteSafetensors(stream);

            Assert.Equal(weights.ToSafetensorsBytes(), System.IO.File.ReadAllBytes(path));
            Assert.Equal(weights.ToSafetensorsBytes(), stream.ToArray());
        }
        finally
        {
            System.IO.File.Delete(path);
        }
    }
}
