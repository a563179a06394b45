namespace ConvGen.Generator.Emit;

/// <summary>
/// The standalone element-wise kernels: an activation on its own, a residual Add that no kernel before it could absorb,
/// and ScaleShift (a BatchNorm that could not be folded: y = x·scale[c] + shift[c]), each followed by its fused
/// activation, on <c>Vector&lt;float&gt;</c> lanes (Sigmoid, Tanh and SiLU through <c>ConvGen.Kernels.VectorMath</c>).
/// They may run in place, so the tail is the last vector loaded before anything is stored, not an overlapping re-read.
/// </summary>
internal static class ElementwiseKernel
{
    private static string L(long value) => Literals.Int(value);

    public static void Emit(SourceWriter w, Op op)
    {
        switch (op.Kind)
        {
            case OpKind.ScaleShift: ScaleShift(w, op); break;
            case OpKind.Add: Add(w, op); break;
            default: Activation(w, op); break;
        }
    }

    private static void Activation(SourceWriter w, Op op) => Map(w, op, "", k => $"Load(ref x, {k})", null);

    /// <summary>Residual add, y = x + skip, where no convolution before it could add it in its epilogue (a projection always runs as a convolution).</summary>
    private static void Add(SourceWriter w, Op op)
        => Map(w, op, "y = x + skip, ", k => $"Load(ref x, {k}) + Load(ref s, {k})", k => $"{Kernels.At("x", k)} + {Kernels.At("s", k)}");

    /// <summary>y[k] = value(k), then the fused activation, over the whole tensor: vectors, or scalars below one vector.</summary>
    private static void Map(SourceWriter w, Op op, string what, System.Func<string, string> vector, System.Func<string, string>? scalar)
    {
        string n = L(op.Layer.Output.Size);
        w.Line($"// Strategy: vector lanes, {what}{n} elements a Vector<float> at a time; the last vector is read before any store (the kernel may run in place).");
        Kernels.Prologue(w, op);
        w.Open($"if (Lanes <= {n})");
        Lanes(w, op, "y", n, vector);
        w.Close();
        w.Open("else");
        ScalarLoop(w, op, "x", "y", n, scalar);
        w.Close();
    }

    /// <summary>
    /// y = x·scale + shift. One value per channel (BatchNorm1d on features): vector lanes across channels, scale and shift
    /// loaded as vectors. Otherwise vector lanes along each channel's positions, scale and shift splat.
    /// </summary>
    private static void ScaleShift(SourceWriter w, Op op)
    {
        var s = op.Layer.Input;
        w.Line(s.Spatial == 1
            ? $"// Strategy: vector lanes across the {L(s.Channels)} channels (one value each), scale and shift loaded as vectors."
            : $"// Strategy: vector lanes along each channel's {L(s.Spatial)} positions, scale and shift splat; fewer positions than lanes: scalar.");
        Kernels.Prologue(w, op);
        w.Line("ref float b = ref Start(bias);");
        if (s.Spatial == 1)
        {
            w.Open($"if (Lanes <= {L(s.Channels)})");
            Lanes(w, op, "y", L(s.Channels), k => $"Fma(Load(ref x, {k}), Load(ref w, {k}), Load(ref b, {k}))");
            w.Close();
            w.Open("else");
            ScalarLoop(w, op, "x", "y", L(s.Channels), k => $"({Kernels.At("x", k)} * {Kernels.At("w", k)}) + {Kernels.At("b", k)}");
            w.Close();
            return;
        }

        w.Open($"for (int c = 0; c < {L(s.Channels)}; c++)");
        w.Line($"ref float xc = ref {Kernels.At("x", $"c * {L(s.Spatial)}")};");
        w.Line($"ref float yc = ref {Kernels.At("y", $"c * {L(s.Spatial)}")};");
        w.Line("float scale = At(ref w, c), shift = At(ref b, c);");
        w.Open($"if (Lanes <= {L(s.Spatial)})");
        w.Line("var vs = Splat(scale);");
        w.Line("var vb = Splat(shift);");
        Lanes(w, op, "yc", L(s.Spatial), k => $"Fma(Load(ref xc, {k}), vs, vb)");
        w.Close();
        w.Open("else");
        ScalarLoop(w, op, "xc", "yc", L(s.Spatial), k => $"({Kernels.At("xc", k)} * scale) + shift");
        w.Close();
        w.Close();
    }

    /// <summary>
    /// value(k) for k = 0, Lanes, … and the last vector at n − Lanes, which is computed before the first store so an
    /// in-place kernel never reads what it wrote; the fused activation is applied to each vector.
    /// </summary>
    private static void Lanes(SourceWriter w, Op op, string to, string n, System.Func<string, string> value)
    {
        w.Line($"var last = {value($"{n} - Lanes")};");
        w.Open($"for (int k = 0; k < {n} - Lanes; k += Lanes)");
        StoreVector(w, op, value("k"), to, "k");
        w.Close();
        StoreVector(w, op, "last", to, $"{n} - Lanes");
    }

    private static void StoreVector(SourceWriter w, Op op, string value, string to, string offset)
        => w.Line($"Store({op.Activation?.Apply(value) ?? value}, ref {to}, {offset});");

    private static void ScalarLoop(SourceWriter w, Op op, string from, string to, string n, System.Func<string, string>? value)
    {
        w.Open($"for (int k = 0; k < {n}; k++)");
        w.Line($"float v = {(value is null ? Kernels.At(from, "k") : value("k"))};");
        w.Line($"{Kernels.At(to, "k")} = {op.Activation?.Apply("v") ?? "v"};");
        w.Close();
    }
}
