using ConvGen.Shapes;

namespace ConvGen.Generator.Emit.Strategies;

/// <summary>
/// A convolution or linear layer as the cost model sees it: literal sizes only. A linear layer is a 1×1 convolution on
/// a 1×1 map whose input channels are its input features. A transposed convolution keeps PyTorch's meaning of every
/// field (input and output sizes, kernel, stride, padding); only <see cref="Transposed"/> strategies take it.
/// </summary>
internal sealed class ConvProblem
{
    public ConvProblem(LayerPlan layer, bool linear, bool inputFromCaller, bool residualFromCaller, bool residual = false, bool transposed = false, int? outChannels = null)
    {
        Residual = residual;
        Transposed = transposed;
        var d = layer.Decl;
        Layer = layer;
        Linear = linear;
        InputFromCaller = inputFromCaller;
        ResidualFromCaller = residualFromCaller;
        if (linear)
        {
            InChannels = layer.Input.Size;
            OutChannels = layer.Output.Size;
            Height = Width = OutHeight = OutWidth = 1;
            return;
        }

        bool twoD = layer.Input.Rank == 2;
        InChannels = layer.Input.Channels;
        OutChannels = outChannels ?? layer.Output.Channels;
        Groups = d.Groups;
        Height = layer.Input.Height;
        Width = layer.Input.Width;
        OutHeight = layer.Output.Height;
        OutWidth = layer.Output.Width;
        KernelH = twoD ? d.KernelH : 1;
        KernelW = d.KernelW;
        StrideH = twoD ? d.StrideH : 1;
        StrideW = d.StrideW;
        DilationH = twoD ? d.DilationH : 1;
        DilationW = d.DilationW;
        PadTop = layer.PadTop;
        PadBottom = layer.PadBottom;
        PadLeft = layer.PadLeft;
        PadRight = layer.PadRight;
    }

    public LayerPlan Layer { get; }

    /// <summary>
    /// One part of a layer split by output channels (<see cref="Op.Parts"/>): this problem's first
    /// <see cref="OutChannels"/> channels stand for each part's, read from the same input.
    /// </summary>
    public ConvProblem Part(int channels) => new(Layer, Linear, InputFromCaller, ResidualFromCaller, Residual, Transposed, channels);

    public bool Linear { get; }

    /// <summary>A transposed convolution: output o receives input i through tap k where o = i·s − p + k·d.</summary>
    public bool Transposed { get; }

    /// <summary>The kernel would read the caller's input span, which has no slack after its last float.</summary>
    public bool InputFromCaller { get; }

    /// <summary>The epilogue adds a residual tensor.</summary>
    public bool Residual { get; }

    /// <summary>A fused residual would be read from the caller's input span.</summary>
    public bool ResidualFromCaller { get; }

    public int InChannels { get; }

    public int OutChannels { get; }

    public int Groups { get; } = 1;

    public int Height { get; }

    public int Width { get; }

    public int OutHeight { get; }

    public int OutWidth { get; }

    public int KernelH { get; } = 1;

    public int KernelW { get; } = 1;

    public int StrideH { get; } = 1;

    public int StrideW { get; } = 1;

    public int DilationH { get; } = 1;

    public int DilationW { get; } = 1;

    public int PadTop { get; }

    public int PadBottom { get; }

    public int PadLeft { get; }

    public int PadRight { get; }

    public int InPerGroup => InChannels / Groups;

    public int OutPerGroup => OutChannels / Groups;

    public int Taps => KernelH * KernelW;

    /// <summary>Multiply-adds per output: C_in/g · taps.</summary>
    public int Depth => InPerGroup * Taps;

    public int Positions => OutHeight * OutWidth;

    public bool Padded => (PadTop | PadBottom | PadLeft | PadRight) != 0;

    /// <summary>Every group has one input and one output channel: each channel filtered on its own.</summary>
    public bool Depthwise => !Linear && Groups > 1 && InPerGroup == 1 && OutPerGroup == 1;

    public int PaddedHeight => Height + PadTop + PadBottom;

    public int PaddedWidth => Width + PadLeft + PadRight;

    /// <summary>The input as the producer left it (no copy).</summary>
    public ConvInput Unprepared => new(false, 1, 1, Height, Width, StrideH, StrideW);

    /// <summary>A padded copy, without phase planes: output positions step by the stride.</summary>
    public ConvInput PaddedCopy => new(true, 1, 1, PaddedHeight, PaddedWidth, StrideH, StrideW);

    /// <summary>A padded copy split into stride_h × stride_w phase planes: output positions step by 1.</summary>
    public ConvInput PhasePlanes => new(
        true, StrideH, StrideW, ShapeMath.CeilDiv(PaddedHeight, StrideH), ShapeMath.CeilDiv(PaddedWidth, StrideW), 1, 1);
}
