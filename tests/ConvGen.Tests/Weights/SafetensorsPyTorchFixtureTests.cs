using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using Xunit;

namespace ConvGen.Tests.Weights;

/// <summary>
/// Files made from real PyTorch tensors by tests/fixtures/weights/make_fixtures.py, with the values PyTorch reports
/// in the matching .expected.json (float32 bit patterns, int64s as they are).
/// </summary>
public class SafetensorsPyTorchFixtureTests
{
    private sealed record Expected(string Name, string DType, int[] Shape, uint[]? Float32Bits, long[]? Int64);

    private static (Dictionary<string, string> Metadata, List<Expected> Tensors) ReadExpected(string file)
    {
        using JsonDocument json = JsonDocument.Parse(File.ReadAllBytes(WeightsTestData.Fixture(file)));
        var metadata = json.RootElement.GetProperty("metadata").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
        var tensors = json.RootElement.GetProperty("tensors").EnumerateArray().Select(t => new Expected(
            t.GetProperty("name").GetString()!,
            t.GetProperty("dtype").GetString()!,
            t.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()).ToArray(),
            t.TryGetProperty("float32_bits", out JsonElement bits) ? bits.EnumerateArray().Select(b => b.GetUInt32()).ToArray() : null,
            t.TryGetProperty("int64", out JsonElement longs) ? longs.EnumerateArray().Select(l => l.GetInt64()).ToArray() : null)).ToList();
        return (metadata, tensors);
    }

    private static void AssertMatches(List<Expected> expected, ModelWeights weights)
    {
        Assert.Equal(expected.Count, weights.Count);
        foreach (Expected want in expected)
        {
            Tensor got = weights[want.Name];
            Assert.Equal(want.Shape, got.Shape);
            if (want.Int64 is not null)
            {
                Assert.Equal(TensorDType.I64, got.DType);
                Assert.Equal(want.Int64, got.Int64Data);
            }
            else
            {
                Assert.Equal(TensorDType.F32, got.DType);
                Assert.Equal(want.Float32Bits, WeightsTestData.Bits(got.Data));
            }
        }
    }

    /// <summary>The network of the fixture as the generator would describe it.</summary>
    internal static TensorSpec[] SmallModelSpecs() => new[]
    {
        new TensorSpec("0.weight", new[] { 2, 1, 3, 3 }, TensorRole.Parameter, WeightInit.ConvWeight, fanIn: 9, fanOut: 18),
        new TensorSpec("0.bias", new[] { 2 }, TensorRole.Parameter, WeightInit.Bias, fanIn: 9, fanOut: 18),
        new TensorSpec("1.weight", new[] { 2 }, TensorRole.Parameter, WeightInit.Ones),
        new TensorSpec("1.bias", new[] { 2 }, TensorRole.Parameter, WeightInit.Zeros),
        new TensorSpec("1.running_mean", new[] { 2 }, TensorRole.Buffer, WeightInit.Zeros),
        new TensorSpec("1.running_var", new[] { 2 }, TensorRole.Buffer, WeightInit.Ones),
        new TensorSpec("1.num_batches_tracked", System.Array.Empty<int>(), TensorRole.Buffer, WeightInit.NumBatchesTracked),
        new TensorSpec("4.weight", new[] { 3, 8 }, TensorRole.Parameter, WeightInit.LinearWeight, fanIn: 8, fanOut: 3),
        new TensorSpec("4.bias", new[] { 3 }, TensorRole.Parameter, WeightInit.Bias, fanIn: 8, fanOut: 3),
    };

    [Fact]
    public void A_PyTorch_state_dict_reads_with_every_value_and_the_int64_counter()
    {
        (Dictionary<string, string> metadata, List<Expected> expected) = ReadExpected("pytorch_small.expected.json");

        ModelWeights weights = ModelWeights.LoadSafetensors(WeightsTestData.Fixture("pytorch_small.safetensors"));

        AssertMatches(expected, weights);
        Assert.Equal(3L, weights["1.num_batches_tracked"].Int64Data![0]);
        Assert.Empty(weights["1.num_batches_tracked"].Shape);
        Assert.Equal(metadata, weights.Metadata);
    }

    [Fact]
    public void A_PyTorch_state_dict_writes_back_to_the_same_bytes()
    {
        byte[] file = File.ReadAllBytes(WeightsTestData.Fixture("pytorch_small.safetensors"));

        Assert.Equal(file, ModelWeights.ReadSafetensors(file).ToSafetensorsBytes());
    }

    [Fact]
    public void A_PyTorch_state_dict_validates_against_the_generated_specs()
    {
        ModelWeights weights = ModelWeights.LoadSafetensors(WeightsTestData.Fixture("pytorch_small.safetensors"), SmallModelSpecs());

        Assert.Equal(9, weights.Count);
    }

    [Fact]
    public void F16_BF16_and_F64_tensors_read_as_the_floats_PyTorch_converts_them_to()
    {
        (_, List<Expected> expected) = ReadExpected("dtypes.expected.json");

        ModelWeights weights = ModelWeights.LoadSafetensors(WeightsTestData.Fixture("dtypes.safetensors"));

        AssertMatches(expected, weights);
        Assert.Equal(9007199254740993L, weights["count"].Int64Data![0]);
        Assert.Equal(new[] { 0, 3 }, weights["empty"].Shape);
    }

    [Fact]
    public void Converted_tensors_are_written_back_as_F32()
    {
        ModelWeights weights = ModelWeights.LoadSafetensors(WeightsTestData.Fixture("dtypes.safetensors"));

        ModelWeights back = ModelWeights.ReadSafetensors(weights.ToSafetensorsBytes());

        Assert.Contains("\"half\":{\"dtype\":\"F32\"", WeightsTestData.HeaderText(weights.ToSafetensorsBytes()));
        foreach (Tensor tensor in weights)
        {
            Assert.Equal(WeightsTestData.Bits(tensor.Data), WeightsTestData.Bits(back[tensor.Name].Data));
            Assert.Equal(tensor.Int64Data, back[tensor.Name].Int64Data);
        }
    }
}
