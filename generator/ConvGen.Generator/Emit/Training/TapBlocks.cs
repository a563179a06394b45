using System.Collections.Generic;
using ConvGen.Shapes;

namespace ConvGen.Generator.Emit.Training;

/// <summary>
/// One tap of a convolution as the training kernels run it: the tap's index in the kernel window, and the block of
/// input positions it pairs with a block of output positions (both as offsets within one channel plane, row strides
/// and steps). Computed here, at generation time, so that zero padding only shrinks the blocks: no index leaves its
/// tensor and no kernel tests a border.
/// </summary>
internal readonly record struct TapBlock(int Tap, int InOffset, int InRowStride, int InStep, int OutOffset, int OutRowStride, int OutStep, int Rows, int Cols);

/// <summary>Computes the tap blocks of a convolution or transposed convolution.</summary>
internal static class TapBlocks
{
    /// <summary>Every tap that touches at least one output, in window order.</summary>
    public static List<TapBlock> For(LayerPlan p, bool transposed)
    {
        var d = p.Decl;
        bool twoD = p.Input.Rank == 2;
        int kh = twoD ? d.KernelH : 1;
        int sh = twoD ? d.StrideH : 1, dh = twoD ? d.DilationH : 1, pt = twoD ? p.PadTop : 0;
        var blocks = new List<TapBlock>();
        for (int a = 0; a < kh; a++)
        {
            var rows = Axis(p.Input.Height, p.Output.Height, sh, a * dh, pt, transposed);
            for (int e = 0; e < d.KernelW; e++)
            {
                var cols = Axis(p.Input.Width, p.Output.Width, d.StrideW, e * d.DilationW, p.PadLeft, transposed);
                if (rows.Count <= 0 || cols.Count <= 0)
                {
                    continue;
                }

                int inOffset = (rows.In * p.Input.Width) + cols.In;
                int outOffset = (rows.Out * p.Output.Width) + cols.Out;
                blocks.Add(transposed
                    ? new TapBlock((a * d.KernelW) + e, inOffset, p.Input.Width, 1, outOffset, sh * p.Output.Width, d.StrideW, rows.Count, cols.Count)
                    : new TapBlock((a * d.KernelW) + e, inOffset, sh * p.Input.Width, d.StrideW, outOffset, p.Output.Width, 1, rows.Count, cols.Count));
            }
        }

        return blocks;
    }

    /// <summary>
    /// Along one axis, for the tap at offset <paramref name="tap"/> (= k·dilation): the first input and output index of
    /// the pairs it links, and how many there are. Convolution: in = out·s − pad + tap; transposed: out = in·s − pad + tap.
    /// </summary>
    private static (int In, int Out, int Count) Axis(int inSize, int outSize, int stride, int tap, int pad, bool transposed)
    {
        // The stepping index (out for a convolution, in for a transposed one) runs while the other one,
        // stepping·s − pad + tap, stays within its own axis.
        int steppingSize = transposed ? inSize : outSize;
        int otherSize = transposed ? outSize : inSize;
        int lo = System.Math.Max(0, CeilDiv(pad - tap, stride));
        int hi = System.Math.Min(steppingSize - 1, FloorDiv(otherSize - 1 + pad - tap, stride));
        int other = (lo * stride) - pad + tap;
        return transposed ? (lo, other, hi - lo + 1) : (other, lo, hi - lo + 1);
    }

    private static int FloorDiv(int a, int b) => a >= 0 ? a / b : -((-a + b - 1) / b);

    private static int CeilDiv(int a, int b) => -FloorDiv(-a, b);
}
