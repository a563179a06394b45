using System;
using System.Buffers.Binary;
using Xunit;

namespace ConvGen.Tests.Weights;

/// <summary>F16, BF16 and F64 conversion on values the PyTorch fixture cannot carry through JSON (infinities, NaN).</summary>
public class SafetensorsConversionTests
{
    private static float[] ReadOne(string dtype, byte[] data, int count)
    {
        string header = $"{{\"t\":{{\"dtype\":\"{dtype}\",\"shape\":[{count}],\"data_offsets\":[0,{data.Length}]}}}}";
        return ModelWeights.ReadSafetensors(WeightsTestData.Raw(header, data))["t"].Data;
    }

    private static byte[] UInt16s(params ushort[] values)
    {
        var bytes = new byte[2 * values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(2 * i), values[i]);
        }

        return bytes;
    }

    [Fact]
    public void F16_converts_exactly_including_subnormals_infinities_and_NaN()
    {
        // 1.0, -2.0, 65504 (max), 2^-24 (smallest subnormal), +inf, -inf, NaN
        float[] values = ReadOne("F16", UInt16s(0x3C00, 0xC000, 0x7BFF, 0x0001, 0x7C00, 0xFC00, 0x7E00), 7);

        Assert.Equal(new[] { 1f, -2f, 65504f, MathF.Pow(2, -24), float.PositiveInfinity, float.NegativeInfinity }, values[..6]);
        Assert.True(float.IsNaN(values[6]));
    }

    [Fact]
    public void BF16_is_the_top_half_of_a_float32()
    {
        float[] values = ReadOne("BF16", UInt16s(0x3F80, 0xC0A0, 0x7F80, 0x0001, 0x7FC0), 5);

        Assert.Equal(new[] { 1f, -5f, float.PositiveInfinity, BitConverter.UInt32BitsToSingle(0x00010000) }, values[..4]);
        Assert.True(float.IsNaN(values[4]));
    }

    [Fact]
    public void F64_rounds_to_the_nearest_float_and_overflows_to_infinity()
    {
        var data = new byte[8 * 4];
        double[] doubles = { 0.1, 1e300, -1e300, 1.0 + Math.Pow(2, -30) };
        for (int i = 0; i < doubles.Length; i++)
        {
            BinaryPrimitives.WriteDoubleLittleEndian(data.AsSpan(8 * i), doubles[i]);
        }

        float[] values = ReadOne("F64", data, 4);

        Assert.Equal(new[] { 0.1f, float.PositiveInfinity, float.NegativeInfinity, 1f }, values);
    }
}
