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
            Alignment(plans[plans.Count - 1], Add);
        }

        return findings;
    }

    private delegate void Report(string id, FindingSeverity severity, LayerPlan? layer, string? argument, System.FormattableString message, string? fixData = null);

    /// <summary>CG0002: d(k − 1) odd cannot be split evenly; PyTorch puts the extra element after.</summary>
    private static void SameSplit(LayerPlan p, bool twoD, Report add)
    {
        var d = p.Decl;
        void Axis(string axis, int k, int dilation, int before, int after)
        {
            int total = dilation * (k - 1);
            if (total % 2 == 1)
            {
                add("CG0002", FindingSeverity.Warning, p, "Pad", $"padding 'same' along the {axis} needs d(k-1) = {dilation}*({k}-1) = {total}, which cannot be split evenly: PyTorch pads {before} before and {after} after, shifting the output grid by half a pixel; make the padding explicit or use kernel size {k + 1}", SameFix(p));
            }
        }

        if (twoD)
        {
            Axis("height", d.KernelH, d.DilationH, p.PadTop, p.PadBottom);
        }

        Axis(twoD ? "width" : "length", d.KernelW, d.DilationW, p.PadLeft, p.PadRight);
    }

    /// <summary>CG0002's fix data: the explicit split (top, bottom, left, right) and the next odd kernel per axis.</summary>
    private static string SameFix(LayerPlan p)
    {
        var d = p.Decl;
        int Odd(int k, int dilation) => dilation * (k - 1) % 2 == 1 ? k + 1 : k;
        return Invariant($"pads={p.PadTop},{p.PadBottom},{p.PadLeft},{p.PadRight};kernel={Odd(d.KernelH, d.DilationH)},{Odd(d.KernelW, d.DilationW)}");
    }

    /// <summary>CG0009: (n + p_before + p_after − k_eff) mod s input rows/columns are never read.</summary>
    private static void DroppedInput(LayerPlan p, bool twoD, Report add)
    {
        var d = p.Decl;
        bool max = d.Kind != LayerKind.AvgPool;
        void Axis(string rows, string argument, int n, int k, int s, int before, int after, int dilation)
        {
            // The last (n + p_before + p_after − k_eff) mod s padded positions are never reached; those past the
            // right padding are real input that no output reads.
            int unreached = ShapeMath.UnusedTail(n, k, s, before, after, dilation);
            int dropped = unreached - after;
            if (s > 1 && dropped > 0)
            {
                int kEff = ShapeMath.EffectiveKernel(k, dilation);
                add("CG0009", FindingSeverity.Warning, p, argument, $"stride {s} never reads the last {dropped} input {rows}: (n + p_before + p_after - k_eff) mod s = ({n} + {before} + {after} - {kEff}) mod {s} = {unreached} unreached position(s), {dropped} of them real input; outputs no longer cover the input evenly (the alignment bug of dense prediction)");
            }
        }

        if (twoD)
        {
            Axis("row(s)", "StrideH", p.Input.Height, d.KernelH, d.StrideH, p.PadTop, p.PadBottom, max ? d.DilationH : 1);
        }

        Axis(twoD ? "column(s)" : "sample(s)", twoD ? "StrideW" : "Stride", p.Input.Width, d.KernelW, d.StrideW, p.PadLeft, p.PadRight, max ? d.DilationW : 1);
    }

    /// <summary>CG0005: with k not a multiple of s, outputs receive unequal numbers of contributions.</summary>
    private static void Checkerboard(LayerPlan p, bool twoD, Report add)
    {
        var d = p.Decl;
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
                if (dilation == 1)
                {
                    add("CG0005", FindingSeverity.Warning, p, argument, $"kernel {k} is not divisible by stride {s} along the {axis}: neighbouring outputs receive {pattern} contributions, an uneven overlap that paints checkerboard artifacts; use kernel {NearestMultiple(k, s)}, Upsample(nearest) + Conv, or Conv + PixelShuffle", Invariant($"kernel={NearestMultiple(k, s)};axis={axis};kernels={FixedKernel(d.KernelH, d.StrideH, d.DilationH)},{FixedKernel(d.KernelW, d.StrideW, d.DilationW)}{ReplacementData(p, twoD)}"));
                }
                else
                {
                    add("CG0005", FindingSeverity.Warning, p, argument, $"kernel {k} with dilation {dilation} and stride {s} along the {axis}: the taps t*d mod s cover the output phases unevenly, so neighbouring outputs receive {pattern} contributions (checkerboard artifacts); use a dilation coprime with the stride and a kernel divisible by it, Upsample(nearest) + Conv, or Conv + PixelShuffle");
                }
            }
        }

        if (twoD)
        {
            Axis("height", "KernelHeight", d.KernelH, d.StrideH, d.DilationH);
        }

        Axis(twoD ? "width" : "length", twoD ? "KernelWidth" : "KernelSize", d.KernelW, d.StrideW, d.DilationW);
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

    /// <summary>CG0004: in a causal network, nothing may see the future. CG0014 (info): its context length.</summary>
    private static void Causal(NetworkDecl network, IReadOnlyList<LayerPlan> plans, Report add)
    {
        if (network.Rank != 1)
        {
            add("CG0004", FindingSeverity.Error, null, "Causal", $"The network is declared causal, but it is 2-D; causality needs a time axis: declare [Network(channels, length, Causal = true)]");
            return;
        }

        bool clean = true;
        foreach (var p in plans)
        {
            var d = p.Decl;
            int kEff = ShapeMath.EffectiveKernel(d.KernelW, d.DilationW);
            string? why = d.Kind switch
            {
                LayerKind.Conv when p.PadLeft < kEff - 1 => Invariant($"output t reads inputs up to t + {kEff - 1 - p.PadLeft} (padding left {p.PadLeft}; causal needs left d(k-1) = {kEff - 1}): use Pad = Pad.Causal"),
                LayerKind.MaxPool or LayerKind.AvgPool when p.PadLeft < kEff - 1 => Invariant($"output t reads inputs up to {(d.StrideW == 1 ? "t" : $"{d.StrideW}t")} + {kEff - 1 - p.PadLeft}, past input {(d.StrideW == 1 ? "t" : $"{d.StrideW}t")} where its window starts (pooling has no left-only padding): downsample with a strided causal Conv1d instead"),
                LayerKind.ConvTranspose => "a transposed convolution spreads each input over later and earlier outputs",
                LayerKind.Upsample => "upsampling interpolates between a sample and the next one",
                LayerKind.GlobalAvgPool => "the global average reads the whole sequence",
                _ => null,
            };
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

    /// <summary>CG0013: output cell o covers input pixels [o·j, (o + 1)·j), so its centre must be at (o + ½)·j.</summary>
    private static void Alignment(LayerPlan last, Report add)
    {
        void Axis(string axis, ReceptiveField f)
        {
            double expected = f.Jump / 2;
            if (System.Math.Abs(f.Start - expected) > 1e-9)
            {
                add("CG0013", FindingSeverity.Warning, null, "DensePrediction", $"The output grid is misaligned with the input along the {axis}: output 0's centre is at input coordinate {f.Start:0.###}, but a cell {f.Jump:0.###} pixel(s) wide centred on its footprint would be at {expected:0.###} (off by {f.Start - expected:+0.###;-0.###}); look for 'same' padding with even kernels, transposed-convolution padding or upsampling");
            }
        }

        if (last.Output.Rank == 2)
        {
            Axis("height", last.FieldH);
        }

        Axis(last.Output.Rank == 2 ? "width" : "length", last.FieldW);
    }

    private static string Invariant(System.FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
