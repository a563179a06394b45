using System.Collections.Generic;
using System.Linq;
using ConvGen.Shapes;
using ConvGen.Tests.Infrastructure;
using ConvGen.Tests.TrainingNetwork;

namespace ConvGen.Tests.TrainingReview;

/// <summary>
/// The networks of the training review, compiled together once: layouts whose output is renamed after the last op
/// (a trailing Flatten or Identity), kernels with more tap blocks than the generator unrolls (so the patch-matrix
/// kernels run from a tap table), tensors read twice (a saved tensor added to or concatenated with itself, the input
/// projected), convolutions no tap of which touches the input, networks without ops, and two networks for the
/// trainer's state across calls.
/// </summary>
internal static class ReviewNetworks
{
    /// <summary>Channels-last, a convolution, then Flatten: the output is C·H·W features in PyTorch's order, not NHWC.</summary>
    public static readonly DeclaredNetwork NhwcConvFlatten = NetworkBuilder.Net2d(2, 3, 4, channelsLast: true)
        .Conv(3, 3, padding: 1).Plain(LayerKind.Tanh).Plain(LayerKind.Flatten)
        .Build("NhwcConvFlatten");

    /// <summary>The 1-D form (NLC), with an Identity after the Flatten.</summary>
    public static readonly DeclaredNetwork NlcConvFlatten = NetworkBuilder.Net1d(3, 7, channelsLast: true)
        .Conv(2, 3, padding: 1).BatchNorm().Plain(LayerKind.Flatten).Plain(LayerKind.Identity)
        .Build("NlcConvFlatten");

    /// <summary>Flatten alone: no op at all, the output is the input reordered from NHWC to C·H·W.</summary>
    public static readonly DeclaredNetwork NhwcFlattenOnly = NetworkBuilder.Net2d(2, 3, 3, channelsLast: true)
        .Plain(LayerKind.Flatten)
        .Build("NhwcFlattenOnly");

    /// <summary>Identity alone on a channels-last sequence: no op, the output is the input.</summary>
    public static readonly DeclaredNetwork NlcIdentityOnly = NetworkBuilder.Net1d(3, 5, channelsLast: true)
        .Plain(LayerKind.Identity)
        .Build("NlcIdentityOnly");

    /// <summary>9×9 = 81 taps (more than the 64 written one per line), 'same'-sized by padding 4.</summary>
    public static readonly DeclaredNetwork TapTable2d = NetworkBuilder.Net2d(2, 10, 10)
        .Conv(3, 9, padding: 4).Plain(LayerKind.Tanh)
        .Build("TapTable2d");

    /// <summary>81 taps with stride 2, dilation 2, padding 5 and two groups: every tap clipped differently at the borders.</summary>
    public static readonly DeclaredNetwork TapTableGroups = NetworkBuilder.Net2d(4, 20, 20)
        .Conv(4, 9, padding: 5, stride: 2, dilation: 2, groups: 2)
        .Build("TapTableGroups");

    /// <summary>A 70-tap 1-D kernel.</summary>
    public static readonly DeclaredNetwork TapTable1d = NetworkBuilder.Net1d(2, 80)
        .Conv(2, 70, padding: 3)
        .Build("TapTable1d");

    /// <summary>Transposed, 81 taps: the tap table drives the scatter of cols and the patches of dy.</summary>
    public static readonly DeclaredNetwork TapTableTransposed = NetworkBuilder.Net2d(2, 5, 5)
        .ConvTranspose(2, 9, stride: 2, padding: 3)
        .Build("TapTableTransposed");

    /// <summary>Transposed, 81 taps, stride 3, output padding and two groups.</summary>
    public static readonly DeclaredNetwork TapTableTransposedGroups = NetworkBuilder.Net2d(4, 6, 6)
        .ConvTranspose(4, 9, stride: 3, padding: 2, outputPadding: 1, groups: 2)
        .Build("TapTableTransposedGroups");

    /// <summary>Save right before Add of itself: y = x + x, so ∂x = 2·dy through one tensor read twice.</summary>
    public static readonly DeclaredNetwork SelfAdd = NetworkBuilder.Net2d(2, 4, 4)
        .Save("a").AddSaved("a")
        .Build("SelfAdd");

    /// <summary>Concat of a tensor with itself.</summary>
    public static readonly DeclaredNetwork SelfConcat = NetworkBuilder.Net2d(2, 4, 4)
        .Conv(3, 3, padding: 1).Save("b").Concat("b").Conv(2, 1)
        .Build("SelfConcat");

    /// <summary>The network input saved and projected (1×1 stride-2 convolution + BatchNorm) into an Add.</summary>
    public static readonly DeclaredNetwork InputProjection = NetworkBuilder.Net2d(2, 4, 4)
        .Save("x").Conv(3, 3, padding: 1, stride: 2).AddSaved("x", projection: true)
        .Build("InputProjection");

    /// <summary>A 1×1 input, padding 1 and stride 2: both outputs read only padding, so no tap has a block (y = bias).</summary>
    public static readonly DeclaredNetwork AllPadding = NetworkBuilder.Net2d(1, 1, 1)
        .Conv(2, 1, padding: 1, stride: 2)
        .Build("AllPadding");

    /// <summary>BatchNorm and Dropout(P = 0.5) in both places they can be: whose mode Backward follows shows in every gradient.</summary>
    public static readonly DeclaredNetwork NormDropout = NetworkBuilder.Net2d(2, 5, 5)
        .Conv(3, 3, padding: 1).BatchNorm().Plain(LayerKind.ReLU).Dropout(0.5)
        .Plain(LayerKind.Flatten)
        .Linear(4).BatchNorm().Dropout(0.5)
        .Linear(2)
        .Build("NormDropout");

    /// <summary>Every layer that keeps per-batch state (BatchNorm statistics, max-pool picks, patch matrices), channels-last.</summary>
    public static readonly DeclaredNetwork BatchState = NetworkBuilder.Net2d(3, 6, 6, channelsLast: true)
        .Conv(4, 3, padding: 1, mode: BorderMode.Reflect).BatchNorm().Plain(LayerKind.ReLU)
        .Save("a")
        .Conv(4, 3, padding: 1, stride: 2).BatchNorm()
        .AddSaved("a", projection: true)
        .Pool(LayerKind.MaxPool, 2, ceil: true)
        .ConvTranspose(2, 3, stride: 2, padding: 1, outputPadding: 1)
        .Plain(LayerKind.GlobalAvgPool).Plain(LayerKind.Flatten)
        .Linear(3).BatchNorm()
        .Build("BatchState");

    public static readonly IReadOnlyList<DeclaredNetwork> All = new[]
    {
        NhwcConvFlatten, NlcConvFlatten, NhwcFlattenOnly, NlcIdentityOnly,
        TapTable2d, TapTableGroups, TapTable1d, TapTableTransposed, TapTableTransposedGroups,
        SelfAdd, SelfConcat, InputProjection, AllPadding,
        NormDropout, BatchState,
    };

    public static readonly CompiledNetworks Compiled = new(All);

    public static DeclaredNetwork Named(string className) => All.Single(n => n.ClassName == className);

    /// <summary>
    /// One train-mode step of the generated trainer (MaxBatch <paramref name="maxBatch"/>) against
    /// <see cref="ReferenceTrainer"/>: every way they differ (output, ∂input, gradients, state_dict after the step).
    /// </summary>
    public static List<string> StepMismatches(DeclaredNetwork net, int batch, int maxBatch, int seed)
    {
        var plans = net.Plans;
        var weights = ReferenceNetwork.CreateWeights(plans, seed);
        var input = ReferenceNetwork.RandomInput(seed + 1, batch * net.Network.InputShape.Size);
        var outputGradient = ReferenceNetwork.RandomInput(seed + 2, batch * plans[plans.Count - 1].Output.Size);
        var (tape, expected) = ReferenceTrainer.Step(net.Network, plans, weights, input, batch, outputGradient);
        var trainer = Compiled.Trainer(net, weights, maxBatch, seed);
        return TrainerStep.Run(trainer, input, outputGradient, batch).Mismatches(tape, expected, 1e-4);
    }
}
