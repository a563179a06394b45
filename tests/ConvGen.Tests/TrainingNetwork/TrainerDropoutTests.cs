using System;
using System.Collections.Generic;
using System.Linq;
using ConvGen.Tests.Infrastructure;
using Xunit;

namespace ConvGen.Tests.TrainingNetwork;

/// <summary>
/// Dropout(P = 0.5) in train mode, seen through <see cref="TrainingNetworks.DropoutLast"/>, a convolution whose output
/// goes straight through Dropout: each output is 0 (dropped) or twice the convolution's (kept, scaled by 1/(1 − P)),
/// so the output shows the mask. The convolution alone is the reference (its outputs are never exactly 0).
/// </summary>
public sealed class TrainerDropoutTests
{
    private const int Batch = 4;

    private static readonly DeclaredNetwork Net = TrainingNetworks.DropoutLast;

    [Fact]
    public void About_half_is_dropped_and_the_rest_doubled()
    {
        var (weights, input, convolution) = Case();
        var trainer = TrainingNetworks.Compiled.Trainer(Net, weights, Batch);
        var output = new float[convolution.Length];
        trainer.Forward(input, output, Batch);

        int dropped = 0;
        for (int i = 0; i < output.Length; i++)
        {
            if (output[i] == 0)
            {
                dropped++;
                continue;
            }

            double expected = 2.0 * convolution[i];
            Assert.True(Math.Abs(output[i] - expected) <= 1e-4 * Math.Max(1, Math.Abs(expected)), $"output[{i}] = {output[i]:R}: neither 0 nor 2 × {convolution[i]:R}");
        }

        // 1536 Bernoulli(0.5) draws: the fraction is 0.5 ± 0.013 (one standard deviation); ±0.05 is four of them.
        double fraction = (double)dropped / output.Length;
        Assert.InRange(fraction, 0.45, 0.55);
    }

    [Fact]
    public void The_same_seed_gives_the_same_masks_and_another_seed_others()
    {
        var (weights, input, _) = Case();
        var first = Masks(TrainingNetworks.Compiled.Trainer(Net, weights, Batch, seed: 5), input, calls: 3);
        var again = Masks(TrainingNetworks.Compiled.Trainer(Net, weights, Batch, seed: 5), input, calls: 3);
        var other = Masks(TrainingNetworks.Compiled.Trainer(Net, weights, Batch, seed: 6), input, calls: 3);
        for (int call = 0; call < 3; call++)
        {
            Assert.True(first[call].SequenceEqual(again[call]), $"call {call}: seed 5 drew two different masks");
            Assert.False(first[call].SequenceEqual(other[call]), $"call {call}: seeds 5 and 6 drew the same mask");
        }

        // A sequence, not one mask: each call draws anew.
        Assert.False(first[0].SequenceEqual(first[1]), "two calls drew the same mask");
    }

    [Fact]
    public void Backward_uses_the_mask_of_the_last_forward()
    {
        var (weights, input, _) = Case();
        var trainer = TrainingNetworks.Compiled.Trainer(Net, weights, Batch);
        var plans = Net.Plans;
        var convolution = plans.Take(plans.Count - 1).ToList();
        var outputGradient = ReferenceNetwork.RandomInput(41, Batch * trainer.OutputSize);

        // Two steps, so that the second backward must use the second mask.
        for (int step = 0; step < 2; step++)
        {
            var actual = TrainerStep.Run(trainer, input, outputGradient, Batch);

            // Dropout's backward is G·mask/(1 − P): the convolution's gradient for that G is the expected gradient.
            var masked = outputGradient.Select((g, i) => actual.Output[i] == 0 ? 0f : 2f * g).ToArray();
            var (_, expected) = ReferenceTrainer.Step(Net.Network, convolution, weights, input, Batch, masked);
            var problems = new List<string?>
            {
                TrainerStep.Compare("grad_input", expected.Input, actual.InputGradient, 1e-4),
            };
            problems.AddRange(expected.Parameters.Select(t => TrainerStep.Compare($"gradient of '{t.Name}'", t.Data, actual.Gradients[t.Name].Data, 1e-4)));
            Assert.True(problems.All(p => p is null), $"step {step}: " + string.Join("\n", problems.Where(p => p is not null)));
        }
    }

    /// <summary>Weights, an input, and the convolution's output for them (what Dropout receives).</summary>
    private static (ModelWeights Weights, float[] Input, float[] Convolution) Case()
    {
        var plans = Net.Plans;
        var weights = ReferenceNetwork.CreateWeights(plans, 3);
        var input = ReferenceNetwork.RandomInput(3, Batch * Net.Network.InputShape.Size);
        var convolution = ReferenceNetwork.Run(Net.Network, plans.Take(plans.Count - 1).ToList(), weights, input, Batch);
        return (weights, input, convolution);
    }

    /// <summary>Which outputs each of <paramref name="calls"/> forward passes dropped.</summary>
    private static List<bool[]> Masks(ConvGen.Training.ITrainer trainer, float[] input, int calls)
    {
        var masks = new List<bool[]>();
        var output = new float[Batch * trainer.OutputSize];
        for (int call = 0; call < calls; call++)
        {
            trainer.Forward(input, output, Batch);
            masks.Add(output.Select(v => v == 0).ToArray());
        }

        return masks;
    }
}
