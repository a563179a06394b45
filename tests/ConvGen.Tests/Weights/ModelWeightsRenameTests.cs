using System;
using System.Linq;
using Xunit;

namespace ConvGen.Tests.Weights;

public class ModelWeightsRenameTests
{
    private static ModelWeights Sample()
    {
        var weights = new ModelWeights
        {
            new Tensor("module.0.weight", new[] { 2, 3 }, new float[] { 1, 2, 3, 4, 5, 6 }),
            new Tensor("module.1.num_batches_tracked", Array.Empty<int>(), new long[] { 1L << 40 }),
            new Tensor("head.bias", new[] { 2 }, new float[] { 7, 8 }),
        };
        weights.Metadata["format"] = "pt";
        return weights;
    }

    [Fact]
    public void WithPrefixRemoved_strips_where_present_and_keeps_order_dtypes_and_metadata()
    {
        ModelWeights original = Sample();

        ModelWeights stripped = original.WithPrefixRemoved("module.");

        Assert.Equal(new[] { "0.weight", "1.num_batches_tracked", "head.bias" }, stripped.Names);
        Assert.Equal(new[] { 2, 3 }, stripped["0.weight"].Shape);
        Assert.Same(original["module.0.weight"].Data, stripped["0.weight"].Data);
        Tensor counter = stripped["1.num_batches_tracked"];
        Assert.Equal(TensorDType.I64, counter.DType);
        Assert.Equal(new[] { 1L << 40 }, counter.Int64Data);
        Assert.Equal("pt", stripped.Metadata["format"]);
        Assert.Equal(new[] { "module.0.weight", "module.1.num_batches_tracked", "head.bias" }, original.Names); // unchanged
    }

    [Fact]
    public void Renamed_weights_round_trip_through_safetensors()
    {
        ModelWeights stripped = ModelWeights.ReadSafetensors(Sample().ToSafetensorsBytes()).WithPrefixRemoved("module.");

        ModelWeights back = ModelWeights.ReadSafetensors(stripped.ToSafetensorsBytes());

        Assert.Equal(new[] { 1L << 40 }, back["1.num_batches_tracked"].Int64Data);
        Assert.Equal(new float[] { 1, 2, 3, 4, 5, 6 }, back["0.weight"].Data);
        Assert.Equal("pt", back.Metadata["format"]);
    }

    [Fact]
    public void Rename_maps_every_name()
    {
        ModelWeights renamed = Sample().Rename(name => "backbone." + name);

        Assert.Equal(Sample().Names.Select(n => "backbone." + n), renamed.Names);
        Assert.Equal(new float[] { 7, 8 }, renamed["backbone.head.bias"].Data);
    }

    [Fact]
    public void Metadata_is_copied_not_shared()
    {
        ModelWeights original = Sample();
        ModelWeights renamed = original.Rename(name => name);

        renamed.Metadata["format"] = "np";

        Assert.Equal("pt", original.Metadata["format"]);
    }

    [Fact]
    public void Collisions_and_empty_names_are_argument_errors()
    {
        var weights = new ModelWeights
        {
            new Tensor("module.0.weight", new[] { 1 }, new float[1]),
            new Tensor("0.weight", new[] { 1 }, new float[1]),
            new Tensor("module.", new[] { 1 }, new float[1]),
        };

        ArgumentException collision = Assert.Throws<ArgumentException>(() => new ModelWeights(weights.Take(2)).WithPrefixRemoved("module."));
        ArgumentException empty = Assert.Throws<ArgumentException>(() => new ModelWeights(weights.Skip(2)).WithPrefixRemoved("module."));
        ArgumentException mapped = Assert.Throws<ArgumentException>(() => weights.Rename(_ => "same"));

        Assert.StartsWith("After removing the prefix 'module.', tensors 'module.0.weight' and '0.weight' would both be named '0.weight'.", collision.Message);
        Assert.Equal("prefix", collision.ParamName);
        Assert.StartsWith("After removing the prefix 'module.', tensor 'module.' would have an empty name.", empty.Message);
        Assert.StartsWith("After renaming, tensors 'module.0.weight' and '0.weight' would both be named 'same'.", mapped.Message);
        Assert.Equal("map", mapped.ParamName);
        Assert.Throws<ArgumentException>(() => weights.Rename(_ => ""));
        Assert.Throws<ArgumentException>(() => weights.Rename(_ => null!));
    }

    [Fact]
    public void Arguments_are_checked()
    {
        Assert.Throws<ArgumentException>(() => Sample().WithPrefixRemoved(""));
        Assert.Throws<ArgumentNullException>(() => Sample().WithPrefixRemoved(null!));
        Assert.Throws<ArgumentNullException>(() => Sample().Rename(null!));
    }
}
