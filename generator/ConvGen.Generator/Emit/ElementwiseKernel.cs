namespace ConvGen.Generator.Emit;

/// <summary>
/// The standalone element-wise kernels: an activation on its own, and ScaleShift (a BatchNorm that could not be
/// folded: y = x·scale[c] + shift[c], then the fused activation). ReLU, ReLU6 and LeakyReLU run on
/// <c>Vector&lt;float&gt;</c> lanes; Sigmoid, Tanh and SiLU stay scalar per element (MathF.Exp and MathF.Tanh: a vector
/// polynomial would need its own accuracy proof against PyTorch's to 1e-6). Both kernels may run in place, so the
/// tail is the last vector loaded before anything is stored, not an overlapping re-read.
/// </summary>
internal static class ElementwiseKernel
{
    private static string L(long value) => Literals.Int(value);

    public static void Emit(SourceWriter w, Op op)
    {
        if (op.Kind == OpKind.ScaleShift)
        {
            ScaleShift(w, op);
        }
        else
        {
            Activation(w, op);
        }
    }

    /// <summary>Whether the fused activation (if any) has a vector form.</summary>
    public static bool LaneWise(Activation? activation)
        => activation is null or { LaneWise: true };

    private static void Activation(SourceWriter w, Op op)
    {
        int n = op.Layer.Input.Size;
        var activation = op.Activation!;
        if (!LaneWise(activation))
        {
            w.Line($"// Strategy: scalar, one element at a time: {activation.Label} is computed with MathF, which has no vector form as accurate.");
            Kernels.Prologue(w, op);
            ScalarLoop(w, op, "x", "y", L(n), null);
            return;
        }

        w.Line($"// Strategy: vector lanes, {L(n)} elements a Vector<float> at a time; the last vector is read before any store (the kernel may run in place).");
        Kernels.Prologue(w, op);
        w.Open($"if (Lanes <= {L(n)})");
        Lanes(w, op, "y", L(n), k => $"Load(ref x, {k})");
        w.Close();
        w.Open("else");
        ScalarLoop(w, op, "x", "y", L(n), null);
        w.Close();
    }

    /// <summary>
    /// y = x·scale + shift. One value per channel (BatchNorm1d on features): vector lanes across channels, scale and shift
    /// loaded as vectors. Otherwise vector lanes along each channel's positions, scale and shift splat.
    /// </summary>
    private static void ScaleShift(SourceWriter w, Op op)
    {
        var s = op.Layer.Input;
        string activation = LaneWise(op.Activation) ? "" : $", then {op.Activation!.Label} element by element (MathF)";
        w.Line(s.Spatial == 1
            ? $"// Strategy: vector lanes across the {L(s.Channels)} channels (one value each), scale and shift loaded as vectors{activation}."
            : $"// Strategy: vector lanes along each channel's {L(s.Spatial)} positions, scale and shift splat{activation}; fewer positions than lanes: scalar.");
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
    /// in-place kernel never reads what it wrote; the fused activation is applied on the lanes where it can be.
    /// </summary>
    private static void Lanes(SourceWriter w, Op op, string to, string n, System.Func<string, string> value)
    {
        w.Line($"var last = {value($"{n} - Lanes")};");
        w.Open($"for (int k = 0; k < {n} - Lanes; k += Lanes)");
        StoreVector(w, op, value("k"), to, "k");
        w.Close();
        StoreVector(w, op, "last", to, $"{n} - Lanes");
    }

    /// <summary>Stores a vector with the activation applied lane-wise, or element by element after the store (Sigmoid, Tanh, SiLU).</summary>
    private static void StoreVector(SourceWriter w, Op op, string value, string to, string offset)
    {
        bool laneWise = LaneWise(op.Activation);
        w.Line($"Store({(laneWise && op.Activation is not null ? op.Activation.Apply(value) : value)}, ref {to}, {offset});");
        if (!laneWise)
        {
            w.Open("for (int lane = 0; lane < Lanes; lane++)");
            w.Line($"ref float t = ref {Kernels.At(to, $"{offset} + lane")};");
            w.Line($"t = {op.Activation!.Apply("t")};");
            w.Close();
        }
    }

    private static void ScalarLoop(SourceWriter w, Op op, string from, string to, string n, System.Func<string, string>? value)
    {
        w.Open($"for (int k = 0; k < {n}; k++)");
        w.Line($"float v = {(value is null ? Kernels.At(from, "k") : value("k"))};");
        w.Line($"{Kernels.At(to, "k")} = {op.Activation?.Apply("v") ?? "v"};");
        w.Close();
    }
}
