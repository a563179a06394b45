using System;
using System.IO;
using System.Linq;
using Xunit;

namespace ConvGen.Tests.Weights;

/// <summary>When a mismatch or a malformed file has one likely cause, the message names it before listing details.</summary>
public class ModelWeightsHintTests
{
    private static TensorSpec[] Specs() => new[]
    {
        new TensorSpec("0.weight", new[] { 6, 1, 5, 5 }, TensorRole.Parameter, WeightInit.ConvWeight, fanIn: 25, fanOut: 150),
        new TensorSpec("0.bias", new[] { 6 }, TensorRole.Parameter, WeightInit.Bias, fanIn: 25, fanOut: 150),
        new TensorSpec("1.weight", new[] { 6 }, TensorRole.Parameter, WeightInit.Ones),
        new TensorSpec("1.bias", new[] { 6 }, TensorRole.Parameter, WeightInit.Zeros),
        new TensorSpec("1.running_mean", new[] { 6 }, TensorRole.Buffer, WeightInit.Zeros),
        new TensorSpec("1.running_var", new[] { 6 }, TensorRole.Buffer, WeightInit.Ones),
        new TensorSpec("1.num_batches_tracked", Array.Empty<int>(), TensorRole.Buffer, WeightInit.NumBatchesTracked),
    };

    private static ModelWeights Prefixed(string prefix) => ModelWeights.Create(Specs(), seed: 3).Rename(name => prefix + name);

    [Fact]
    public void DataParallel_module_prefix_is_named_before_the_lists()
    {
        ModelWeights weights = Prefixed("module.");

        WeightsMismatchException e = Assert.Throws<WeightsMismatchException>(() => weights.Validate(Specs()));

        string expectedHint = "all 7 unexpected tensors start with 'module.'; strip that prefix (PyTorch's DataParallel adds it), " +
            "e.g. weights = weights.WithPrefixRemoved(\"module.\").";
        Assert.Equal(expectedHint, e.Hint);
        string[] lines = e.Message.Split('\n');
        Assert.Equal("The weights do not match the network: 6 missing tensors, 7 unexpected tensors.", lines[0]);
        Assert.Equal("  hint: " + expectedHint, lines[1]);
        Assert.Equal("  missing: '0.weight' [6, 1, 5, 5]", lines[2]);
        Assert.Contains("  unexpected: 'module.1.num_batches_tracked' []", lines);
        Assert.DoesNotContain("shares no tensor names", e.Message);
        Assert.Equal(7, e.Unexpected.Count);
    }

    [Fact]
    public void Stripping_the_named_prefix_makes_the_weights_validate()
    {
        ModelWeights weights = Prefixed("module.");
        string prefix = Assert.Throws<WeightsMismatchException>(() => weights.Validate(Specs())).Hint!.Split('\'')[1];

        ModelWeights fixedWeights = weights.WithPrefixRemoved(prefix);
        fixedWeights.Validate(Specs());

        Assert.Equal(Specs().Select(s => s.Name), fixedWeights.Names);
    }

    [Theory]
    [InlineData("model.", "")]
    [InlineData("_orig_mod.", " (torch.compile adds it)")]
    [InlineData("model.module.", "")]
    public void Other_common_prefixes_are_named_too(string prefix, string origin)
    {
        WeightsMismatchException e = Assert.Throws<WeightsMismatchException>(() => Prefixed(prefix).Validate(Specs()));

        Assert.Equal($"all 7 unexpected tensors start with '{prefix}'; strip that prefix{origin}, e.g. weights = weights.WithPrefixRemoved(\"{prefix}\").", e.Hint);
    }

    [Fact]
    public void A_prefix_is_named_when_only_some_tensors_carry_it()
    {
        ModelWeights created = ModelWeights.Create(Specs(), seed: 3);
        var weights = new ModelWeights(created.Select(t => t.Name.StartsWith("1.", StringComparison.Ordinal) ? t : new Tensor("module." + t.Name, t.Shape, t.Data)));

        WeightsMismatchException e = Assert.Throws<WeightsMismatchException>(() => weights.Validate(Specs()));

        Assert.Equal(new[] { "0.weight", "0.bias" }, e.Missing);
        Assert.StartsWith("all 2 unexpected tensors start with 'module.'", e.Hint);
    }

    [Fact]
    public void A_single_prefixed_tensor_reads_naturally()
    {
        ModelWeights created = ModelWeights.Create(Specs(), seed: 3);
        var weights = new ModelWeights(created.Select(t => t.Name == "0.bias" ? new Tensor("head.0.bias", t.Shape, t.Data) : t));

        WeightsMismatchException e = Assert.Throws<WeightsMismatchException>(() => weights.Validate(Specs()));

        Assert.StartsWith("the only unexpected tensor starts with 'head.'", e.Hint);
    }

    [Fact]
    public void No_prefix_hint_when_stripping_would_not_help_or_names_differ()
    {
        ModelWeights created = ModelWeights.Create(Specs(), seed: 3);
        var extra = new ModelWeights(created) { new Tensor("fc.weight", new[] { 2, 6 }, new float[12]) };
        var mixed = new ModelWeights(created.Where(t => t.Name != "0.bias"))
        {
            new Tensor("module.0.bias", new[] { 6 }, new float[6]),
            new Tensor("fc.weight", new[] { 2, 6 }, new float[12]),
        };

        WeightsMismatchException extraError = Assert.Throws<WeightsMismatchException>(() => extra.Validate(Specs()));
        WeightsMismatchException mixedError = Assert.Throws<WeightsMismatchException>(() => mixed.Validate(Specs()));

        Assert.Null(extraError.Hint); // "fc." stripped gives "weight": not expected
        Assert.Null(mixedError.Hint); // not every unexpected name starts with "module."
        Assert.DoesNotContain("hint:", mixedError.Message);
    }

    [Fact]
    public void Unrelated_weights_say_so_first_and_cap_the_lists()
    {
        var weights = new ModelWeights(Enumerable.Range(0, 30).Select(i => new Tensor($"encoder.layer{i}.weight", new[] { 4 }, new float[4])));

        WeightsMismatchException e = Assert.Throws<WeightsMismatchException>(() => weights.Validate(Specs()));

        Assert.Equal("this file shares no tensor names with the network; is it the right file?", e.Hint);
        string[] lines = e.Message.Split('\n');
        Assert.Equal("The weights do not match the network: 6 missing tensors, 30 unexpected tensors.", lines[0]);
        Assert.Equal("  hint: this file shares no tensor names with the network; is it the right file?", lines[1]);
        Assert.Equal(6, lines.Count(l => l.StartsWith("  missing: ", StringComparison.Ordinal)));
        Assert.Equal(10, lines.Count(l => l.StartsWith("  unexpected: ", StringComparison.Ordinal)));
        Assert.Equal("  unexpected: 'encoder.layer9.weight' [4]", lines[^2]);
        Assert.Equal("  … and 20 more unexpected tensors", lines[^1]);
        Assert.Equal(30, e.Unexpected.Count); // the properties keep everything
    }

    [Fact]
    public void Lists_just_over_the_cap_are_shown_whole()
    {
        var weights = new ModelWeights(ModelWeights.Create(Specs(), seed: 3));
        foreach (int i in Enumerable.Range(0, 12))
        {
            weights.Add(new Tensor($"extra{i}", new[] { 1 }, new float[1]));
        }

        WeightsMismatchException e = Assert.Throws<WeightsMismatchException>(() => weights.Validate(Specs()));

        Assert.Equal(12, e.Message.Split('\n').Count(l => l.StartsWith("  unexpected: ", StringComparison.Ordinal)));
        Assert.DoesNotContain("more unexpected", e.Message);
        Assert.Null(e.Hint);
    }

    [Fact]
    public void Empty_weights_say_they_hold_nothing()
    {
        WeightsMismatchException e = Assert.Throws<WeightsMismatchException>(() => new ModelWeights().Validate(Specs()));

        Assert.Equal("the weights hold no tensors; is it the right file?", e.Hint);
        Assert.Empty(e.Unexpected);
    }

    [Fact]
    public void Shape_mismatches_count_as_shared_names()
    {
        var weights = new ModelWeights { new Tensor("0.weight", new[] { 6, 1, 3, 3 }, new float[54]), new Tensor("other", new[] { 1 }, new float[1]) };

        WeightsMismatchException e = Assert.Throws<WeightsMismatchException>(() => weights.Validate(Specs()));

        Assert.Null(e.Hint);
    }

    [Fact]
    public void A_torch_save_zip_is_recognized()
    {
        byte[] zip = new byte[64];
        "PK\u0003\u0004"u8.CopyTo(zip);
        zip[4] = 0x14;
        "archive/data.pkl"u8.CopyTo(zip.AsSpan(30));

        WeightsFormatException e = Assert.Throws<WeightsFormatException>(() => ModelWeights.ReadSafetensors(zip));

        Assert.Equal(
            "Invalid safetensors data: this looks like a PyTorch .pt/.pth file (torch.save), not safetensors; " +
            "save with safetensors.torch.save_file(model.state_dict(), path). (It is a zip archive, which is what torch.save writes since PyTorch 1.6.)",
            e.Message);
    }

    [Fact]
    public void A_torch_save_zip_file_is_named()
    {
        string path = Path.Combine(Path.GetTempPath(), $"convgen-hint-{Guid.NewGuid():N}.pt");
        try
        {
            File.WriteAllBytes(path, new byte[] { 0x50, 0x4B, 0x03, 0x04, 0, 0, 0, 0, 8, 0 });

            WeightsFormatException e = Assert.Throws<WeightsFormatException>(() => ModelWeights.LoadSafetensors(path, Specs()));

            Assert.StartsWith($"Invalid safetensors file '{path}': this looks like a PyTorch .pt/.pth file (torch.save)", e.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_legacy_torch_save_pickle_is_recognized()
    {
        // torch.save(..., _use_new_zipfile_serialization=False) starts with protocol 2 and its magic number.
        byte[] pickle = { 0x80, 0x02, 0x8A, 0x0A, 0x6C, 0xFC, 0x9C, 0x46, 0xF9, 0x20, 0x6A, 0xA8, 0x50, 0x19, 0x2E, 0x80, 0x02, 0x4D, 0xE9, 0x03 };

        WeightsFormatException e = Assert.Throws<WeightsFormatException>(() => ModelWeights.ReadSafetensors(pickle));

        Assert.StartsWith(
            "Invalid safetensors data: this looks like a PyTorch .pt/.pth file (torch.save), not safetensors; " +
            "save with safetensors.torch.save_file(model.state_dict(), path). (It starts with 0x80 0x02, a pickle stream",
            e.Message);
        Assert.Contains("Read as safetensors: the header length is", e.Message);
    }

    [Theory]
    [InlineData(new byte[] { 0x80, 0x04, 0x95, 0x20 })]
    [InlineData(new byte[] { 0x80, 0x05, 0x95, 0x03, 0, 0, 0, 0, 0, 0, 0, 0x7D, 0x94, 0x2E })]
    public void Short_and_framed_pickles_are_recognized(byte[] pickle)
    {
        WeightsFormatException e = Assert.Throws<WeightsFormatException>(() => ModelWeights.ReadSafetensors(pickle));

        Assert.Contains("this looks like a PyTorch .pt/.pth file (torch.save)", e.Message);
    }

    [Fact]
    public void A_valid_file_whose_header_length_starts_like_a_pickle_still_reads()
    {
        // A header of 0x280 = 640 bytes: the file starts 0x80 0x02, as a pickle does.
        string header = "{\"t\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}";
        header = header.PadRight(640);
        byte[] file = WeightsTestData.Raw(header, WeightsTestData.Floats(2.5f));
        Assert.Equal(new byte[] { 0x80, 0x02 }, file.Take(2));

        Assert.Equal(new[] { 2.5f }, ModelWeights.ReadSafetensors(file)["t"].Data);
    }

    [Fact]
    public void A_truncated_file_that_starts_like_a_pickle_keeps_the_precise_reason()
    {
        byte[] file = WeightsTestData.Raw("{}".PadRight(640), Array.Empty<byte>())[..100];

        WeightsFormatException e = Assert.Throws<WeightsFormatException>(() => ModelWeights.ReadSafetensors(file));

        Assert.Contains("Read as safetensors: the header length is 640 bytes, but only 92 bytes follow the 8-byte length prefix.)", e.Message);
    }

    [Fact]
    public void Other_malformed_files_keep_their_precise_messages()
    {
        byte[] file = WeightsTestData.Raw("[1,2]   ", Array.Empty<byte>());

        WeightsFormatException e = Assert.Throws<WeightsFormatException>(() => ModelWeights.ReadSafetensors(file));

        Assert.Equal("Invalid safetensors data: expected the header to start with '{', found byte 0x5B.", e.Message);
    }
}
