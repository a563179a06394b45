using System.Collections.Generic;
using System.Globalization;
using ConvGen.Shapes;

namespace ConvGen.Generator.Emit.Strategies;

/// <summary>
/// Winograd F(2×2, 3×3) for dense stride-1 3×3 convolutions: each 2×2 block of outputs (a tile) costs 16
/// multiply-adds per (input, output) channel pair instead of 36. The kernel walks the map one row of tiles at a time,
/// so that the row's transformed input and products stay in L2 (and one transform point's slice in L1):
/// <list type="number">
/// <item>input transform V = Bᵀ·d·B of every 4×4 input tile, tiles on the vector lanes: a row of the padded copy read
/// as two vectors and split by shuffles (Evens/Odds) gives column j of Lanes consecutive tiles; written to
/// scratch as [16][C_in][tiles];</item>
/// <item>16 small matrix products M[ξ] = U[ξ]·V[ξ], ([C_out × C_in] times [C_in × tiles]), register-tiled like the row
/// tile: R output channels × T vectors of tiles, U broadcast (packed at construction as [16][C_out/R][C_in][R]);</item>
/// <item>output transform Y = Aᵀ·M·A with the epilogue (bias, residual, activation), the two output columns of each
/// tile interleaved by shuffles into consecutive floats of two output rows.</item>
/// </list>
/// The last vector of tiles in a row starts at column W_out − 2·Lanes (an odd column when W_out is odd) and the last
/// row of tiles at row H_out − 2, overlapping the ones before them, so there is no tail. Rows narrower than two
/// vectors (decided at run time: it depends on the vector width) take one vector of tiles, the lanes past the row
/// computed from whatever follows in the copy and dropped: lanes never mix, and an output's 3×3 window never reaches
/// the fourth row or column of its tile, so even a NaN there cannot reach a kept output. F(4×4, 3×3) would save more
/// multiply-adds (36 per 16 outputs against 64) but its transform constants amplify rounding about ten times, too
/// close to the 1e-4 relative tolerance on large inputs; F(2×2, 3×3)'s constants are 0, ±1 and ½.
/// </summary>
internal sealed class WinogradConv : ConvStrategy
{

    /// <summary>Vector widths the kernel may run with (SSE/NEON, AVX2, AVX-512): the scratch fits each.</summary>
    private static readonly int[] Widths = { 4, 8, 16 };

    public override string Name => "Winograd F(2×2, 3×3)";

    public override IEnumerable<KernelChoice> Candidates(ConvProblem p)
    {
        if (p.Linear || p.Groups != 1 || p.Layer.Input.Rank != 2 || p.KernelH != 3 || p.KernelW != 3
            || p.StrideH != 1 || p.StrideW != 1 || p.DilationH != 1 || p.DilationW != 1 || p.OutHeight < 2 || p.OutWidth < 2)
        {
            yield break;
        }

        var input = Input(p);
        int tileRows = CeilDiv(p.OutHeight, 2), vectors = VectorsPerRow(p.OutWidth, 8);
        foreach (int rows in ShapeMath.Divisors(p.OutChannels))
        {
            for (int columns = 1; columns <= 4 && rows <= 12; columns++)
            {
                int accumulators = rows * columns;
                if (accumulators + columns + 1 > 16)
                {
                    continue;
                }

                // The products: 16 per row of tiles, over C_out/R channel blocks and the row's vectors rounded up to T.
                double product = (p.InChannels * PassCycles(accumulators, rows + columns, 1)) + (accumulators * 1.5) + 6;
                double products = 16.0 * (p.OutChannels / rows) * CeilDiv(vectors, columns) * product;
                // The transforms per vector of tiles: 16 loads, 16 shuffles, 32 adds, 16 stores in; 16 loads, 24 adds, 4 interleaves and 4 stores out (calibrated below).
                double transforms = (p.InChannels * vectors * InputTransformCycles) + (p.OutChannels * vectors * (OutputTransformCycles + (p.Residual ? 4 : 0)));
                double cycles = (tileRows * (products + transforms)) + RowTileConv.Prepare(p, input);
                yield return new KernelChoice(this, p, input, rows, columns) { Cycles = cycles };
            }
        }
    }

    /// <summary>
    /// Cycles of one input transform of a vector of tiles for one channel: about 40 by counting instructions, doubled
    /// to fit measurements (docs/performance.md): with 16 input channels the Winograd kernel only ties the row tile,
    /// where the count alone predicted a third faster, and the 64-channel 8×8 layer loses (0.8×).
    /// </summary>
    private const double InputTransformCycles = 80;

    /// <summary>Cycles of one output transform of a vector of tiles for one channel, with the store (about 30 counted, doubled likewise).</summary>
    private const double OutputTransformCycles = 60;

    /// <summary>
    /// The padded copy, with rows enough after it that a row narrower than two 16-lane vectors can be read as one
    /// vector of tiles (plus the tile's 2 extra columns) without leaving the buffer.
    /// </summary>
    private static ConvInput Input(ConvProblem p)
    {
        int extra = p.OutWidth < 2 * MaxLanes ? CeilDiv((2 * MaxLanes) + 2, p.PaddedWidth) : 0;
        return new ConvInput(true, 1, 1, p.PaddedHeight + extra, p.PaddedWidth, 1, 1);
    }

    /// <summary>Vectors of tiles per row of tiles at <paramref name="lanes"/> lanes: each covers 2·lanes output columns.</summary>
    private static int VectorsPerRow(int outWidth, int lanes) => outWidth >= 2 * lanes ? CeilDiv(outWidth, 2 * lanes) : 1;

    /// <summary>Floats between two channels' rows of tiles in the scratch: the row's vectors rounded up to whole register tiles, at any width.</summary>
    private static int Pitch(KernelChoice c)
    {
        int pitch = 0;
        foreach (int lanes in Widths)
        {
            pitch = System.Math.Max(pitch, CeilDiv(VectorsPerRow(c.Problem.OutWidth, lanes), c.Vectors) * c.Vectors * lanes);
        }

        return pitch;
    }

    public override string Describe(KernelChoice c)
    {
        var p = c.Problem;
        return string.Format(
            CultureInfo.InvariantCulture,
            "Strategy: {0}: {1} rows of {2} tiles (2×2 outputs each), tiles on the lanes; 16 products of [{3} × {4}] transformed weights by [{4} × tiles], register tile {5} output channel(s) × {6} vector(s) of tiles = {7} accumulators.",
            Name, CeilDiv(p.OutHeight, 2), CeilDiv(p.OutWidth, 2), p.OutChannels, p.InChannels, c.Rows, c.Vectors, c.Accumulators);
    }

    public override string PackWeight(string weight, KernelChoice c)
        => $"global::ConvGen.Kernels.WeightPacking.Winograd2x2({weight}, {L(c.Problem.OutChannels)}, {L(c.Problem.InChannels)}, {L(c.Rows)})";

    public override long WeightLength(KernelChoice c) => 16L * c.Problem.OutChannels * c.Problem.InChannels;

    /// <summary>V ([16][C_in][pitch]), M ([16][C_out][pitch]) and two output rows of 2·16 floats for narrow maps.</summary>
    public override long ScratchLength(KernelChoice c)
        => (16L * (c.Problem.InChannels + c.Problem.OutChannels) * Pitch(c)) + (4 * MaxLanes);

    public override void EmitHelpers(SourceWriter w, Op op, KernelChoice c)
    {
    }

    public override void Emit(SourceWriter w, Op op, KernelChoice c)
    {
        var p = c.Problem;
        int cin = p.InChannels, cout = p.OutChannels, height = p.OutHeight, width = p.OutWidth, pitch = Pitch(c);
        int rowPitch = c.Input.PlaneWidth;
        bool wide = width >= 2 * 4, narrow = width < 2 * MaxLanes;
        Kernels.Prologue(w, op);
        if (op.BiasField is not null)
        {
            w.Line("ref float bs = ref Start(bias);");
        }

        w.Line($"ref float vt = ref Start(scratch); // V: [16][{cin}][{pitch}], the transformed input of one row of tiles");
        w.Line($"ref float mt = ref At(ref vt, {L(16L * cin * pitch)}); // M: [16][{cout}][{pitch}], its products with the transformed weights");
        if (narrow)
        {
            w.Line($"ref float t = ref At(ref vt, {L(16L * (cin + cout) * pitch)}); // two output rows of a narrow map");
        }

        string vectors = !narrow ? $"({L(width)} + (2 * Lanes) - 1) / (2 * Lanes)" : !wide ? "1" : $"2 * Lanes <= {L(width)} ? ({L(width)} + (2 * Lanes) - 1) / (2 * Lanes) : 1";
        w.Line($"int vectors = {vectors}; // vectors of tiles per row of tiles, each 2·Lanes output columns");
        w.Line("int span = vectors * Lanes;");
        // The first output column of vector k: the last one overlaps the one before it; a narrow row has one, from column 0.
        string column = !narrow ? $"global::System.Math.Min(k * 2 * Lanes, {L(width)} - (2 * Lanes))" : !wide ? "0" : $"2 * Lanes <= {L(width)} ? global::System.Math.Min(k * 2 * Lanes, {L(width)} - (2 * Lanes)) : 0";
        w.Open($"for (int i = 0; i < {L(CeilDiv(height, 2))}; i++)");
        w.Line(height % 2 == 0 ? "int r0 = 2 * i; // the row of tiles' first output row" : $"int r0 = global::System.Math.Min(2 * i, {L(height - 2)}); // the row of tiles' first output row: the last row of tiles overlaps the one before it");

        InputTransform(w, c, cin, pitch, rowPitch, column);
        Products(w, c, cin, cout, pitch);
        OutputTransform(w, op, cout, pitch, width, column, wide, narrow);
        w.Close();
    }

    /// <summary>V[ξ][ci][tiles] = (Bᵀ·d·B)[ξ] of each tile's 4×4 input d, Bᵀ = [[1, 0, −1, 0], [0, 1, 1, 0], [0, −1, 1, 0], [0, 1, 0, −1]].</summary>
    private static void InputTransform(SourceWriter w, KernelChoice c, int cin, int pitch, int rowPitch, string column)
    {
        w.Line("// Input transform: row a of every tile's 4×4 window is d0..d3 (tile l starts at column c0 + 2l), h = Bᵀ·d along the row, then Bᵀ down the columns.");
        w.Open($"for (int ci = 0; ci < {L(cin)}; ci++)");
        w.Line($"ref float xc = ref At(ref x, {Expr.Sum(0, ("ci", c.Input.ChannelStride), ("r0", rowPitch))});");
        w.Line($"ref float vc = ref At(ref vt, ci * {L(pitch)});");
        w.Open("for (int k = 0; k < vectors; k++)");
        w.Line($"ref float xr = ref At(ref xc, {column});");
        for (int a = 0; a < 4; a++)
        {
            string row = L(a * rowPitch);
            string next = L((a * rowPitch) + 2);
            string decl = a == 0 ? "var " : "";
            w.Line($"{decl}lo = Load(ref xr, {row}); {decl}hi = Load(ref xr, {row} + Lanes);");
            w.Line($"{decl}d0 = Evens(lo, hi); {decl}d1 = Odds(lo, hi);");
            w.Line($"lo = Load(ref xr, {next}); hi = Load(ref xr, {next} + Lanes);");
            w.Line($"{decl}d2 = Evens(lo, hi); {decl}d3 = Odds(lo, hi);");
            w.Line($"var h{a}0 = d0 - d2; var h{a}1 = d1 + d2; var h{a}2 = d2 - d1; var h{a}3 = d1 - d3;");
        }

        for (int col = 0; col < 4; col++)
        {
            string At(int row) => $"{L(((row * 4) + col) * cin * pitch)} + (k * Lanes)";
            w.Line($"Store(h0{col} - h2{col}, ref vc, {At(0)}); Store(h1{col} + h2{col}, ref vc, {At(1)}); Store(h2{col} - h1{col}, ref vc, {At(2)}); Store(h1{col} - h3{col}, ref vc, {At(3)});");
        }

        w.Close().Close();
    }

    /// <summary>M[ξ] = U[ξ]·V[ξ] for the 16 points ξ, R output channels × T vectors of tiles at a time.</summary>
    private static void Products(SourceWriter w, KernelChoice c, int cin, int cout, int pitch)
    {
        int rows = c.Rows, columns = c.Vectors;
        string Column(int v) => v == 0 ? "" : v == 1 ? " + Lanes" : $" + (Lanes * {L(v)})";
        w.Line($"// 16 products M[ξ] = U[ξ]·V[ξ]: {rows} output channel(s) × {columns} vector(s) of tiles per register tile, the reduction over {cin} input channels.");
        w.Open("for (int xi = 0; xi < 16; xi++)");
        w.Line($"ref float vx = ref At(ref vt, xi * {L((long)cin * pitch)});");
        w.Line($"ref float mx = ref At(ref mt, xi * {L((long)cout * pitch)});");
        w.Line($"ref float wx = ref At(ref w, xi * {L((long)cout * cin)});");
        w.Open($"for (int co = 0; co < {L(cout)}; co += {L(rows)})");
        w.Line($"ref float wb = ref At(ref wx, co * {L(cin)});");
        w.Open($"for (int q = 0; q < span; q += {(columns == 1 ? "Lanes" : $"Lanes * {L(columns)}")})");
        for (int m = 0; m < rows; m++)
        {
            for (int v = 0; v < columns; v++)
            {
                w.Line($"var acc{m}_{v} = Zero;");
            }
        }

        w.Line("ref float vs = ref At(ref vx, q);");
        w.Line("ref float ws = ref wb;");
        w.Open($"for (int ci = 0; ci < {L(cin)}; ci++)");
        for (int v = 0; v < columns; v++)
        {
            w.Line($"var v{v} = Load(ref vs, {(v == 0 ? "0" : Column(v).Substring(3))});");
        }

        for (int m = 0; m < rows; m++)
        {
            w.Line($"{(m == 0 ? "var " : "")}u = Splat(At(ref ws, {L(m)}));");
            for (int v = 0; v < columns; v++)
            {
                w.Line($"acc{m}_{v} = Fma(v{v}, u, acc{m}_{v});");
            }
        }

        w.Line($"vs = ref At(ref vs, {L(pitch)});");
        w.Line($"ws = ref At(ref ws, {L(rows)});");
        w.Close();
        for (int m = 0; m < rows; m++)
        {
            for (int v = 0; v < columns; v++)
            {
                w.Line($"Store(acc{m}_{v}, ref mx, {Expr.Sum(m * pitch, ("co", pitch), ("q", 1))}{Column(v)});");
            }
        }

        w.Close().Close().Close();
    }

    /// <summary>Y = Aᵀ·M·A, Aᵀ = [[1, 1, 1, 0], [0, 1, −1, −1]], plus the bias; then the residual and activation, stored into two output rows.</summary>
    private static void OutputTransform(SourceWriter w, Op op, int cout, int pitch, int width, string column, bool wide, bool narrow)
    {
        var p = op.Choice!.Problem;
        w.Line("// Output transform: s = Aᵀ·m along each row of the 4×4 products, y = Aᵀ·s down the columns, the 2×2 outputs of each tile interleaved into two output rows.");
        w.Open($"for (int co = 0; co < {L(cout)}; co++)");
        w.Line($"ref float mc = ref At(ref mt, co * {L(pitch)});");
        if (op.BiasField is not null)
        {
            w.Line("var b = Splat(At(ref bs, co));");
        }

        w.Open("for (int k = 0; k < vectors; k++)");
        w.Line("int c0 = " + column + ";");
        for (int row = 0; row < 4; row++)
        {
            string M(int col) => $"Load(ref mc, {L(((row * 4) + col) * cout * pitch)} + (k * Lanes))";
            w.Line($"var m{row}0 = {M(0)}; var m{row}1 = {M(1)}; var m{row}2 = {M(2)}; var m{row}3 = {M(3)};");
            w.Line($"var s{row}0 = m{row}0 + m{row}1 + m{row}2; var s{row}1 = m{row}1 - m{row}2 - m{row}3;");
        }

        string bias = op.BiasField is null ? "" : " + b";
        w.Line($"Interleave(s00 + s10 + s20{bias}, s01 + s11 + s21{bias}, out var lo0, out var hi0);");
        w.Line($"Interleave(s10 - s20 - s30{bias}, s11 - s21 - s31{bias}, out var lo1, out var hi1);");
        w.Line($"int at = {Expr.Sum(0, ("co", p.Positions), ("r0", width), ("c0", 1))};");
        if (wide && narrow)
        {
            w.Open($"if (2 * Lanes <= {L(width)})");
        }

        if (wide)
        {
            VectorStore.Emit(w, op, "lo0", "y", "at", residual: true, activation: true);
            VectorStore.Emit(w, op, "hi0", "y", "at + Lanes", residual: true, activation: true);
            VectorStore.Emit(w, op, "lo1", "y", $"at + {L(width)}", residual: true, activation: true);
            VectorStore.Emit(w, op, "hi1", "y", $"at + {L(width)} + Lanes", residual: true, activation: true);
        }

        if (wide && narrow)
        {
            w.Close();
            w.Open("else");
        }

        if (narrow)
        {
            // A row narrower than two vectors: through the scratch rows, keeping the first W_out columns.
            w.Line("Store(lo0, ref t, 0); Store(hi0, ref t, Lanes); Store(lo1, ref t, 2 * Lanes); Store(hi1, ref t, 3 * Lanes);");
            w.Open($"for (int col = 0; col < {L(width)}; col++)");
            string Value(string scratch, string target)
            {
                string value = op.Skip is null ? scratch : $"{scratch} + At(ref s, {target})";
                return op.Activation?.Apply(value) ?? value;
            }

            w.Line($"At(ref y, at + col) = {Value("At(ref t, col)", "at + col")};");
            w.Line($"At(ref y, at + {L(width)} + col) = {Value("At(ref t, (2 * Lanes) + col)", $"at + {L(width)} + col")};");
            w.Close();
        }

        if (wide && narrow)
        {
            w.Close();
        }

        w.Close().Close();
    }
}
