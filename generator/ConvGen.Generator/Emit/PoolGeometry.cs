using ConvGen.Shapes;

namespace ConvGen.Generator.Emit;

/// <summary>
/// The literal geometry of a max or average pooling kernel: window, strides, dilation (max pooling only; a 1-D
/// layer has window height 1) and the interior, the outputs whose whole window lies inside the input.
/// </summary>
internal sealed class PoolGeometry
{
    public PoolGeometry(Op op)
    {
        var p = op.Layer;
        var d = p.Decl;
        Max = op.Kind == OpKind.MaxPool;
        Input = p.Input;
        Output = p.Output;
        KernelH = Input.Rank == 2 ? d.KernelH : 1;
        KernelW = d.KernelW;
        DilationH = Max ? d.DilationH : 1;
        DilationW = Max ? d.DilationW : 1;
        StrideH = d.StrideH;
        StrideW = d.StrideW;
        PadTop = p.PadTop;
        PadLeft = p.PadLeft;
        Rows = ConvGeometry.Interior(Output.Height, Input.Height, KernelH, StrideH, DilationH, PadTop);
        Cols = ConvGeometry.Interior(Output.Width, Input.Width, KernelW, StrideW, DilationW, PadLeft);
    }

    public bool Max { get; }

    public TensorShape Input { get; }

    public TensorShape Output { get; }

    public int KernelH { get; }

    public int KernelW { get; }

    public int DilationH { get; }

    public int DilationW { get; }

    public int StrideH { get; }

    public int StrideW { get; }

    public int PadTop { get; }

    public int PadLeft { get; }

    public (int Lo, int Hi) Rows { get; }

    public (int Lo, int Hi) Cols { get; }

    public bool HasInterior => Rows.Lo <= Rows.Hi && Cols.Lo <= Cols.Hi;

    /// <summary>Interior output columns per row (0 when there is no interior).</summary>
    public int InteriorWidth => HasInterior ? Cols.Hi - Cols.Lo + 1 : 0;

    /// <summary>Whether some output's window reaches into the padding or past the input (the window path is needed).</summary>
    public bool HasBorder => !HasInterior || Rows.Lo > 0 || Rows.Hi < Output.Height - 1 || Cols.Lo > 0 || Cols.Hi < Output.Width - 1;

    /// <summary>The input offset of tap (a, c) from the window's first element.</summary>
    public int TapOffset(int a, int c) => (a * DilationH * Input.Width) + (c * DilationW);
}
