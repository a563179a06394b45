using System;
using System.IO;
using System.Linq;
using Xunit;

namespace ConvGen.Tests.Weights;

public class SafetensorsRoundTripTests
{
    private static ModelWeights Sample()
    {
        var weights = new ModelWeights
        {
            new Tensor("0.weight", new[] { 2, 1, 2, 2 }, new[] { 1.5f, -0f, float.Epsilon, float.MaxValue, float.NaN, float.PositiveInfinity, float.NegativeInfinity, -3.25f }),
            new Tensor("0.bias", new[] { 2 }, new[] { 0.1f, -0.2f }),
            new Tensor("1.num_batches_tracked", Array.Empty<int>(), new[] { (1L << 53) + 1 }),
            new Tensor("1.counts", new[] { 3 }, new[] { long.MinValue, -1L, long.MaxValue }),
            new Tensor("2.empty", new[] { 0, 4 }, Array.Empty<float>()),
            new Tensor("3.scalar", Array.Empty<int>(), new[] { 42f }),
        };
        weights.Metadata["format"] = "pt";
        weights.Metadata["note"] = "quotes \" and \\ and\nnewlines, ünïcödé, 😀";
        weights.Metadata[""] = "empty key";
        return weights;
    }

    private static void AssertSameContent(ModelWeights expected, ModelWeights actual)
    {
        Assert.Equal(expected.Names.OrderBy(n => n, StringComparer.Ordinal), actual.Names.OrderBy(n => n, StringComparer.Ordinal));
        foreach (Tensor want in expected)
        {
            Tensor got = actual[want.Name];
            Assert.Equal(want.Shape, got.Shape);
            Assert.Equal(want.DType, got.DType);
            Assert.Equal(WeightsTestData.Bits(want.Data), WeightsTestData.Bits(got.Data));
            Assert.Equal(want.Int64Data, got.Int64Data);
        }

        Assert.Equal(expected.Metadata.OrderBy(p => p.Key, StringComparer.Ordinal), actual.Metadata.OrderBy(p => p.Key, StringComparer.Ordinal));
    }

    [Fact]
    public void Bytes_round_trip_keeps_every_value_bit_the_int64s_and_the_metadata()
    {
        ModelWeights weights = Sample();

        byte[] file = weights.ToSafetensorsBytes();
        ModelWeights back = ModelWeights.ReadSafetensors(file);

        AssertSameContent(weights, back);
        Assert.Equal(TensorDType.I64, back["1.num_batches_tracked"].DType);
        Assert.Equal((1L << 53) + 1, back["1.num_batches_tracked"].Int64Data![0]);
        Assert.Equal(file, back.ToSafetensorsBytes());
    }

    [Fact]
    public void File_and_stream_round_trips_match_the_bytes_one()
    {
        ModelWeights weights = Sample();
        string path = Path.Combine(Path.GetTempPath(), $"convgen-roundtrip-{Guid.NewGuid():N}.safetensors");
        try
        {
            weights.SaveSafetensors(path);
            AssertSameContent(weights, ModelWeights.LoadSafetensors(path));

            using var seekable = new MemoryStream(File.ReadAllBytes(path));
            AssertSameContent(weights, ModelWeights.ReadSafetensors(seekable));

            using var forwardOnly = new ForwardOnlyStream(File.ReadAllBytes(path));
            AssertSameContent(weights, ModelWeights.ReadSafetensors(forwardOnly));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_read_file_lists_tensors_in_header_order()
    {
        byte[] file = Sample().ToSafetensorsBytes();

        ModelWeights back = ModelWeights.ReadSafetensors(file);

        Assert.Equal(new[] { "1.counts", "1.num_batches_tracked", "0.bias", "0.weight", "2.empty", "3.scalar" }, back.Names);
        Assert.Equal(back.Names, back.Select(t => t.Name));
    }

    [Fact]
    public void A_stream_is_read_from_its_position()
    {
        byte[] file = Sample().ToSafetensorsBytes();
        using var stream = new MemoryStream();
        stream.Write(new byte[] { 1, 2, 3 });
        stream.Write(file);
        stream.Position = 3;

        AssertSameContent(Sample(), ModelWeights.ReadSafetensors(stream));
    }

    private sealed class ForwardOnlyStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }
    }
}
