using System.Collections.Generic;
using ConvGen.Shapes;

namespace ConvGen.Tests.TrainingNetwork;

/// <summary>
/// Small hand-written networks for the finite-difference, eval-mode, dropout and contract tests, compiled together
/// once. Together they hold every layer with a train-mode behaviour or a backward worth a second look: BatchNorm
/// (2-d, 1-d on features, without affine, with another momentum), reflect/replicate/circular padding, max pooling,
/// projection and plain Add, Concat, bilinear upsampling, transposed and grouped convolutions, pixel (un)shuffle,
/// channels-last I/O and Dropout.
/// </summary>
internal static class TrainingNetworks
{
    public static readonly DeclaredNetwork BatchNormMaxPool = NetworkBuilder.Net2d(2, 6, 6)
        .Conv(4, 3, padding: 1, mode: BorderMode.Reflect).BatchNorm().Plain(LayerKind.ReLU)
        .Pool(LayerKind.MaxPool, 2)
        .Conv(3, 3, padding: 1, bias: false, mode: BorderMode.Replicate).Plain(LayerKind.Tanh)
        .Build("BatchNormMaxPool");

    public static readonly DeclaredNetwork Residual = NetworkBuilder.Net2d(3, 6, 6, channelsLast: true)
        .Conv(4, 3, padding: 1).BatchNorm().Plain(LayerKind.SiLU)
        .Save("a")
        .Conv(6, 3, padding: 1, stride: 2).BatchNorm(affine: false)
        .AddSaved("a", projection: true)
        .Save("b")
        .Conv(6, 1, groups: 2).Plain(LayerKind.Tanh)
        .AddSaved("b")
        .Build("Residual");

    public static readonly DeclaredNetwork ConcatBilinear = NetworkBuilder.Net2d(2, 6, 6)
        .Conv(3, 3, padding: 1, mode: BorderMode.Circular)
        .Save("s")
        .Pool(LayerKind.AvgPool, 2)
        .Conv(4, 3, padding: 1).Plain(LayerKind.Sigmoid)
        .Upsample(2, linear: true)
        .Concat("s")
        .Conv(2, 1)
        .Build("ConcatBilinear");

    public static readonly DeclaredNetwork SequenceHead = NetworkBuilder.Net1d(3, 12)
        .Conv(4, 3, dilation: 2, rule: PadRule.Causal).BatchNorm().LeakyReLU(0.2)
        .ConvTranspose(3, 3, stride: 2, padding: 1, outputPadding: 1)
        .Pool(LayerKind.MaxPool, 2)
        .Plain(LayerKind.Flatten)
        .Linear(6).BatchNorm().Plain(LayerKind.Tanh)
        .Linear(3)
        .Build("SequenceHead");

    public static readonly DeclaredNetwork Shuffle = NetworkBuilder.Net2d(2, 4, 4)
        .ConvTranspose(4, 3, stride: 2, padding: 1, outputPadding: 1, groups: 2)
        .PixelUnshuffle(2)
        .Conv(8, 3, dilation: 2, rule: PadRule.Same).Plain(LayerKind.ReLU6)
        .PixelShuffle(2)
        .Plain(LayerKind.GlobalAvgPool)
        .Plain(LayerKind.Flatten)
        .Linear(3)
        .Build("Shuffle");

    /// <summary>Dropout(P = 0.5) twice, BatchNorm with momentum 0.2 and on features, average pooling without the padding.</summary>
    public static readonly DeclaredNetwork WithDropout = NetworkBuilder.Net2d(3, 6, 6)
        .Conv(4, 3, padding: 1).BatchNorm().Plain(LayerKind.ReLU)
        .Dropout(0.5)
        .Conv(4, 3, padding: 1, stride: 2).BatchNorm(momentum: 0.2)
        .Pool(LayerKind.AvgPool, 2, padding: 1, countIncludePad: false)
        .Plain(LayerKind.Flatten)
        .Linear(5).BatchNorm().Plain(LayerKind.Sigmoid)
        .Dropout(0.5)
        .Linear(3)
        .Build("WithDropout");

    /// <summary>A convolution straight into Dropout(P = 0.5): the output shows the mask.</summary>
    public static readonly DeclaredNetwork DropoutLast = NetworkBuilder.Net2d(4, 8, 8)
        .Conv(6, 3, padding: 1)
        .Dropout(0.5)
        .Build("DropoutLast");

    /// <summary>The networks the finite-difference tests differentiate (no random Dropout).</summary>
    public static readonly IReadOnlyList<DeclaredNetwork> Differentiable = new[] { BatchNormMaxPool, Residual, ConcatBilinear, SequenceHead, Shuffle };

    public static readonly CompiledNetworks Compiled = new(new[] { BatchNormMaxPool, Residual, ConcatBilinear, SequenceHead, Shuffle, WithDropout, DropoutLast });

    public static DeclaredNetwork Named(string className) => className switch
    {
        nameof(BatchNormMaxPool) => BatchNormMaxPool,
        nameof(Residual) => Residual,
        nameof(ConcatBilinear) => ConcatBilinear,
        nameof(SequenceHead) => SequenceHead,
        nameof(Shuffle) => Shuffle,
        nameof(WithDropout) => WithDropout,
        nameof(DropoutLast) => DropoutLast,
        _ => throw new KeyNotFoundException(className),
    };
}
