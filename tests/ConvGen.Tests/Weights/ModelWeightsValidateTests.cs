using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Xunit;

namespace ConvGen.Tests.Weights;

public class ModelWeightsValidateTests
{
    private static TensorSpec[] LeNetPart() => new[]
    {
        new TensorSpec("0.weight", new[] { 6, 1, 5, 5 }, TensorRole.Parameter, WeightInit.ConvWeight, fanIn: 25, fanOut: 150),
        new TensorSpec("0.bias", new[] { 6 }, TensorRole.Parameter, WeightInit.Bias, fanIn: 25, fanOut: 150),
        new TensorSpec("3.weight", new[] { 16, 6, 5, 5 }, TensorRole.Parameter, WeightInit.ConvWeight, fanIn: 150, fanOut: 400),
        new TensorSpec("3.bias", new[] { 16 }, TensorRole.Parameter, WeightInit.Bias, fanIn: 150, fanOut: 400),
        new TensorSpec("4.weight", new[] { 16 }, TensorRole.Parameter, WeightInit.Ones),
        new TensorSpec("4.running_mean", new[] { 16 }, TensorRole.Buffer, WeightInit.Zeros),
        new TensorSpec("4.num_batches_tracked", Array.Empty<int>(), TensorRole.Buffer, WeightInit.NumBatchesTracked),
    };

    [Fact]
    public void Weights_made_for_the_specs_validate()
    {
        ModelWeights weights = ModelWeights.Create(LeNetPart(), seed: 1);

        weights.Validate(LeNetPart());

        Assert.Equal(7, weights.Count);
    }

    [Fact]
    public void Every_missing_unexpected_and_misshaped_tensor_is_reported_at_once()
    {
        ModelWeights created = ModelWeights.Create(LeNetPart(), seed: 1);
        var weights = new ModelWeights(created.Where(t => t.Name is not "0.bias" and not "4.weight" and not "3.weight"))
        {
            new Tensor("3.weight", new[] { 16, 6, 3, 3 }, new float[16 * 6 * 9]),
            new Tensor("fc.weight", new[] { 10, 84 }, new float[840]),
            new Tensor("fc.bias", new[] { 10 }, new float[10]),
        };
        weights.Add(new Tensor("0.bias", new[] { 6, 1 }, new float[6]));

        WeightsMismatchException e = Assert.Throws<WeightsMismatchException>(() => weights.Validate(LeNetPart()));

        Assert.Equal(new[] { "4.weight" }, e.Missing);
        Assert.Equal(new[] { "fc.weight", "fc.bias" }, e.Unexpected);
        Assert.Equal(
            new[]
            {
                "'0.bias': expected shape [6], found [6, 1]",
                "'3.weight': expected shape [16, 6, 5, 5], found [16, 6, 3, 3]",
            },
            e.ShapeMismatches);
        Assert.Equal(
            "The weights do not match the network: 1 missing tensor, 2 unexpected tensors, 2 shape mismatches.\n" +
            "  missing: '4.weight' [16]\n" +
            "  unexpected: 'fc.weight' [10, 84]\n" +
            "  unexpected: 'fc.bias' [10]\n" +
            "  '0.bias': expected shape [6], found [6, 1]\n" +
            "  '3.weight': expected shape [16, 6, 5, 5], found [16, 6, 3, 3]",
            e.Message);
    }

    [Fact]
    public void A_missing_num_batches_tracked_is_filled_with_zero()
    {
        ModelWeights weights = new(ModelWeights.Create(LeNetPart(), seed: 1).Where(t => t.Name != "4.num_batches_tracked"));

        weights.Validate(LeNetPart());

        Tensor counter = weights["4.num_batches_tracked"];
        Assert.Equal(TensorDType.I64, counter.DType);
        Assert.Empty(counter.Shape);
        Assert.Equal(new[] { 0L }, counter.Int64Data);
    }

    [Fact]
    public void A_failed_validation_changes_nothing()
    {
        ModelWeights weights = new(ModelWeights.Create(LeNetPart(), seed: 1).Where(t => t.Name is not "4.num_batches_tracked" and not "0.weight"));
        string[] before = weights.Names.ToArray();

        WeightsMismatchException e = Assert.Throws<WeightsMismatchException>(() => weights.Validate(LeNetPart()));

        Assert.Equal(new[] { "0.weight" }, e.Missing);
        Assert.Equal(before, weights.Names);
    }

    [Fact]
    public void Loading_with_the_expected_specs_validates()
    {
        ModelWeights created = ModelWeights.Create(LeNetPart(), seed: 1);
        string path = Path.Combine(Path.GetTempPath(), $"convgen-validate-{Guid.NewGuid():N}.safetensors");
        try
        {
            created.SaveSafetensors(path);
            TensorSpec[] other = LeNetPart().Take(6).Append(new TensorSpec("5.weight", new[] { 1 }, TensorRole.Parameter, WeightInit.Ones)).ToArray();

            Assert.Equal(7, ModelWeights.LoadSafetensors(path, LeNetPart()).Count);
            WeightsMismatchException e = Assert.Throws<WeightsMismatchException>(() => ModelWeights.LoadSafetensors(path, other));
            Assert.Equal(new[] { "5.weight" }, e.Missing);
            Assert.Equal(new[] { "4.num_batches_tracked" }, e.Unexpected);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Specs_listing_a_name_twice_are_an_argument_error()
    {
        TensorSpec[] specs = LeNetPart().Append(LeNetPart()[0]).ToArray();

        Assert.Throws<ArgumentException>(() => ModelWeights.Create(LeNetPart(), 1).Validate(specs));
        Assert.Throws<ArgumentException>(() => ModelWeights.Create(specs, 1));
    }
}
