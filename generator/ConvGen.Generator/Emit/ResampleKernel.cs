namespace ConvGen.Generator.Emit;

/// <summary>
/// Upsampling and pixel (un)shuffle. Nearest upsampling writes each output row once and copies it to the rows that
/// repeat it; with factor 2 the row is written as vectors whose lanes are duplicated by an interleave. Pixel shuffle
/// and unshuffle with factor 2 interleave two input rows into one output row (or take one apart into two, by even and
/// odd lanes), a vector at a time. (Bi)linear upsampling with factor 2 blends three neighbouring vectors of each input
/// row into the two output phases and interleaves them. Other factors stay scalar: their source index or blend weights
/// change per column.
/// </summary>
internal static class ResampleKernel
{
    /// <summary>Columns a row needs before a vector path is emitted: one 8-lane (AVX2) vector.</summary>
    private const int MinimumColumns = 8;

    private static string L(long value) => Literals.Int(value);

    public static void Emit(SourceWriter w, Op op)
    {
        if (op.Kind != OpKind.Upsample)
        {
            PixelShuffle(w, op);
        }
        else if (op.Layer.Decl.LinearInterpolation)
        {
            Linear(w, op);
        }
        else
        {
            Nearest(w, op);
        }
    }

    /// <summary>Nearest: y[oh, ow] = x[oh/s, ow/s].</summary>
    private static void Nearest(SourceWriter w, Op op)
    {
        var p = op.Layer;
        var i = p.Input;
        var o = p.Output;
        int s = p.Decl.Factor;
        bool twoD = i.Rank == 2;
        bool vector = s == 2 && i.Width >= MinimumColumns;
        string rows = twoD ? $", then copied to the {(s == 2 ? "row" : $"{s - 1} rows")} repeating it" : "";
        w.Line(vector
            ? $"// Strategy: vector rows: each input row's {L(i.Width)} values loaded a Vector<float> at a time and each lane duplicated by an interleave{rows}."
            : $"// Strategy: scalar row fill (factor {s}{(s == 2 ? $", {i.Width} columns: fewer than one {MinimumColumns}-lane vector" : ": the vector path duplicates lanes for factor 2 only")}){rows}.");
        Kernels.Prologue(w, op);
        w.Open($"for (int c = 0; c < {L(i.Channels)}; c++)");
        w.Open($"for (int ih = 0; ih < {L(i.Height)}; ih++)");
        w.Line($"int row = {Expr.Sum(0, ("c", o.Spatial), ("ih", s * o.Width))}; // output row ih·{s}");
        w.Line($"ref float xr = ref {Kernels.At("x", Expr.Sum(0, ("c", i.Spatial), ("ih", i.Width)))};");
        w.Line("ref float yr = ref At(ref y, row);");
        if (vector)
        {
            w.Open($"if (Lanes <= {L(i.Width)})");
            w.Open($"for (int start = 0; start < {L(i.Width)}; start += Lanes)");
            w.Line($"int iw = global::System.Math.Min(start, {L(i.Width)} - Lanes); // the last step overlaps the one before it");
            w.Line("var v = Load(ref xr, iw);");
            w.Line("Interleave(v, v, out var lo, out var hi);");
            w.Line("Store(lo, ref yr, iw * 2);");
            w.Line("Store(hi, ref yr, (iw * 2) + Lanes);");
            w.Close().Close();
            w.Open("else");
            NearestColumns(w, o.Width, s);
            w.Close();
        }
        else
        {
            NearestColumns(w, o.Width, s);
        }

        if (twoD)
        {
            for (int a = 1; a < s; a++)
            {
                w.Line($"output.Slice(row, {L(o.Width)}).CopyTo(output.Slice(row + {L(a * o.Width)}, {L(o.Width)}));");
            }
        }

        w.Close().Close();
    }

    private static void NearestColumns(SourceWriter w, int width, int s)
    {
        w.Open($"for (int ow = 0; ow < {L(width)}; ow++)");
        w.Line($"At(ref yr, ow) = At(ref xr, ow / {L(s)});");
        w.Close();
    }

    /// <summary>
    /// (Bi)linear, align_corners=false (the only mode the attribute has): source (o + 0.5)/s − 0.5 clamped at 0, blended
    /// with its right/lower neighbour (itself on the last column or row); PyTorch's weights and order of operations, the
    /// rows' blend outside the columns' (linear 1-D has no rows' blend, as PyTorch's upsample_linear1d).
    /// </summary>
    /// <remarks>
    /// Factor 2 along the columns: output column 2j takes input columns j − 1 and j with weights 0.25 and 0.75, column
    /// 2j + 1 takes j and j + 1 with 0.75 and 0.25 (exact in float), for every j but the first and the last, whose source
    /// index is clamped. So a vector of Lanes inputs from j on gives both phases from three loads per row, and an
    /// interleave puts them in order; the four edge columns run the scalar formula. Per lane the operations are the
    /// scalar kernel's, so both paths give the same bits.
    /// </remarks>
    private static void Linear(SourceWriter w, Op op)
    {
        var p = op.Layer;
        var i = p.Input;
        var o = p.Output;
        int s = p.Decl.Factor;
        bool twoD = i.Rank == 2;
        bool vector = s == 2 && i.Width - 2 >= MinimumColumns;
        w.Line(vector
            ? $"// Strategy: vector rows: input columns j = 1 … {L(i.Width - 2)}, a Vector<float> at a time, give output columns 2j (0.25·x[j − 1] + 0.75·x[j]) and 2j + 1 (0.75·x[j] + 0.25·x[j + 1]), interleaved; the first and last two output columns (clamped source) scalar."
            : $"// Strategy: scalar: every output column has its own source index and blend weights ({(s == 2 ? $"{i.Width} columns: fewer than one {MinimumColumns}-lane vector besides the two edge columns" : $"factor {s}: the vector path handles factor 2")}).");
        Kernels.Prologue(w, op);
        string scale = Literals.Float(1.0 / s);
        if (vector)
        {
            w.Line("var quarter = Splat(0.25f);");
            w.Line("var threeQuarters = Splat(0.75f);");
        }

        w.Open($"for (int c = 0; c < {L(i.Channels)}; c++)");
        w.Open($"for (int oh = 0; oh < {L(o.Height)}; oh++)");
        if (twoD)
        {
            w.Line($"float sh = global::System.MathF.Max(({scale} * (oh + 0.5f)) - 0.5f, 0f);");
            w.Line($"int h0 = (int)sh, hp = h0 < {L(i.Height - 1)} ? 1 : 0;");
            w.Line("float lh1 = sh - h0, lh0 = 1f - lh1;");
            w.Line($"ref float top = ref {Kernels.At("x", $"(c * {L(i.Spatial)}) + (h0 * {L(i.Width)})")};");
            w.Line($"ref float bottom = ref {Kernels.At("top", $"hp * {L(i.Width)}")};");
            w.Line($"ref float yr = ref {Kernels.At("y", $"(c * {L(o.Spatial)}) + (oh * {L(o.Width)})")};");
        }
        else
        {
            w.Line($"ref float top = ref {Kernels.At("x", $"c * {L(i.Spatial)}")};");
            w.Line($"ref float yr = ref {Kernels.At("y", $"c * {L(o.Spatial)}")};");
        }

        if (!vector)
        {
            ScalarColumns(w, i, scale, twoD, $"int ow = 0; ow < {L(o.Width)}; ow++");
            w.Close().Close();
            return;
        }

        w.Open($"if (Lanes <= {L(i.Width - 2)})");
        if (twoD)
        {
            w.Line("var vh0 = Splat(lh0);");
            w.Line("var vh1 = Splat(lh1);");
        }

        w.Open($"for (int start = 1; start < {L(i.Width - 1)}; start += Lanes)");
        w.Line($"int j = global::System.Math.Min(start, {L(i.Width - 1)} - Lanes); // the last step overlaps the one before it");
        w.Line("var t0 = Load(ref top, j - 1);");
        w.Line("var t1 = Load(ref top, j);");
        w.Line("var t2 = Load(ref top, j + 1);");
        if (twoD)
        {
            w.Line("var b0 = Load(ref bottom, j - 1);");
            w.Line("var b1 = Load(ref bottom, j);");
            w.Line("var b2 = Load(ref bottom, j + 1);");
        }

        w.Line($"var even = {Blend(twoD, "vh0", "vh1", "quarter", "threeQuarters", ("t0", "t1"), ("b0", "b1"))};");
        w.Line($"var odd = {Blend(twoD, "vh0", "vh1", "threeQuarters", "quarter", ("t1", "t2"), ("b1", "b2"))};");
        w.Line("Interleave(even, odd, out var lo, out var hi);");
        w.Line("Store(lo, ref yr, 2 * j);");
        w.Line("Store(hi, ref yr, (2 * j) + Lanes);");
        w.Close();
        ScalarColumns(w, i, scale, twoD, $"int e = 0; e < 4; e++", $"int ow = e < 2 ? e : {L(o.Width - 4)} + e; // columns 0, 1, {L(o.Width - 2)}, {L(o.Width - 1)}");
        w.Close();
        w.Open("else");
        ScalarColumns(w, i, scale, twoD, $"int ow = 0; ow < {L(o.Width)}; ow++");
        w.Close();
        w.Close().Close();
    }

    /// <summary>The scalar column loop over <paramref name="header"/>: each column's source index and weights, then the blend.</summary>
    private static void ScalarColumns(SourceWriter w, ConvGen.Shapes.TensorShape i, string scale, bool twoD, string header, string? column = null)
    {
        w.Open($"for ({header})");
        if (column is not null)
        {
            w.Line(column);
        }

        w.Line($"float sw = global::System.MathF.Max(({scale} * (ow + 0.5f)) - 0.5f, 0f);");
        w.Line($"int w0 = (int)sw, wp = w0 < {L(i.Width - 1)} ? 1 : 0;");
        w.Line("float lw1 = sw - w0, lw0 = 1f - lw1;");
        string value = Blend(twoD, "lh0", "lh1", "lw0", "lw1", ("At(ref top, w0)", "At(ref top, w0 + wp)"), ("At(ref bottom, w0)", "At(ref bottom, w0 + wp)"));
        w.Line($"At(ref yr, ow) = {value};");
        w.Close();
    }

    /// <summary>PyTorch's blend: (lh0·(lw0·a + lw1·b)) + (lh1·(lw0·c + lw1·d)) in 2-D, lw0·a + lw1·b in 1-D.</summary>
    private static string Blend(bool twoD, string lh0, string lh1, string lw0, string lw1, (string A, string B) top, (string A, string B) bottom)
    {
        string Row((string A, string B) r) => $"({lw0} * {r.A}) + ({lw1} * {r.B})";
        return twoD ? $"({lh0} * ({Row(top)})) + ({lh1} * ({Row(bottom)}))" : Row(top);
    }

    /// <summary>Pixel shuffle: y[c, h·r + a, w·r + b] = x[c·r² + a·r + b, h, w]; unshuffle is its inverse.</summary>
    private static void PixelShuffle(SourceWriter w, Op op)
    {
        var p = op.Layer;
        int r = p.Decl.Factor;
        bool shuffle = op.Kind == OpKind.PixelShuffle;
        var small = shuffle ? p.Input : p.Output; // the [C·r², H, W] side
        var large = shuffle ? p.Output : p.Input;
        if (r == 2 && small.Width >= MinimumColumns)
        {
            PixelShuffleByTwo(w, op, small, large);
            return;
        }

        w.Line($"// Strategy: scalar, one element at a time ({(r == 2 ? $"{small.Width} columns: fewer than one {MinimumColumns}-lane vector" : $"factor {r}: the vector path interleaves two rows only")}).");
        Kernels.Prologue(w, op);
        w.Open($"for (int c = 0; c < {L(large.Channels)}; c++)");
        w.Open($"for (int a = 0; a < {L(r)}; a++)");
        w.Open($"for (int b = 0; b < {L(r)}; b++)");
        w.Line($"int sub = (c * {L(r * r)}) + (a * {L(r)}) + b;");
        w.Open($"for (int h = 0; h < {L(small.Height)}; h++)");
        w.Open($"for (int col = 0; col < {L(small.Width)}; col++)");
        string smallAt = $"(sub * {L(small.Spatial)}) + (h * {L(small.Width)}) + col";
        string largeAt = $"(c * {L(large.Spatial)}) + (((h * {L(r)}) + a) * {L(large.Width)}) + (col * {L(r)}) + b";
        w.Line(shuffle
            ? $"{Kernels.At("y", largeAt)} = {Kernels.At("x", smallAt)};"
            : $"{Kernels.At("y", smallAt)} = {Kernels.At("x", largeAt)};");
        w.Close().Close().Close().Close().Close();
    }

    /// <summary>Factor 2: the large row (c, 2h + a) is sub-channel rows (c, a, 0) and (c, a, 1) interleaved.</summary>
    private static void PixelShuffleByTwo(SourceWriter w, Op op, ConvGen.Shapes.TensorShape small, ConvGen.Shapes.TensorShape large)
    {
        bool shuffle = op.Kind == OpKind.PixelShuffle;
        w.Line(shuffle
            ? $"// Strategy: vector rows: output row 2h + a interleaves rows h of sub-channels (a, 0) and (a, 1), {L(small.Width)} columns a Vector<float> at a time."
            : $"// Strategy: vector rows: input row 2h + a splits into rows h of sub-channels (a, 0) and (a, 1) by even and odd lanes, {L(small.Width)} columns a Vector<float> at a time.");
        Kernels.Prologue(w, op);
        string smallSide = shuffle ? "x" : "y", largeSide = shuffle ? "y" : "x";
        w.Open($"for (int c = 0; c < {L(large.Channels)}; c++)");
        w.Open("for (int a = 0; a < 2; a++)");
        w.Open($"for (int h = 0; h < {L(small.Height)}; h++)");
        w.Line($"ref float even = ref {Kernels.At(smallSide, $"(((c * 4) + (a * 2)) * {L(small.Spatial)}) + (h * {L(small.Width)})")}; // sub-channel (a, 0); (a, 1) follows {L(small.Spatial)} floats later");
        w.Line($"ref float wide = ref {Kernels.At(largeSide, $"(c * {L(large.Spatial)}) + (((h * 2) + a) * {L(large.Width)})")};");
        w.Open($"if (Lanes <= {L(small.Width)})");
        w.Open($"for (int start = 0; start < {L(small.Width)}; start += Lanes)");
        w.Line($"int col = global::System.Math.Min(start, {L(small.Width)} - Lanes); // the last step overlaps the one before it");
        if (shuffle)
        {
            w.Line($"Interleave(Load(ref even, col), Load(ref even, col + {L(small.Spatial)}), out var lo, out var hi);");
            w.Line("Store(lo, ref wide, col * 2);");
            w.Line("Store(hi, ref wide, (col * 2) + Lanes);");
        }
        else
        {
            w.Line("var lo = Load(ref wide, col * 2);");
            w.Line("var hi = Load(ref wide, (col * 2) + Lanes);");
            w.Line("Store(Evens(lo, hi), ref even, col);");
            w.Line($"Store(Odds(lo, hi), ref even, col + {L(small.Spatial)});");
        }

        w.Close().Close();
        w.Open("else");
        w.Open($"for (int col = 0; col < {L(small.Width)}; col++)");
        w.Open("for (int b = 0; b < 2; b++)");
        string evenAt = $"(b * {L(small.Spatial)}) + col";
        w.Line(shuffle
            ? $"{Kernels.At("wide", "(col * 2) + b")} = {Kernels.At("even", evenAt)};"
            : $"{Kernels.At("even", evenAt)} = {Kernels.At("wide", "(col * 2) + b")};");
        w.Close().Close().Close();
        w.Close().Close().Close();
    }
}
