using System.Collections.Generic;
using ConvGen.Shapes;

namespace ConvGen.Generator.Emit;

/// <summary>
/// A tensor of one sample flowing between kernels. <see cref="Buffer"/> is the workspace slot it lives
/// in (−1: the caller's input span). Flatten, Identity, Dropout and Save produce no tensor of their own.
/// </summary>
internal sealed class TensorValue
{
    public TensorValue(int id, TensorShape shape)
    {
        Id = id;
        Shape = shape;
    }

    public int Id { get; }

    public TensorShape Shape { get; }

    /// <summary>
    /// Set when the tensor is handed from a channel tile to a depthwise lanes kernel in channel blocks (see
    /// <see cref="Strategies.ChannelBlocks"/>) instead of as [C, H, W].
    /// </summary>
    public Strategies.ChannelBlocks? Blocks { get; set; }

    /// <summary>Floats the tensor occupies in its buffer.</summary>
    public int Floats => Blocks?.Floats ?? Shape.Size;

    public int Buffer { get; set; } = -1;

    public int LastUse { get; set; } = -1;
}

/// <summary>What a kernel computes, after fusion; the kernel strategy decides how (see <see cref="Kernels"/>).</summary>
internal enum OpKind
{
    Conv,
    Pad,
    ConvTranspose,
    Linear,
    ScaleShift,
    Activation,
    MaxPool,
    AvgPool,
    GlobalAvgPool,
    Upsample,
    PixelShuffle,
    PixelUnshuffle,
    Add,
    Concat,
}

/// <summary>
/// One generated kernel: the layer it comes from, the BatchNorm folded into it and the activation fused
/// into its store. <see cref="Padded"/> is the conv's input geometry after a separate padding kernel.
/// </summary>
internal sealed class Op
{
    public Op(OpKind kind, LayerPlan layer, TensorValue input, TensorValue output)
    {
        Kind = kind;
        Layer = layer;
        Input = input;
        Output = output;
    }

    public OpKind Kind { get; }

    /// <summary>The plan the kernel computes (for a conv after a padding kernel: the padded input, no padding).</summary>
    public LayerPlan Layer { get; set; }

    /// <summary>The layer as declared, when <see cref="Layer"/> was rewritten (comments describe this one).</summary>
    public LayerPlan? Declared { get; set; }

    public TensorValue Input { get; }

    public TensorValue Output { get; set; }

    /// <summary>Add/Concat: the saved tensor; a convolution or linear layer: the residual its epilogue adds.</summary>
    public TensorValue? Skip { get; set; }

    public LayerPlan? FoldedBatchNorm { get; set; }

    public Activation? Activation { get; set; }

    /// <summary>Fused layers after the first, for the comment ("+ BatchNorm2d #1 (folded) + ReLU #2").</summary>
    public List<string> FusedLabels { get; } = new();

    /// <summary>Whether the kernel may write its output over its input.</summary>
    public bool InPlace => Kind is OpKind.ScaleShift or OpKind.Activation or OpKind.Add;

    /// <summary>Whether the kernel unrolls its taps (false: compact loops, over the unroll budget).</summary>
    public bool Unrolled { get; set; } = true;

    public string MethodName { get; set; } = "";

    /// <summary>Field names of the finalized weight and bias arrays (null: none).</summary>
    public string? WeightField { get; set; }

    public string? BiasField { get; set; }

    /// <summary>A kernel's own scratch buffer (see <see cref="Strategies.ConvStrategy.ScratchLength"/>), or null.</summary>
    public string? ScratchField { get; set; }

    /// <summary>
    /// Convolutions and linear layers: the kernel the cost model chose (strategy, tile, input layout); the padding
    /// kernel before such a convolution carries the same choice, whose input layout it writes.
    /// </summary>
    public Strategies.KernelChoice? Choice { get; set; }

    /// <summary>
    /// A convolution that may run split by output channels into <see cref="Parts"/> equal parts on several cores (for a
    /// sample alone): the kernel of one part, called once per part on its slices of the output, weights, bias and
    /// residual. Null: never split. Inside a batch split across cores the whole-layer kernel runs instead.
    /// </summary>
    public Op? Part { get; set; }

    /// <summary>How many parts <see cref="Part"/> runs in (1 when not split); on a part kernel, how many parts its layer has.</summary>
    public int Parts { get; set; } = 1;

    /// <summary>This is the <see cref="Part"/> kernel of a split layer: its weights hold <see cref="Parts"/> packed parts.</summary>
    public bool IsPart { get; init; }

    /// <summary>A convolution that is an <c>Add(..., Projection = true)</c>'s 1×1 shortcut: its weights are that layer's.</summary>
    public LayerPlan? ProjectionOf { get; set; }
}
