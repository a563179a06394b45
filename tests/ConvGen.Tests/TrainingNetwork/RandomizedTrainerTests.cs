using System;
using System.Collections.Generic;
using System.Linq;
using ConvGen.Shapes;
using ConvGen.Tests.Forward;
using ConvGen.Tests.Infrastructure;
using Xunit;

namespace ConvGen.Tests.TrainingNetwork;

/// <summary>
/// Random valid declarations (<see cref="RandomNetworks"/>, every Dropout made P = 0 so that both sides compute the
/// same function) compiled together once; one train-mode step of each generated trainer (batch 3) against
/// <see cref="ReferenceTrainer"/>: the output, ∂loss/∂input, every parameter gradient and the state_dict after the step.
/// </summary>
public sealed class RandomizedTrainerTests
{
    private const int Batch = 3;

    /// <summary>
    /// |actual − expected| ≤ Tolerance·max(1, |expected|), as for the forward pass (<see cref="RandomizedForwardTests"/>):
    /// both sides round to float at every layer boundary, and with inputs, weights and upstream gradients of order one
    /// the gradients stay of order one (the reference sums in double).
    /// </summary>
    private const double Tolerance = 1e-4;

    /// <summary>
    /// Seeds whose networks together hold every layer kind and option (checked by
    /// <see cref="The_seeds_cover_every_layer_kind_and_option"/>): 1 to 40 of <see cref="RandomNetworks"/> except 7, and 57,
    /// whose focus is an Add on features.
    /// </summary>
    /// Seed 7 is left out: its network normalizes flattened features with BatchNorm1d over only 3 samples, and its
    /// parameter gradients there are ill-conditioned. Perturbing the reference's own inputs and weights by 1e-7
    /// (relative, rounding level) moves three gradient entries by 0.6 to 1.0 of the tolerance, so a float trainer can
    /// miss by rounding alone (it did, by 1.1 to 2.0 tolerances, after a change of summation order). Seed 40 takes its place.
    private static readonly int[] SeedList = Enumerable.Range(1, 40).Where(seed => seed != 7).Append(57).ToArray();

    private static readonly Dictionary<int, DeclaredNetwork> Networks = SeedList.ToDictionary(seed => seed, Declare);

    private static readonly CompiledNetworks Compiled = new(Networks.Values);

    public static TheoryData<int> Seeds() => new(SeedList);

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Generated_trainer_step_matches_the_reference_trainer(int seed)
    {
        var net = Networks[seed];
        var plans = net.Plans;
        var weights = ReferenceNetwork.CreateWeights(plans, seed);
        var input = ReferenceNetwork.RandomInput(seed, Batch * net.Network.InputShape.Size);
        var outputGradient = ReferenceNetwork.RandomInput(seed + 5000, Batch * plans[plans.Count - 1].Output.Size);
        var (tape, expected) = ReferenceTrainer.Step(net.Network, plans, weights, input, Batch, outputGradient);

        var trainer = Compiled.Trainer(net, weights, Batch, seed);
        Assert.True(trainer.Training, "a new trainer must start in training mode");
        var actual = TrainerStep.Run(trainer, input, outputGradient, Batch);

        var problems = actual.Mismatches(tape, expected, Tolerance);
        Assert.True(problems.Count == 0, $"seed {seed}, batch {Batch}:\n{net.Attributes}\n" + string.Join("\n", problems));
    }

    [Fact]
    public void The_seeds_cover_every_layer_kind_and_option()
    {
        var seen = new HashSet<string>(SeedList.SelectMany(seed => RandomNetworks.Generate(seed).Features), StringComparer.Ordinal);
        string[] required =
        {
            "1d", "2d", "nchw", "nhwc", "flat-output",
            "conv1d", "conv2d", "stride", "dilation", "groups", "depthwise", "no-bias", "rect-kernel",
            "pad-same-odd", "pad-same-even", "pad-asymmetric", "pad-causal", "mode-zeros", "mode-reflect", "mode-replicate", "mode-circular",
            "convT1d", "convT2d", "convT-stride", "convT-padding", "convT-output-padding", "convT-groups",
            "maxpool", "maxpool-padding", "maxpool-ceil", "avgpool", "avgpool-padding", "avgpool-ceil", "avgpool-exclude-pad", "gap",
            "bn-folded", "bn-standalone", "bn-no-affine", "bn1d-flat",
            "relu", "leakyrelu", "relu6", "sigmoid", "tanh", "silu", "dropout", "identity", "flatten", "linear", "linear-no-bias",
            "upsample-nearest", "upsample-linear", "pixelshuffle", "pixelunshuffle",
            "save", "save-input", "add", "add-projection", "add-flat", "concat",
        };
        var missing = required.Where(f => !seen.Contains(f)).ToList();
        Assert.True(missing.Count == 0, "no seed produces: " + string.Join(", ", missing));
    }

    /// <summary>The random network of <paramref name="seed"/> with every Dropout turned into Dropout(P = 0), as class Net{seed}.</summary>
    private static DeclaredNetwork Declare(int seed)
    {
        var net = RandomNetworks.Generate(seed);
        var layers = net.Layers
            .Select(l => l.Decl.Kind == LayerKind.Dropout ? l with { Text = "Dropout(P = 0)", Decl = l.Decl with { DropoutP = 0 } } : l)
            .ToList();
        var safe = net with { Layers = layers };
        return new DeclaredNetwork("Net" + seed, safe.Attributes, safe.Network, safe.Decls);
    }
}
