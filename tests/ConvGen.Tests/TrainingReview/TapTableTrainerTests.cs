using System;
using System.Linq;
using ConvGen.Tests.Infrastructure;
using Xunit;

namespace ConvGen.Tests.TrainingReview;

/// <summary>
/// Past 64 tap blocks the trainer's patch-matrix kernels run their copies and scatters from a static tap table
/// instead of one line per tap (the direct kernels' table is <see cref="Training.TrainerDirectConvolutionTests"/>'
/// business). Random and golden networks stay below 64 taps, so these layers check that path against the reference:
/// 2-D, strided, dilated and grouped, 1-D, and transposed with and without groups and output padding.
/// </summary>
public sealed class TapTableTrainerTests
{
    public static TheoryData<string> Networks() => new(
        nameof(ReviewNetworks.TapTable2d), nameof(ReviewNetworks.TapTableGroups), nameof(ReviewNetworks.TapTable1d),
        nameof(ReviewNetworks.TapTableTransposed), nameof(ReviewNetworks.TapTableTransposedGroups));

    [Theory]
    [MemberData(nameof(Networks))]
    public void A_patch_matrix_kernel_run_from_its_tap_table_matches_the_reference(string name)
    {
        var net = ReviewNetworks.Named(name);
        string trainer = Trainer(GeneratorHarness.Run(net.Source).Sources.Values.Single());
        Assert.Contains("private static readonly int[] Taps1", trainer, StringComparison.Ordinal);
        Assert.Contains("_col1 = new float[", trainer, StringComparison.Ordinal);

        var problems = ReviewNetworks.StepMismatches(net, batch: 2, maxBatch: 3, seed: 31);
        Assert.True(problems.Count == 0, $"{net}\n" + string.Join("\n", problems));
    }

    /// <summary>The nested Trainer's part of a generated file.</summary>
    private static string Trainer(string source)
        => source.Substring(source.IndexOf("public sealed class Trainer", StringComparison.Ordinal));
}
