using System;
using System.Collections.Generic;
using System.Linq;
using Xunit;

namespace ConvGen.Tests.Weights;

public class ModelWeightsCollectionTests
{
    private static ModelWeights Three() => new()
    {
        new Tensor("0.weight", new[] { 2, 1, 3, 3 }, new float[18]),
        new Tensor("0.bias", new[] { 2 }, new float[] { 1, 2 }),
        new Tensor("3.weight", new[] { 4, 2 }, new float[8]),
    };

    [Fact]
    public void Tensors_keep_their_order_and_are_found_by_name()
    {
        ModelWeights weights = Three();

        Assert.Equal(3, weights.Count);
        Assert.Equal(new[] { "0.weight", "0.bias", "3.weight" }, weights.Names);
        Assert.Equal(weights.Names, weights.Select(t => t.Name));
        Assert.Equal(new float[] { 1, 2 }, weights["0.bias"].Data);
        Assert.True(weights.TryGet("3.weight", out Tensor? found));
        Assert.Equal(8, found!.ElementCount);
        Assert.False(weights.TryGet("3.bias", out _));
        Assert.True(weights.Contains("0.weight"));
    }

    [Fact]
    public void A_missing_name_lists_the_close_ones()
    {
        KeyNotFoundException e = Assert.Throws<KeyNotFoundException>(() => Three()["3.wieght"]);

        Assert.Equal("No tensor named '3.wieght' among the 3 tensors of the weights. Close names: '3.weight'.", e.Message);
    }

    [Fact]
    public void A_missing_name_with_no_close_one_lists_the_layer_or_the_first_names()
    {
        Assert.Contains("Close names: '0.weight', '0.bias'.", Assert.Throws<KeyNotFoundException>(() => Three()["0.running_mean"]).Message);
        Assert.Contains("none has a close name; the first are '0.weight', '0.bias', '3.weight'.",
            Assert.Throws<KeyNotFoundException>(() => Three()["classifier.linear.weight"]).Message);
        Assert.Contains("the weights hold no tensors", Assert.Throws<KeyNotFoundException>(() => new ModelWeights()["x"]).Message);
    }

    [Fact]
    public void A_duplicate_name_is_refused()
    {
        ModelWeights weights = Three();

        ArgumentException e = Assert.Throws<ArgumentException>(() => weights.Add(new Tensor("0.bias", new[] { 1 }, new float[1])));

        Assert.Contains("'0.bias'", e.Message);
        Assert.Equal(3, weights.Count);
    }

    [Fact]
    public void Tensors_check_their_shape_against_their_data()
    {
        Assert.Contains("has shape [2, 3], which holds 6 elements, but 5 values were given",
            Assert.Throws<ArgumentException>(() => new Tensor("t", new[] { 2, 3 }, new float[5])).Message);
        Assert.Contains("negative dimension", Assert.Throws<ArgumentException>(() => new Tensor("t", new[] { -1 }, new float[0])).Message);
        Assert.Throws<ArgumentException>(() => new Tensor("", new[] { 1 }, new float[1]));
        Assert.Equal(1, new Tensor("s", Array.Empty<int>(), new float[1]).ElementCount);
    }

    [Fact]
    public void Tensor_and_spec_copy_the_shape_they_are_given()
    {
        int[] shape = { 2, 2 };
        var tensor = new Tensor("t", shape, new float[4]);
        var spec = new TensorSpec("t", shape, TensorRole.Parameter, WeightInit.Zeros);
        shape[0] = 9;

        Assert.Equal(new[] { 2, 2 }, tensor.Shape);
        Assert.Equal(new[] { 2, 2 }, spec.Shape);
    }

    [Fact]
    public void An_int64_tensor_keeps_exact_values_and_a_float_copy()
    {
        var tensor = new Tensor("n", Array.Empty<int>(), new[] { 12345L });

        Assert.Equal(TensorDType.I64, tensor.DType);
        Assert.Equal(new[] { 12345f }, tensor.Data);
        Assert.Equal(new[] { 12345L }, tensor.Int64Data);
        Assert.Null(new Tensor("f", new[] { 1 }, new float[1]).Int64Data);
    }

    [Fact]
    public void Spec_reports_element_count_and_storage()
    {
        var spec = new TensorSpec("0.weight", new[] { 6, 1, 5, 5 }, TensorRole.Parameter, WeightInit.ConvWeight, fanIn: 25, fanOut: 150);

        Assert.Equal(150, spec.ElementCount);
        Assert.Equal(TensorDType.F32, spec.DType);
        Assert.Equal(25, spec.FanIn);
        Assert.Equal(150, spec.FanOut);
        Assert.Equal("0.weight [6, 1, 5, 5] Parameter ConvWeight", spec.ToString());
        Assert.Equal(TensorDType.I64, new TensorSpec("1.num_batches_tracked", Array.Empty<int>(), TensorRole.Buffer, WeightInit.NumBatchesTracked).DType);
        Assert.Throws<ArgumentOutOfRangeException>(() => new TensorSpec("w", new[] { 1 }, TensorRole.Parameter, WeightInit.Bias, fanIn: -1));
        Assert.Throws<ArgumentException>(() => new TensorSpec("w", new[] { 65536, 65536 }, TensorRole.Parameter, WeightInit.Bias));
    }
}
