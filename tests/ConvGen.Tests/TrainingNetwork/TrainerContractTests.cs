using System;
using System.Globalization;
using System.Linq;
using ConvGen.Tests.Infrastructure;
using ConvGen.Training;
using Xunit;

namespace ConvGen.Tests.TrainingNetwork;

/// <summary>
/// The contract of a generated trainer beyond its numbers: argument checks, a batch below MaxBatch, the exported
/// state_dict, and no allocation in a training step once everything is set up.
/// </summary>
public sealed class TrainerContractTests
{
    private const int MaxBatch = 3;

    /// <summary>A spatial channels-last output (Residual) and a flat one after BatchNorm1d (SequenceHead).</summary>
    public static TheoryData<string> Networks() => new(nameof(TrainingNetworks.Residual), nameof(TrainingNetworks.SequenceHead));

    [Theory]
    [MemberData(nameof(Networks))]
    public void Spans_of_the_wrong_length_are_refused_with_the_expected_length(string name)
    {
        var trainer = Trainer(name, MaxBatch);

        // Batch 2 and up: train-mode BatchNorm on features needs more than one sample.
        foreach (int batch in new[] { 2, MaxBatch })
        {
            int inputLength = batch * trainer.InputSize, outputLength = batch * trainer.OutputSize;
            foreach (int delta in new[] { -1, 1 })
            {
                Refused("input", inputLength, () => trainer.Forward(new float[inputLength + delta], new float[outputLength], batch));
                Refused("output", outputLength, () => trainer.Forward(new float[inputLength], new float[outputLength + delta], batch));
            }

            trainer.Forward(new float[inputLength], new float[outputLength], batch);
            foreach (int delta in new[] { -1, 1 })
            {
                Refused("outputGradient", outputLength, () => trainer.Backward(new float[outputLength + delta]));
                Refused("outputGradient", outputLength, () => trainer.Backward(new float[outputLength + delta], new float[inputLength]));
                Refused("inputGradient", inputLength, () => trainer.Backward(new float[outputLength], new float[inputLength + delta]));
            }
        }
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void A_batch_outside_one_to_MaxBatch_is_refused(string name)
    {
        var trainer = Trainer(name, MaxBatch);
        Assert.Equal(MaxBatch, trainer.MaxBatch);
        foreach (int batch in new[] { 0, -1, MaxBatch + 1 })
        {
            // Spans sized for the batch (empty for 0 and −1): the batch itself must be refused.
            int samples = Math.Max(batch, 0);
            var e = Assert.Throws<ArgumentOutOfRangeException>(
                () => trainer.Forward(new float[samples * trainer.InputSize], new float[samples * trainer.OutputSize], batch));
            Assert.Equal("batch", e.ParamName);
        }
    }

    [Fact]
    public void Train_mode_BatchNorm_refuses_one_value_per_channel_as_PyTorch_does()
    {
        // SequenceHead's BatchNorm1d on features sees batch × 1 values per channel; eval mode needs no batch statistics.
        var trainer = Trainer(nameof(TrainingNetworks.SequenceHead), MaxBatch);
        var input = new float[trainer.InputSize];
        var output = new float[trainer.OutputSize];
        var e = Assert.ThrowsAny<ArgumentException>(() => trainer.Forward(input, output, 1));
        Assert.Equal("batch", e.ParamName);

        trainer.Training = false;
        trainer.Forward(input, output, 1);
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void Backward_before_any_Forward_is_refused(string name)
    {
        var trainer = Trainer(name, MaxBatch);
        Assert.Throws<InvalidOperationException>(() => trainer.Backward(new float[trainer.OutputSize]));
        Assert.Throws<InvalidOperationException>(() => trainer.Backward(new float[trainer.OutputSize], new float[trainer.InputSize]));
    }

    [Theory]
    [MemberData(nameof(Networks))]
    [InlineData(nameof(TrainingNetworks.BatchNormMaxPool))]
    public void A_batch_below_MaxBatch_matches_the_reference(string name)
    {
        const int Batch = 2;
        var net = TrainingNetworks.Named(name);
        var plans = net.Plans;
        var weights = ReferenceNetwork.CreateWeights(plans, 13);
        var input = ReferenceNetwork.RandomInput(13, Batch * net.Network.InputShape.Size);
        var outputGradient = ReferenceNetwork.RandomInput(14, Batch * plans[plans.Count - 1].Output.Size);
        var (tape, expected) = ReferenceTrainer.Step(net.Network, plans, weights, input, Batch, outputGradient);

        var trainer = TrainingNetworks.Compiled.Trainer(net, weights, maxBatch: 5);
        var problems = TrainerStep.Run(trainer, input, outputGradient, Batch).Mismatches(tape, expected, 1e-4);
        Assert.True(problems.Count == 0, $"{net}\nbatch {Batch} of at most 5:\n" + string.Join("\n", problems));
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void Exported_weights_fit_the_network_and_load_into_the_inference_network(string name)
    {
        var net = TrainingNetworks.Named(name);
        var type = TrainingNetworks.Compiled.TypeOf(name);
        var trainer = Trainer(name, MaxBatch);
        var input = ReferenceNetwork.RandomInput(17, MaxBatch * trainer.InputSize);
        var output = new float[MaxBatch * trainer.OutputSize];
        var optimizer = new Sgd(trainer.Parameters, 0.1);
        for (int step = 0; step < 2; step++)
        {
            optimizer.ZeroGrad();
            trainer.Forward(input, output, MaxBatch);
            trainer.Backward(output);
            optimizer.Step();
        }

        var exported = trainer.ExportWeights();
        exported.Validate(GeneratorHarness.Specs(type));
        foreach (var slot in trainer.Parameters)
        {
            Assert.True(exported[slot.Name].Data.AsSpan().SequenceEqual(slot.Value), $"{net}\nexported '{slot.Name}' is not the trained value");
        }

        var gradients = trainer.ExportGradients();
        Assert.Equal(trainer.Parameters.Select(p => p.Name), gradients.Names);
        Assert.All(trainer.Parameters, p => Assert.Equal(exported[p.Name].Shape, gradients[p.Name].Shape));

        // The trained weights in the inference network compute what the trainer computes in eval mode.
        var inference = (INetwork)Activator.CreateInstance(type, exported)!;
        var expected = new float[output.Length];
        inference.Forward(input, expected, MaxBatch);
        trainer.Training = false;
        trainer.Forward(input, output, MaxBatch);
        Assert.Null(TrainerStep.Compare($"{net}\neval-mode output after training", expected, output, 1e-4));
    }

    [Fact]
    public void A_classifier_step_with_Sgd_allocates_nothing_after_the_first()
    {
        var trainer = Trainer(nameof(TrainingNetworks.SequenceHead), MaxBatch);
        var input = ReferenceNetwork.RandomInput(19, MaxBatch * trainer.InputSize);
        var output = new float[MaxBatch * trainer.OutputSize];
        var outputGradient = new float[output.Length];
        var inputGradient = new float[input.Length];
        int[] targets = { 0, 2, 1 };
        var optimizer = new Sgd(trainer.Parameters, 0.01, momentum: 0.9, weightDecay: 1e-4);
        void Step()
        {
            trainer.Forward(input, output, MaxBatch);
            SoftmaxCrossEntropy.Compute(output, targets, MaxBatch, trainer.OutputSize, outputGradient);
            optimizer.ZeroGrad();
            trainer.Backward(outputGradient, inputGradient);
            optimizer.Step();
        }

        AssertNoAllocation(Step);
    }

    [Fact]
    public void A_regression_step_with_Adam_allocates_nothing_after_the_first()
    {
        var trainer = Trainer(nameof(TrainingNetworks.Residual), MaxBatch);
        var input = ReferenceNetwork.RandomInput(23, MaxBatch * trainer.InputSize);
        var target = ReferenceNetwork.RandomInput(24, MaxBatch * trainer.OutputSize);
        var output = new float[target.Length];
        var outputGradient = new float[target.Length];
        var optimizer = new Adam(trainer.Parameters, amsgrad: true);
        void Step()
        {
            trainer.Forward(input, output, MaxBatch);
            MeanSquaredError.Compute(output, target, outputGradient);
            trainer.ZeroGrad();
            trainer.Backward(outputGradient);
            optimizer.Step();
        }

        AssertNoAllocation(Step);
    }

    private static void AssertNoAllocation(Action step)
    {
        step();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 5; i++)
        {
            step();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static void Refused(string parameter, int expectedLength, Action call)
    {
        var e = Assert.ThrowsAny<ArgumentException>(call);
        Assert.Equal(parameter, e.ParamName);
        Assert.Contains(expectedLength.ToString(CultureInfo.InvariantCulture), e.Message, StringComparison.Ordinal);
    }

    private static ITrainer Trainer(string name, int maxBatch)
    {
        var net = TrainingNetworks.Named(name);
        return TrainingNetworks.Compiled.Trainer(net, ReferenceNetwork.CreateWeights(net.Plans, 1), maxBatch);
    }
}
