using System.Collections.Generic;
using System.Globalization;
using ConvGen.Shapes;

namespace ConvGen.Generator.Emit;

/// <summary>
/// One tap of a convolution as the patch-matrix kernels (inference and training) run it: the tap's index in the kernel window, and the block of
/// input positions it pairs with a block of output positions (both as offsets within one channel plane, row strides
/// and steps). Computed here, at generation time, so that zero padding only shrinks the blocks: no index leaves its
/// tensor and no kernel tests a border.
/// </summary>
internal readonly record struct TapBlock(int Tap, int InOffset, int InRowStride, int InStep, int OutOffset, int OutRowStride, int OutStep, int Rows, int Cols);

/// <summary>The tap blocks of a convolution or transposed convolution, and the code the patch-matrix kernels build on them.</summary>
internal static class TapBlocks
{
    /// <summary>Kernels with more tap blocks than this (or told to be compact) run them from a table instead of one line per tap.</summary>
    public const int MaxUnrolledTaps = 64;

    private static string L(long v) => v.ToString(CultureInfo.InvariantCulture);

    /// <summary>Taps of the kernel window (a 1-D layer's height is 1).</summary>
    public static int Taps(LayerPlan p) => (p.Input.Rank == 2 ? p.Decl.KernelH : 1) * p.Decl.KernelW;

    /// <summary>Floats in one sample's patch matrix: C_in·T × output positions, or for a transposed convolution C_out/g·T × input positions.</summary>
    public static long PatchElements(LayerPlan p, bool transposed)
        => transposed
            ? (long)p.Output.Channels / p.Decl.Groups * Taps(p) * p.Input.Spatial
            : (long)p.Input.Channels * Taps(p) * p.Output.Spatial;

    /// <summary>
    /// Writes <paramref name="body"/> once per group: inside a loop over g, or once with the literal group "0" when
    /// there is one group, so that <see cref="GroupOffset"/> writes no multiplication by zero.
    /// </summary>
    public static void Groups(SourceWriter w, int groups, System.Action<string> body)
    {
        if (groups == 1)
        {
            body("0");
            return;
        }

        w.Open($"for (int g = 0; g < {L(groups)}; g++)");
        body("g");
        w.Close();
    }

    /// <summary>"0", or "g * size".</summary>
    public static string GroupOffset(string group, long size) => group == "0" ? "0" : $"{group} * {L(size)}";

    /// <summary>"start", or "start + (g * size)".</summary>
    public static string Offset(string start, string offset) => offset == "0" ? start : $"{start} + ({offset})";

    /// <summary>Beyond <see cref="MaxUnrolledTaps"/>, the tap blocks as a static table (tap, input offset, output offset, rows, cols).</summary>
    public static void Table(SourceWriter w, LayerPlan p, List<TapBlock> blocks, string table, int taps, bool compact = false)
    {
        if (!compact && blocks.Count <= MaxUnrolledTaps)
        {
            return;
        }

        w.Line();
        w.Line($"/// <summary>{Summary.XmlEscape(p.Label)}: per tap block (tap, input offset, output offset, rows, cols); {blocks.Count} of {taps} taps touch the output.</summary>");
        var values = new List<string>();
        foreach (var b in blocks)
        {
            values.Add($"{L(b.Tap)}, {L(b.InOffset)}, {L(b.OutOffset)}, {L(b.Rows)}, {L(b.Cols)}");
        }

        w.Line($"private static readonly int[] {table} = {{ {string.Join(", ", values)} }};");
    }

    /// <summary>One statement per tap block (statement(tap, input offset, output offset, rows, cols)), or a loop over the table.</summary>
    public static void PerTap(SourceWriter w, List<TapBlock> blocks, string table, System.Func<string, string, string, string, string, string> statement, bool compact = false)
    {
        if (!compact && blocks.Count <= MaxUnrolledTaps)
        {
            foreach (var b in blocks)
            {
                w.Line(statement(L(b.Tap), L(b.InOffset), L(b.OutOffset), L(b.Rows), L(b.Cols)));
            }
        }
        else
        {
            w.Open($"for (int k = 0; k < {table}.Length; k += 5)");
            w.Line(statement($"{table}[k]", $"{table}[k + 1]", $"{table}[k + 2]", $"{table}[k + 3]", $"{table}[k + 4]"));
            w.Close();
        }
    }

    /// <summary>a·scale + b, folded to one literal when a and b are literals (unrolled taps), else an expression (a tap table).</summary>
    public static string Folded(string a, int scale, string b)
        => int.TryParse(a, NumberStyles.None, CultureInfo.InvariantCulture, out int x) && int.TryParse(b, NumberStyles.None, CultureInfo.InvariantCulture, out int y)
            ? L(((long)x * scale) + y)
            : $"({a} * {L(scale)}) + {b}";

    /// <summary>
    /// The copies that fill one sample's patch matrix: row ci·T + tap holds channel ci under that tap for every output
    /// position, as [C_in·T, P] or, <paramref name="transposedLayout"/>, as [P, C_in·T] (positions whose tap reads
    /// padding are never written, so they keep their 0).
    /// </summary>
    public static void Patches(SourceWriter w, LayerPlan p, List<TapBlock> blocks, string table, string sampleBase, string copy, string source, string patches, bool compact = false, bool transposedLayout = false)
    {
        int taps = Taps(p);
        int positions = p.Output.Spatial, rows = p.Input.Channels * taps;
        var first = blocks.Count > 0 ? blocks[0] : new TapBlock(0, 0, 1, 1, 0, 1, 1, 0, 0);
        string inStrides = $"{L(first.InRowStride)}, {L(first.InStep)}";
        w.Open($"for (int ci = 0; ci < {L(p.Input.Channels)}; ci++)");
        w.Line($"int xc = {sampleBase}(ci * {L(p.Input.Spatial)}), row = ci * {L(transposedLayout ? taps : (long)taps * positions)};");
        PerTap(w, blocks, table, (t, i, o, r, c) => transposedLayout
            ? $"{copy}({source}, xc + {i}, {inStrides}, {patches}, row + {Folded(o, rows, t)}, {L((long)p.Output.Width * rows)}, {L(rows)}, {r}, {c});"
            : $"{copy}({source}, xc + {i}, {inStrides}, {patches}, row + {Folded(t, positions, o)}, {L(p.Output.Width)}, 1, {r}, {c});", compact);
        w.Close();
    }

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
