using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace ConvGen.Shapes;

/// <summary>
/// The design rules that look at a whole, shape-valid network: half-pixel shifts from 'same' padding
/// (CG0002), layers that see the future in a causal network (CG0004) and its context length (CG0014),
/// checkerboard-prone transposed convolutions (CG0005), strides that drop input (CG0009), a bias that
/// BatchNorm cancels (CG0011) and dense-prediction grids that miss the input's pixel centres (CG0013).
/// </summary>
internal static class DesignRules
{
    public static List<ShapeFinding> Check(NetworkDecl network, IReadOnlyList<LayerPlan> plans)
    {
        var findings = new List<ShapeFinding>();
        void Add(string id, FindingSeverity severity, LayerPlan? layer, string? argument, System.FormattableString message, string? fixData = null)
            => findings.Add(new ShapeFinding(
                id,
                severity,
                layer?.Index ?? -1,
                argument,
                (layer is null ? "" : layer.Label + ": ") + message.ToString(CultureInfo.InvariantCulture)) { FixData = fixData });

        foreach (var p in plans)
        {
            var d = p.Decl;
            bool twoD = p.Input.Rank == 2;
            switch (d.Kind)
            {
                case LayerKind.Conv:
                    if (d.PadRule == PadRule.Same)
                    {
                        SameSplit(p, twoD, Add);
                    }

                    DroppedInput(p, twoD, Add);
                    break;
                case LayerKind.MaxPool or LayerKind.AvgPool when !d.CeilMode:
                    DroppedInput(p, twoD, Add);
                    break;
                case LayerKind.ConvTranspose:
                    Checkerboard(p, twoD, Add);
                    break;
            }

            if (d.Kind is LayerKind.Conv or LayerKind.ConvTranspose or LayerKind.Linear && d.Bias
                && p.Index + 1 < plans.Count && plans[p.Index + 1].Decl.Kind == LayerKind.BatchNorm)
            {
                Add("CG0011", FindingSeverity.Info, p, "Bias", $"its bias is redundant: {plans[p.Index + 1].Label} right after it subtracts the per-channel mean, which cancels any per-channel constant; set Bias = false (saves {d.OutChannels} parameters)", "fix=nobias");
            }
        }

        if (network.Causal)
        {
            Causal(network, plans, Add);
        }

        if (network.DensePrediction && plans.Count > 0 && plans[plans.Count - 1].Output.Rank > 0)
        {
            Alignment(plans, Add);
        }

        return findings;
    }

    private delegate void Report(string id, FindingSeverity severity, LayerPlan? layer, string? argument, System.FormattableString message, string? fixData = null);

    /// <summary>
    /// CG0002: d(k − 1) odd cannot be split evenly; PyTorch puts the extra element after. One finding per layer, naming
    /// every axis it concerns (a square even kernel is one mistake, not two).
    /// </summary>
    private static void SameSplit(LayerPlan p, bool twoD, Report add)
    {
        var d = p.Decl;
        var axes = new List<(string Axis, string Evidence)>();
        void Axis(string axis, int k, int dilation, int before, int after)
        {
            int total = dilation * (k - 1);
            if (total % 2 == 1)
            {
                axes.Add((axis, Invariant($"d(k-1) = {dilation}*({k}-1) = {total} is odd: PyTorch pads {before} before and {after} after")));
            }
        }

        if (twoD)
        {
            Axis("height", d.KernelH, d.DilationH, p.PadTop, p.PadBottom);
        }

        Axis(twoD ? "width" : "length", d.KernelW, d.DilationW, p.PadLeft, p.PadRight);
        if (axes.Count > 0)
        {
            int Odd(int k, int dilation) => dilation * (k - 1) % 2 == 1 ? k + 1 : k;
            string kernel = KernelText(twoD, Odd(d.KernelH, d.DilationH), Odd(d.KernelW, d.DilationW));
            add("CG0002", FindingSeverity.Warning, p, "Pad", $"padding 'same' cannot be split evenly {AlongAxes(axes)}, which shifts the output grid by half a pixel; make the padding explicit or use kernel size {kernel}", SameFix(p));
        }
    }

    /// <summary>
    /// The axes a per-axis rule fires on, each with its evaluated evidence: "along the length (E)", "along the height and
    /// the width (E)" when both read the same, else "along the height (E1) and the width (E2)".
    /// </summary>
    internal static string AlongAxes(IReadOnlyList<(string Axis, string Evidence)> axes)
    {
        if (axes.Count == 1)
        {
            return Invariant($"along the {axes[0].Axis} ({axes[0].Evidence})");
        }

        return axes[0].Evidence == axes[1].Evidence
            ? Invariant($"along the {axes[0].Axis} and the {axes[1].Axis} ({axes[0].Evidence})")
            : Invariant($"along the {axes[0].Axis} ({axes[0].Evidence}) and the {axes[1].Axis} ({axes[1].Evidence})");
    }

    /// <summary>A kernel as a fix names it: "5", or "5x3" for a 2-D kernel that is not square.</summary>
    internal static string KernelText(bool twoD, int kh, int kw) => !twoD || kh == kw ? Invariant($"{kw}") : Invariant($"{kh}x{kw}");

    /// <summary>CG0002's fix data: the explicit split (top, bottom, left, right) and the next odd kernel per axis.</summary>
    private static string SameFix(LayerPlan p)
    {
        var d = p.Decl;
        int Odd(int k, int dilation) => dilation * (k - 1) % 2 == 1 ? k + 1 : k;
        return Invariant($"pads={p.PadTop},{p.PadBottom},{p.PadLeft},{p.PadRight};kernel={Odd(d.KernelH, d.DilationH)},{Odd(d.KernelW, d.DilationW)}");
    }

    /// <summary>
    /// CG0009: (n + p_before + p_after − k_eff) mod s input rows/columns are never read. One finding per layer, on the
    /// stride, with each axis's numbers and a fix that reads them: padding at the end for a convolution (the least that
    /// makes the unreached positions all padding), CeilMode for a pool, the sequence length for a causal convolution.
    /// </summary>
    private static void DroppedInput(LayerPlan p, bool twoD, Report add)
    {
        var d = p.Decl;
        bool max = d.Kind != LayerKind.AvgPool;
        var axes = new List<(string Axis, string Evidence)>();
        var fixes = new List<string>();
        var arguments = new List<string>();
        var lost = new List<string>();
        void Axis(string axis, string what, string argument, string padArgument, int n, int k, int s, int before, int after, int dilation)
        {
            // The last (n + p_before + p_after − k_eff) mod s padded positions are never reached; those past the
            // right padding are real input that no output reads.
            int unreached = ShapeMath.UnusedTail(n, k, s, before, after, dilation);
            int dropped = unreached - after;
            if (s < 2 || dropped <= 0)
            {
                return;
            }

            int kEff = ShapeMath.EffectiveKernel(k, dilation);
            axes.Add((axis, Invariant($"stride {s}: (n + p_before + p_after - k_eff) mod s = ({n} + {before} + {after} - {kEff}) mod {s} = {unreached} position(s) after the last window, {dropped} of them input")));
            arguments.Add(argument);
            lost.Add(what);
            if (d.Kind != LayerKind.Conv)
            {
                return;
            }

            if (d.PadRule == PadRule.Causal)
            {
                fixes.Add(Invariant($"crop or pad the sequence before this layer to {n - dropped} or {n + s - unreached} samples"));
                return;
            }

            int end = after + 1;
            while (ShapeMath.UnusedTail(n, k, s, before, end, dilation) > end)
            {
                end++;
            }

            fixes.Add(Invariant($"{padArgument} = {end}"));
        }

        if (twoD)
        {
            Axis("height", "rows", "StrideH", "PadBottom", p.Input.Height, d.KernelH, d.StrideH, p.PadTop, p.PadBottom, max ? d.DilationH : 1);
        }

        Axis(twoD ? "width" : "length", twoD ? "columns" : "samples", twoD ? "StrideW" : "Stride", "PadRight", p.Input.Width, d.KernelW, d.StrideW, p.PadLeft, p.PadRight, max ? d.DilationW : 1);
        if (axes.Count == 0)
        {
            return;
        }

        string fix = d.Kind != LayerKind.Conv ? "set CeilMode = true, which adds a last window over them"
            : d.PadRule == PadRule.Causal ? fixes[0]
            : (d.PadRule == PadRule.Valid ? "replace Pad = Pad.Valid with " : "pad the end: ") + string.Join(", ", fixes);
        add("CG0009", FindingSeverity.Warning, p, axes.Count == 1 ? arguments[0] : "Stride", $"the last input {string.Join(" and ", lost)} are never read {AlongAxes(axes)}: they never affect the output, and the output grid sits off-centre on the input; {fix}");
    }

    /// <summary>
    /// CG0005: with k not a multiple of s, outputs receive unequal numbers of contributions. One finding per layer, with
    /// each uneven axis's coverage; the kernel fix (and its data) only when no uneven axis is dilated.
    /// </summary>
    private static void Checkerboard(LayerPlan p, bool twoD, Report add)
    {
        var d = p.Decl;
        var axes = new List<(string Axis, string Evidence)>();
        var arguments = new List<string>();
        bool dilated = false;
        void Axis(string axis, string argument, int k, int s, int dilation)
        {
            if (s < 2)
            {
                return;
            }

            var coverage = Coverage(k, s, dilation);
            if (coverage.Distinct().Count() > 1)
            {
                string pattern = string.Join(",", coverage.Concat(coverage)) + ",…";
                axes.Add((axis, dilation == 1
                    ? Invariant($"kernel {k} is not divisible by stride {s}: neighbouring outputs receive {pattern} contributions")
                    : Invariant($"kernel {k} with dilation {dilation} and stride {s}: the taps t*d mod s give neighbouring outputs {pattern} contributions")));
                arguments.Add(argument);
                dilated |= dilation > 1;
            }
        }

        if (twoD)
        {
            Axis("height", "KernelHeight", d.KernelH, d.StrideH, d.DilationH);
        }

        Axis(twoD ? "width" : "length", twoD ? "KernelWidth" : "KernelSize", d.KernelW, d.StrideW, d.DilationW);
        if (axes.Count == 0)
        {
            return;
        }

        string argumentBlamed = axes.Count == 1 ? arguments[0] : "KernelSize";
        if (dilated)
        {
            add("CG0005", FindingSeverity.Warning, p, argumentBlamed, $"the overlap is uneven {AlongAxes(axes)}, which paints checkerboard artifacts; use a dilation coprime with the stride and a kernel divisible by it, or Upsample(nearest) + Conv");
            return;
        }

        int kh = FixedKernel(d.KernelH, d.StrideH, d.DilationH), kw = FixedKernel(d.KernelW, d.StrideW, d.DilationW);
        add("CG0005", FindingSeverity.Warning, p, argumentBlamed, $"the overlap is uneven {AlongAxes(axes)}, which paints checkerboard artifacts; use kernel {KernelText(twoD, kh, kw)} (or Upsample(nearest) + Conv, or Conv + PixelShuffle)", Invariant($"kernels={kh},{kw}{ReplacementData(p, twoD)}"));
    }

    /// <summary>An axis's kernel after the CG0005 fix: the nearest multiple of the stride where the coverage is uneven.</summary>
    private static int FixedKernel(int k, int s, int dilation)
        => s > 1 && dilation == 1 && Coverage(k, s, 1).Distinct().Count() > 1 ? NearestMultiple(k, s) : k;

    /// <summary>
    /// ";upsample=s": the layer may be replaced by Upsample(s) + a size-preserving 3-tap convolution (and, in 2-D,
    /// by Conv(C·s²) + PixelShuffle(s)), because its output is exactly s times its input in every dimension.
    /// </summary>
    private static string ReplacementData(LayerPlan p, bool twoD)
    {
        var d = p.Decl;
        int s = d.StrideW;
        bool sameStride = !twoD || d.StrideH == s;
        bool scales = p.Output.Width == p.Input.Width * s && (!twoD || p.Output.Height == p.Input.Height * s);
        return sameStride && scales && d.Groups == 1 ? Invariant($";upsample={s}") : "";
    }

    /// <summary>How many taps t·d land on each output phase r = 0..s−1 (t·d ≡ r mod s).</summary>
    public static int[] Coverage(int kernel, int stride, int dilation)
    {
        var counts = new int[stride];
        for (int t = 0; t < kernel; t++)
        {
            counts[t * dilation % stride]++;
        }

        return counts;
    }

    private static int NearestMultiple(int k, int s) => k < s ? s : (k % s) * 2 < s ? k - (k % s) : k + s - (k % s);

    /// <summary>
    /// CG0004: in a causal network, nothing may see the future. CG0014 (info): its context length, reported only when
    /// nothing does (a network that reads ahead has no meaningful context length).
    /// </summary>
    /// <remarks>
    /// Alignment (docs/diagnostics/CG0004.md): a convolution's output j stands at input time j·s, the grid that
    /// Pad.Causal keeps; an unpadded pool's output j covers inputs j·s … j·s + k_eff − 1 and stands at the end of
    /// that window, when it can first be computed; a padded pool pads both sides, which centres its window on j·s;
    /// an upsampling layer's output t stands at input time t/s.
    /// </remarks>
    private static void Causal(NetworkDecl network, IReadOnlyList<LayerPlan> plans, Report add)
    {
        if (network.Rank != 1)
        {
            add("CG0004", FindingSeverity.Error, null, "Causal", $"The network is declared causal, but it is 2-D; causality needs a time axis: declare [Network(channels, length, Causal = true)]");
            return;
        }

        bool clean = true;
        LayerPlan? flatten = null; // a Flatten that folded several time steps into one vector, until a Linear mixes them
        foreach (var p in plans)
        {
            var d = p.Decl;
            string? why = d.Kind switch
            {
                LayerKind.Conv => ConvolutionLookAhead(p),
                LayerKind.MaxPool or LayerKind.AvgPool => PoolLookAhead(p),
                LayerKind.ConvTranspose => TransposedLookAhead(p),
                LayerKind.Upsample => UpsampleLookAhead(p),
                LayerKind.GlobalAvgPool when p.Input.Width > 1 => Invariant($"the global average reads inputs 0..{p.Input.Width - 1}, the whole sequence, for its one output: remove it and use the last time step of the layer before, which already summarises the inputs up to it"),
                LayerKind.Linear when flatten is not null => Invariant($"{flatten.Label} folded all {flatten.Input.Width} time steps into one vector, so each of its {d.OutChannels} output(s) reads inputs 0..{flatten.Input.Width - 1}, the whole sequence: replace {flatten.Decl.AttributeName} and {d.AttributeName} with Conv1d({d.OutChannels}, 1), which gives an output per time step that reads only the past, and use its last step"),
                _ => null,
            };
            if (d.Kind == LayerKind.Flatten && p.Input.Rank == 1 && p.Input.Width > 1)
            {
                flatten = p;
            }
            else if (d.Kind == LayerKind.Linear)
            {
                flatten = null;
            }

            if (why is not null)
            {
                clean = false;
                add("CG0004", FindingSeverity.Error, p, d.Kind == LayerKind.Conv ? "Pad" : null, $"sees the future in a causal network: {why}", d.Kind == LayerKind.Conv ? "fix=causal" : null);
            }
        }

        var last = plans.LastOrDefault(p => p.Output.Rank > 0);
        if (clean && last is not null)
        {
            add("CG0014", FindingSeverity.Info, null, null, $"The network is causal: each output sees {last.FieldW.Field:0.###} samples of context (1 + Σ d(k-1)·jump)");
        }
    }

    /// <summary>A convolution's output j stands at input j·s and reads j·s − p_left … j·s − p_left + d(k − 1).</summary>
    private static string? ConvolutionLookAhead(LayerPlan p)
    {
        var d = p.Decl;
        int kEff = ShapeMath.EffectiveKernel(d.KernelW, d.DilationW), ahead = kEff - 1 - p.PadLeft;
        return ahead <= 0 ? null : Invariant($"{Output(d.StrideW)} reads inputs {Window(d.StrideW, -p.PadLeft, ahead, d.DilationW)}, {ahead} sample(s) after {Step(d.StrideW, 0)} (padding left {p.PadLeft}; causal needs left d(k-1) = {kEff - 1}): use Pad = Pad.Causal");
    }

    /// <summary>
    /// A pool pads both sides (there is no left-only pool padding), so padding centres its window on its output j·s,
    /// which then reads k_eff − 1 − p samples ahead. Unpadded, output j stands at the end of its window and reads only the past.
    /// </summary>
    private static string? PoolLookAhead(LayerPlan p)
    {
        var d = p.Decl;
        int dilation = d.Kind == LayerKind.MaxPool ? d.DilationW : 1;
        int kEff = ShapeMath.EffectiveKernel(d.KernelW, dilation), ahead = kEff - 1 - p.PadLeft;
        return p.PadLeft == 0 || ahead <= 0 ? null : Invariant($"its padding {p.PadLeft} centres the window on its output, so {Output(d.StrideW)} reads inputs {Window(d.StrideW, -p.PadLeft, ahead, dilation)}, {ahead} sample(s) after {Step(d.StrideW, 0)}: remove the padding (unpadded, output j covers inputs {Window(d.StrideW, 0, kEff - 1, dilation, "j")} and stands at its end, {Step(d.StrideW, kEff - 1, "j")}, reading only the past)");
    }

    /// <summary>
    /// Output o = i·s − p + a·d of a transposed convolution stands at input time o/s. Without padding every input i
    /// feeds outputs i·s … i·s + d(k − 1), at or after it; padding p crops the first p outputs, so output o reads
    /// inputs up to ⌊(o + p)/s⌋, p output steps ahead.
    /// </summary>
    private static string? TransposedLookAhead(LayerPlan p)
    {
        var d = p.Decl;
        int s = d.StrideW, pad = p.PadLeft;
        if (pad == 0)
        {
            return null;
        }

        // The first output that reads an input later than itself: o = q·s − p with q = ⌈p/s⌉ reads input q > o/s.
        int q = (pad + s - 1) / s, o = (q * s) - pad;
        string time = s == 1 ? "input time o" : Invariant($"input time o/{s}");
        string reads = s == 1 ? Invariant($"o + {pad}") : Invariant($"floor((o + {pad})/{s})");
        return Invariant($"its padding {pad} crops the first {pad} output(s), so output o (at {time}) reads inputs up to {reads}, e.g. output {o} reads input {q}: use Padding = 0 (then input i feeds only outputs {Window(s, 0, ShapeMath.EffectiveKernel(d.KernelW, d.DilationW) - 1, 1, "i")}, at or after it)");
    }

    /// <summary>
    /// Upsampling output t stands at input time t/s. Nearest repeats input ⌊t/s⌋, which is never later; linear
    /// interpolation blends inputs ⌊c⌋ and ⌊c⌋ + 1 at c = (t + ½)/s − ½, the second one later than t/s.
    /// </summary>
    private static string? UpsampleLookAhead(LayerPlan p)
    {
        var d = p.Decl;
        int s = d.Factor;
        if (!d.LinearInterpolation || s < 2 || p.Input.Width < 2)
        {
            return null;
        }

        // The first output with c > 0: t > (s − 1)/2.
        int t = ((s - 1) / 2) + 1;
        return Invariant($"linear interpolation blends each sample with the next one: output t (at input time t/{s}) reads inputs floor(c) and floor(c) + 1 at c = (t + 0.5)/{s} - 0.5, e.g. output {t} reads input 1: use Mode = UpsampleMode.Nearest, which repeats input floor(t/{s})");
    }

    /// <summary>"output t" at stride 1, else "output j (at input 2j)".</summary>
    private static string Output(int stride) => stride == 1 ? "output t" : Invariant($"output j (at input {stride}j)");

    /// <summary>The input position s·v + offset: "t+1", "2j-1", "2j".</summary>
    private static string Step(int stride, int offset, string? variable = null)
    {
        string v = variable ?? (stride == 1 ? "t" : "j");
        string at = stride == 1 ? v : Invariant($"{stride}{v}");
        return offset == 0 ? at : Invariant($"{at}{offset:+0;-0}");
    }

    /// <summary>Inputs s·v + first … s·v + last, with the tap spacing when it is not 1: "t-1..t+1", "2j..2j+4 in steps of 2".</summary>
    private static string Window(int stride, int first, int last, int spacing, string? variable = null)
        => Step(stride, first, variable) + ".." + Step(stride, last, variable) + (spacing > 1 ? Invariant($" in steps of {spacing}") : "");

    /// <summary>
    /// CG0013: output cell o covers input pixels [o·j, (o + 1)·j), so its centre must be at (o + ½)·j. One finding for
    /// the network, naming the first layer that moves the grid off centre.
    /// </summary>
    private static void Alignment(IReadOnlyList<LayerPlan> plans, Report add)
    {
        var last = plans[plans.Count - 1];
        bool Aligned(ReceptiveField f) => System.Math.Abs(f.Start - (f.Jump / 2)) <= 1e-9;
        var axes = new List<(string Axis, string Evidence)>();
        var culprits = new List<string>();
        void Axis(string axis, ReceptiveField f, System.Func<LayerPlan, ReceptiveField> field)
        {
            double expected = f.Jump / 2;
            if (Aligned(f))
            {
                return;
            }

            axes.Add((axis, Invariant($"output 0's centre is at input coordinate {f.Start:0.###}, but a cell {f.Jump:0.###} pixel(s) wide centred on its footprint would be at {expected:0.###}: off by {f.Start - expected:+0.###;-0.###}")));
            var before = ReceptiveField.Input;
            foreach (var plan in plans)
            {
                if (Aligned(before) && !Aligned(field(plan)))
                {
                    culprits.Add(plan.Label);
                    break;
                }

                before = field(plan);
            }
        }

        if (last.Output.Rank == 2)
        {
            Axis("height", last.FieldH, plan => plan.FieldH);
        }

        Axis(last.Output.Rank == 2 ? "width" : "length", last.FieldW, plan => plan.FieldW);
        if (axes.Count > 0)
        {
            string where = culprits.Count == 0 ? "find the layer that moves it in the receptive-field table of the generated Summary"
                : Invariant($"the grid first moves off centre at {string.Join(" and ", culprits.Distinct())}: give it an odd kernel with symmetric padding (for 'same', CG0002), no transposed-convolution padding, or a stride that reads its whole input (CG0009)");
            add("CG0013", FindingSeverity.Warning, null, "DensePrediction", $"The output grid is misaligned with the input {AlongAxes(axes)}, so a prediction read back at an output position describes pixels off its cell; {where}");
        }
    }

    private static string Invariant(System.FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
