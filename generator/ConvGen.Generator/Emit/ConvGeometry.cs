using ConvGen.Shapes;

namespace ConvGen.Generator.Emit;

/// <summary>
/// The literal geometry of a convolution kernel: channels per group, kernel taps (a 1-D layer has kernel
/// height 1), and the interior: the output rows and columns whose whole window lies inside the input.
/// </summary>
internal sealed class ConvGeometry
{
    public ConvGeometry(Op op)
    {
        var p = op.Layer;
        var d = p.Decl;
        Input = p.Input;
        Output = p.Output;
        InPerGroup = Input.Channels / d.Groups;
        OutPerGroup = Output.Channels / d.Groups;
        KernelH = Input.Rank == 2 ? d.KernelH : 1;
        KernelW = d.KernelW;
        Rows = Interior(Output.Height, Input.Height, KernelH, d.StrideH, d.DilationH, p.PadTop);
        Cols = Interior(Output.Width, Input.Width, KernelW, d.StrideW, d.DilationW, p.PadLeft);
    }

    public TensorShape Input { get; }

    public TensorShape Output { get; }

    public int InPerGroup { get; }

    public int OutPerGroup { get; }

    public int KernelH { get; }

    public int KernelW { get; }

    public int Taps => KernelH * KernelW;

    public (int Lo, int Hi) Rows { get; }

    public (int Lo, int Hi) Cols { get; }

    public bool HasInterior => Rows.Lo <= Rows.Hi && Cols.Lo <= Cols.Hi;

    /// <summary>Whether some output's window reaches outside the input (the border path is needed).</summary>
    public bool HasBorder => !HasInterior || Rows.Lo > 0 || Rows.Hi < Output.Height - 1 || Cols.Lo > 0 || Cols.Hi < Output.Width - 1;

    /// <summary>First and last output index whose whole window lies inside the input (empty when lo &gt; hi).</summary>
    public static (int Lo, int Hi) Interior(int outSize, int inSize, int kernel, int stride, int dilation, int padBefore)
    {
        int lo = ShapeMath.CeilDiv(padBefore, stride);
        int hi = ShapeMath.FloorDiv(inSize - 1 - (dilation * (kernel - 1)) + padBefore, stride);
        return (System.Math.Max(lo, 0), System.Math.Min(hi, outSize - 1));
    }
}
