using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using ConvGen.Shapes;

namespace ConvGen.Tests.Forward;

/// <summary>One generated layer: its attribute text, the <see cref="LayerDecl"/> that text means, and feature tags.</summary>
internal sealed record GeneratedLayer(string Text, LayerDecl Decl, IReadOnlyList<string> Tags);

/// <summary>A random valid declaration: the C# attribute text and the equivalent shape-module objects.</summary>
internal sealed record RandomNetwork(
    int Seed,
    string NetworkText,
    NetworkDecl Network,
    IReadOnlyList<GeneratedLayer> Layers,
    int Batch,
    IReadOnlyCollection<string> Features)
{
    public IReadOnlyList<LayerDecl> Decls => Layers.Select(l => l.Decl).ToList();

    /// <summary>The whole declaration, one layer attribute per line.</summary>
    public string Attributes => Declaration(Layers.Count);

    /// <summary>The declaration of the first <paramref name="layerCount"/> layers.</summary>
    public string Declaration(int layerCount)
        => NetworkText + "\n" + string.Join("\n", Layers.Take(layerCount).Select(l => "[" + l.Text + "]"));
}

/// <summary>
/// A seeded generator of random valid ConvGen declarations. Each seed has a focus feature (cycling through
/// <see cref="Focus"/>) that is forced into the network by rejection sampling; the rest of the layers are drawn
/// freely. Every candidate layer (or block) is planned with <see cref="ShapeInference"/> and rejected when the
/// declaration becomes invalid or too large, then drawn again.
/// </summary>
internal static class RandomNetworks
{
    /// <summary>(step kind, tag that step must produce, required spatial rank or 0).</summary>
    public static readonly (string Kind, string Tag, int Rank)[] Focus =
    {
        ("conv", "pad-same-odd", 0),
        ("conv", "pad-same-even", 2),
        ("conv", "pad-valid", 0),
        ("conv", "pad-causal", 1),
        ("conv", "pad-asymmetric", 2),
        ("conv", "pad-hw", 2),
        ("conv", "pad-symmetric", 0),
        ("conv", "mode-reflect", 2),
        ("conv", "mode-replicate", 0),
        ("conv", "mode-circular", 2),
        ("conv", "dilation", 0),
        ("conv", "groups", 0),
        ("conv", "depthwise-multiplier", 2),
        ("conv", "stride", 2),
        ("conv", "no-bias", 0),
        ("conv", "rect-kernel", 2),
        ("convT", "convT-stride", 2),
        ("convT", "convT-output-padding", 0),
        ("convT", "convT-dilation", 2),
        ("convT", "convT-groups", 0),
        ("convT", "convT-padding", 2),
        ("maxpool", "maxpool-padding", 2),
        ("maxpool", "maxpool-dilation", 0),
        ("maxpool", "maxpool-ceil", 2),
        ("avgpool", "avgpool-ceil", 0),
        ("avgpool", "avgpool-exclude-pad", 2),
        ("avgpool", "avgpool-padding", 1),
        ("gap", "gap", 0),
        ("convbn", "bn-folded", 0),
        ("bn", "bn-standalone", 2),
        ("act", "relu", 0),
        ("act", "leakyrelu", 2),
        ("act", "relu6", 0),
        ("act", "sigmoid", 2),
        ("act", "tanh", 1),
        ("act", "silu", 2),
        ("dropout", "dropout", 0),
        ("identity", "identity", 0),
        ("head", "linear", 2),
        ("head", "bn1d-flat", 0),
        ("convhead", "bn-after-flattened-conv", 2),
        ("upsample", "upsample-nearest", 0),
        ("upsample", "upsample-linear", 2),
        ("upsample", "upsample-linear", 1),
        ("pixelshuffle", "pixelshuffle", 2),
        ("pixelunshuffle", "pixelunshuffle", 2),
        ("residual", "add", 2),
        ("residual", "add-projection", 2),
        ("residual", "add-projection", 1),
        ("residual", "concat", 0),
        ("residual", "save-input", 0),
        ("convT", "convT1d", 1),
        ("conv", "mode-reflect", 1),
        ("conv", "mode-circular", 1),
        ("maxpool", "maxpool-ceil", 1),
        ("avgpool", "avgpool-exclude-pad", 1),
        ("convbn", "bn-folded", 1),
        ("residual", "add-flat", 2),
        ("conv", "depthwise", 1),
        ("conv", "named", 0),
    };

    /// <summary>Every tag the seeds as a whole must produce.</summary>
    public static readonly string[] RequiredFeatures =
    {
        "1d", "2d", "nchw", "nhwc", "batch1", "batch2", "batch3", "flat-output", "small-unroll-budget",
        "conv1d", "conv2d", "stride", "dilation", "groups", "depthwise", "depthwise-multiplier", "no-bias", "rect-kernel",
        "pad-none", "pad-symmetric", "pad-hw", "pad-asymmetric", "pad-same-odd", "pad-same-even", "pad-valid", "pad-causal",
        "mode-zeros", "mode-reflect", "mode-replicate", "mode-circular",
        "convT1d", "convT2d", "convT-stride", "convT-padding", "convT-output-padding", "convT-dilation", "convT-groups",
        "maxpool", "maxpool-padding", "maxpool-dilation", "maxpool-ceil", "avgpool", "avgpool-padding", "avgpool-ceil",
        "avgpool-exclude-pad", "pool-default-stride", "gap",
        "bn-folded", "bn-standalone", "bn-no-affine", "bn1d-flat", "bn-after-flattened-conv",
        "relu", "leakyrelu", "relu6", "sigmoid", "tanh", "silu", "dropout", "identity", "flatten", "linear", "linear-no-bias",
        "upsample-nearest", "upsample-linear", "pixelshuffle", "pixelunshuffle",
        "save", "save-input", "add", "add-projection", "add-flat", "concat", "named",
    };

    private static readonly string[] Activations = { "relu", "leakyrelu", "relu6", "sigmoid", "tanh", "silu" };

    public static RandomNetwork Generate(int seed)
    {
        var focus = Focus[((seed % Focus.Length) + Focus.Length) % Focus.Length];
        var random = new Random(seed);
        int rank = focus.Rank != 0 ? focus.Rank : (random.Next(3) == 0 ? 1 : 2);
        bool channelsLast = random.Next(3) == 0;
        int channels = random.Next(1, 5);
        int height = rank == 2 ? random.Next(4, 11) : 1;
        int width = rank == 2 ? random.Next(4, 11) : random.Next(6, 25);
        bool smallBudget = random.Next(8) == 0;
        int budget = smallBudget ? random.Next(0, 24) : 20000;
        int batch = random.Next(1, 4);

        var args = new List<string>();
        args.Add(Int(channels));
        if (rank == 2)
        {
            args.Add(Int(height));
        }

        args.Add(Int(width));
        if (channelsLast)
        {
            args.Add("Layout = TensorLayout.Nhwc");
        }
        else if (random.Next(4) == 0)
        {
            args.Add("Layout = TensorLayout.Nchw");
        }

        if (smallBudget)
        {
            args.Add("UnrollBudget = " + Int(budget));
        }

        var network = new NetworkDecl(channels, height, width, rank, channelsLast, budget);
        var builder = new Builder(random, network);

        // A few free steps, the focus step somewhere before an optional flat head at the end.
        int steps = random.Next(2, 6);
        bool flatFocus = focus.Tag == "add-flat";
        int focusAt = flatFocus ? steps : focus.Tag == "save-input" ? 0 : random.Next(0, steps + 1);
        bool focusPlaced = false;
        for (int i = 0; i <= steps; i++)
        {
            if (i == focusAt)
            {
                if (flatFocus)
                {
                    builder.Step("head", null, attempts: 40);
                }

                focusPlaced = builder.Step(focus.Kind, focus.Tag, attempts: 600);
            }

            if (i < steps)
            {
                builder.Step(builder.RandomKind(), null, attempts: 40);
            }
        }

        if (!focusPlaced && builder.Current.Rank > 0)
        {
            // Earlier layers left no room for the focus (say, a window larger than what is left): start over
            // with the focus first.
            builder = new Builder(random, network);
            builder.Step(focus.Kind, focus.Tag, attempts: 600);
            builder.Step(builder.RandomKind(), null, attempts: 40);
        }

        if (random.Next(3) == 0)
        {
            builder.Step(random.Next(2) == 0 ? "head" : "convhead", null, attempts: 40);
        }

        if (builder.Layers.Count == 0)
        {
            builder.Step("identity", null, attempts: 1);
        }

        var features = new SortedSet<string>(StringComparer.Ordinal)
        {
            rank == 1 ? "1d" : "2d",
            channelsLast ? "nhwc" : "nchw",
            "batch" + Int(batch),
        };
        if (smallBudget)
        {
            features.Add("small-unroll-budget");
        }

        if (builder.Current.Rank == 0)
        {
            features.Add("flat-output");
        }

        foreach (var layer in builder.Layers)
        {
            features.UnionWith(layer.Tags);
        }

        return new RandomNetwork(seed, "[Network(" + string.Join(", ", args) + ")]", network, builder.Layers, batch, features);
    }

    private static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Grows one declaration, layer block by layer block.</summary>
    private sealed class Builder
    {
        private readonly Random _r;
        private readonly NetworkDecl _network;
        private int _names;
        private int _saves;

        public Builder(Random random, NetworkDecl network)
        {
            _r = random;
            _network = network;
            Current = network.InputShape;
        }

        public List<GeneratedLayer> Layers { get; } = new();

        public TensorShape Current { get; private set; }

        public string RandomKind()
        {
            if (Current.Rank == 0)
            {
                return Pick("linear", "act", "act", "bn", "dropout", "identity", "residual");
            }

            int roll = _r.Next(100);
            return roll switch
            {
                < 30 => "conv",
                < 38 => "convbn",
                < 44 => "convT",
                < 52 => "maxpool",
                < 58 => "avgpool",
                < 68 => "act",
                < 73 => "bn",
                < 82 => "residual",
                < 86 => "upsample",
                < 89 => "pixelshuffle",
                < 91 => "pixelunshuffle",
                < 94 => "dropout",
                < 97 => "identity",
                _ => "gap",
            };
        }

        /// <summary>Adds one block of <paramref name="kind"/>, retrying until it is valid (and carries <paramref name="tag"/>).</summary>
        public bool Step(string kind, string? tag, int attempts)
        {
            for (int i = 0; i < attempts; i++)
            {
                var block = Draw(kind);
                if (block is not null && TryAdd(block, tag))
                {
                    return true;
                }
            }

            return false;
        }

        private List<GeneratedLayer>? Draw(string kind)
        {
            var s = Current;
            switch (kind)
            {
                case "conv":
                    return One(Conv(s, null, preserveSpatial: false));
                case "convbn":
                {
                    var conv = _r.Next(4) == 0 && s.Rank > 0 ? ConvTranspose(s) : Conv(s, null, preserveSpatial: false);
                    if (conv is null)
                    {
                        return null;
                    }

                    var block = new List<GeneratedLayer> { conv, BatchNorm(s.Rank) };
                    if (_r.Next(2) == 0)
                    {
                        block.Add(Activation());
                    }

                    return block;
                }

                case "convT":
                    return One(ConvTranspose(s));
                case "maxpool":
                    return One(Pool(s, max: true));
                case "avgpool":
                    return One(Pool(s, max: false));
                case "gap":
                    return s.Rank == 0 ? null : One(Simple("GlobalAvgPool", LayerKind.GlobalAvgPool, "gap"));
                case "act":
                    return One(Activation());
                case "bn":
                    return One(BatchNorm(s.Rank));
                case "dropout":
                    return One(_r.Next(2) == 0
                        ? Simple("Dropout", LayerKind.Dropout, "dropout")
                        : new GeneratedLayer("Dropout(P = 0.25)", new LayerDecl { Kind = LayerKind.Dropout, AttributeName = "Dropout", DropoutP = 0.25 }, new[] { "dropout" }));
                case "identity":
                    return One(Simple("Identity", LayerKind.Identity, "identity"));
                case "linear":
                    return One(Linear());
                case "head":
                    return Head(afterConv: false);
                case "convhead":
                    return Head(afterConv: true);
                case "upsample":
                    return One(Upsample(s));
                case "pixelshuffle":
                    return PixelShuffle(s);
                case "pixelunshuffle":
                    return PixelUnshuffle(s);
                case "residual":
                    return Residual(s);
                default:
                    throw new ArgumentException("unknown step kind " + kind, nameof(kind));
            }
        }

        private static List<GeneratedLayer>? One(GeneratedLayer? layer) => layer is null ? null : new List<GeneratedLayer> { layer };

        private bool TryAdd(List<GeneratedLayer> block, string? requiredTag)
        {
            var decls = Layers.Select(l => l.Decl).Concat(block.Select(l => l.Decl)).ToList();
            var result = ShapeInference.Infer(_network, decls);
            if (!result.Succeeded)
            {
                return false;
            }

            var plans = result.Layers;
            long macs = 0;
            foreach (var plan in plans)
            {
                var o = plan.Output;
                if ((o.Rank > 0 && o.Channels > 32) || o.Height > 24 || o.Width > 48 || o.Size > 3000)
                {
                    return false;
                }

                macs += plan.Macs;
            }

            if (macs > 400_000)
            {
                return false;
            }

            var tagged = new List<GeneratedLayer>();
            var tags = new HashSet<string>(StringComparer.Ordinal);
            for (int i = 0; i < block.Count; i++)
            {
                int index = Layers.Count + i;
                var layerTags = block[i].Tags.Concat(PlanTags(plans, decls, index)).Distinct().ToList();
                tags.UnionWith(layerTags);
                tagged.Add(block[i] with { Tags = layerTags });
            }

            if (requiredTag is not null && !tags.Contains(requiredTag))
            {
                return false;
            }

            Layers.AddRange(tagged);
            Current = plans[plans.Count - 1].Output;
            return true;
        }

        /// <summary>Tags that depend on the planned shapes (whether a padding is used, whether ceil mode changes the size...).</summary>
        private static IEnumerable<string> PlanTags(IReadOnlyList<LayerPlan> plans, List<LayerDecl> decls, int index)
        {
            var p = plans[index];
            var d = p.Decl;
            if (d.Name is not null)
            {
                yield return "named";
            }

            bool padded = (p.PadTop | p.PadBottom | p.PadLeft | p.PadRight) != 0;
            switch (d.Kind)
            {
                case LayerKind.Conv:
                    yield return p.Input.Rank == 2 ? "conv2d" : "conv1d";
                    if (padded)
                    {
                        yield return "mode-" + d.BorderMode.ToString().ToLowerInvariant();
                    }

                    if (d.PadRule == PadRule.Same)
                    {
                        yield return p.PadTop != p.PadBottom || p.PadLeft != p.PadRight ? "pad-same-even" : "pad-same-odd";
                    }
                    else if (d.PadRule == PadRule.Explicit && (p.PadTop != p.PadBottom || p.PadLeft != p.PadRight))
                    {
                        yield return "pad-asymmetric";
                    }

                    break;
                case LayerKind.ConvTranspose:
                    yield return p.Input.Rank == 2 ? "convT2d" : "convT1d";
                    if (d.StrideH > 1 || d.StrideW > 1)
                    {
                        yield return "convT-stride";
                    }

                    if (padded)
                    {
                        yield return "convT-padding";
                    }

                    if (d.OutputPaddingH > 0 || d.OutputPaddingW > 0)
                    {
                        yield return "convT-output-padding";
                    }

                    if (d.DilationH > 1 || d.DilationW > 1)
                    {
                        yield return "convT-dilation";
                    }

                    if (d.Groups > 1)
                    {
                        yield return "convT-groups";
                    }

                    break;
                case LayerKind.MaxPool or LayerKind.AvgPool:
                    string name = d.Kind == LayerKind.MaxPool ? "maxpool" : "avgpool";
                    yield return name;
                    if (padded)
                    {
                        yield return name + "-padding";
                    }

                    bool twoD = p.Input.Rank == 2;
                    int floorH = twoD ? ShapeMath.PoolOutput(p.Input.Height, d.KernelH, d.StrideH, p.PadTop, d.DilationH, false) : 1;
                    int floorW = ShapeMath.PoolOutput(p.Input.Width, d.KernelW, d.StrideW, p.PadLeft, d.DilationW, false);
                    bool ceilMatters = d.CeilMode && (floorH != p.Output.Height || floorW != p.Output.Width);
                    if (ceilMatters)
                    {
                        yield return name + "-ceil";
                    }

                    if (d.Kind == LayerKind.MaxPool && (d.DilationH > 1 || d.DilationW > 1))
                    {
                        yield return "maxpool-dilation";
                    }

                    if (d.Kind == LayerKind.AvgPool && !d.CountIncludePad && (padded || ceilMatters))
                    {
                        yield return "avgpool-exclude-pad";
                    }

                    break;
                case LayerKind.BatchNorm:
                    var before = index > 0 ? decls[index - 1].Kind : LayerKind.Identity;
                    yield return before is LayerKind.Conv or LayerKind.ConvTranspose or LayerKind.Linear ? "bn-folded" : "bn-standalone";
                    if (!d.Affine)
                    {
                        yield return "bn-no-affine";
                    }

                    if (p.Input.Rank == 0)
                    {
                        yield return "bn1d-flat";
                        int j = index - 1;
                        while (j >= 0 && decls[j].Kind is LayerKind.Flatten or LayerKind.Identity or LayerKind.Dropout)
                        {
                            j--;
                        }

                        if (j >= 0 && j < index - 1 && decls[j].Kind is LayerKind.Conv or LayerKind.ConvTranspose && plans[j].Output.Spatial > 1)
                        {
                            yield return "bn-after-flattened-conv";
                        }
                    }

                    break;
                case LayerKind.Save when index == 0:
                    yield return "save-input";
                    break;
                case LayerKind.Add:
                    yield return d.Projection ? "add-projection" : "add";
                    if (p.Input.Rank == 0)
                    {
                        yield return "add-flat";
                    }

                    break;
                case LayerKind.Concat:
                    yield return "concat";
                    break;
            }
        }

        private string Pick(params string[] options) => options[_r.Next(options.Length)];

        private bool Chance(int percent) => _r.Next(100) < percent;

        private string? MaybeName(string stem) => Chance(15) ? stem + "_" + Int(++_names) : null;

        private static GeneratedLayer Simple(string attribute, LayerKind kind, string tag)
            => new(attribute, new LayerDecl { Kind = kind, AttributeName = attribute }, new[] { tag });

        private static string Text(string attribute, List<string> positional, List<string> named, string? name)
        {
            var all = new List<string>(positional);
            all.AddRange(named);
            if (name is not null)
            {
                all.Add("Name = \"" + name + "\"");
            }

            return all.Count == 0 ? attribute : attribute + "(" + string.Join(", ", all) + ")";
        }

        /// <summary>
        /// A convolution. <paramref name="outChannels"/> fixes C_out; <paramref name="preserveSpatial"/> keeps the
        /// spatial size (stride 1 and total padding d(k − 1), as 'same', symmetric, asymmetric or causal numbers).
        /// </summary>
        private GeneratedLayer? Conv(TensorShape s, int? outChannels, bool preserveSpatial)
        {
            if (s.Rank == 0)
            {
                return null;
            }

            bool twoD = s.Rank == 2;
            var tags = new List<string>();
            var named = new List<string>();
            int cin = s.Channels;

            // Groups: plain, grouped, or depthwise with a channel multiplier.
            int groups = 1, outC;
            int groupRoll = _r.Next(10);
            var divisors = ShapeMath.Divisors(cin).Where(g => g > 1 && (outChannels is null || outChannels.Value % g == 0)).ToList();
            if (groupRoll >= 8 && cin > 1 && (outChannels is null || outChannels.Value % cin == 0))
            {
                groups = cin;
                outC = outChannels ?? cin * _r.Next(1, 4);
                tags.Add("depthwise");
                tags.Add("groups");
                if (outC > cin)
                {
                    tags.Add("depthwise-multiplier");
                }
            }
            else if (groupRoll >= 6 && divisors.Count > 0)
            {
                groups = divisors[_r.Next(divisors.Count)];
                outC = outChannels ?? groups * _r.Next(1, 4);
                tags.Add("groups");
            }
            else
            {
                outC = outChannels ?? _r.Next(1, 9);
            }

            // Kernel.
            int kH = 1, kW;
            var positional = new List<string> { Int(outC) };
            if (twoD && Chance(30))
            {
                kH = _r.Next(1, 6);
                kW = _r.Next(1, 6);
                if (kW == kH)
                {
                    kW = (kH % 5) + 1;
                }

                positional.Add(Int(kH));
                positional.Add(Int(kW));
                tags.Add("rect-kernel");
            }
            else
            {
                kW = _r.Next(1, twoD ? 6 : 8);
                kH = twoD ? kW : 1;
                positional.Add(Int(kW));
            }

            // Dilation.
            int dH = 1, dW = 1;
            if (Chance(25))
            {
                (dH, dW) = PerDimension(twoD, "Dilation", 2, 3, named);
                if (dH > 1 || dW > 1)
                {
                    tags.Add("dilation");
                }
            }

            // Padding form; 'same' and the size-preserving forms need stride 1.
            int? all = null, ph = null, pw = null, left = null, right = null, top = null, bottom = null;
            var rule = PadRule.Explicit;
            int totalH = dH * (kH - 1), totalW = dW * (kW - 1);
            string form = preserveSpatial
                ? Pick(twoD ? new[] { "same", "preserve-sym", "preserve-asym" } : new[] { "same", "preserve-sym", "preserve-asym", "causal" })
                : Pick(twoD
                    ? new[] { "none", "sym", "hw", "asym", "asym", "same", "same", "valid" }
                    : new[] { "none", "sym", "asym", "same", "same", "valid", "causal", "causal" });
            switch (form)
            {
                case "none":
                    tags.Add("pad-none");
                    break;
                case "sym":
                    all = _r.Next(0, 4);
                    tags.Add(all > 0 ? "pad-symmetric" : "pad-none");
                    break;
                case "hw":
                    switch (_r.Next(3))
                    {
                        case 0: ph = _r.Next(0, 3); pw = _r.Next(0, 3); break;
                        case 1: all = _r.Next(0, 3); pw = _r.Next(0, 3); break;
                        default: ph = _r.Next(1, 3); break;
                    }

                    tags.Add("pad-hw");
                    break;
                case "asym":
                    if (Chance(40))
                    {
                        all = _r.Next(0, 3);
                    }

                    if (twoD && Chance(30))
                    {
                        ph = _r.Next(0, 3);
                    }

                    left = Chance(70) ? _r.Next(0, 4) : null;
                    right = Chance(70) ? _r.Next(0, 4) : null;
                    if (twoD)
                    {
                        top = Chance(70) ? _r.Next(0, 4) : null;
                        bottom = Chance(70) ? _r.Next(0, 4) : null;
                    }

                    break;
                case "same":
                    rule = PadRule.Same;
                    break;
                case "valid":
                    rule = PadRule.Valid;
                    tags.Add("pad-valid");
                    break;
                case "causal":
                    rule = PadRule.Causal;
                    tags.Add("pad-causal");
                    break;
                case "preserve-sym" when totalW % 2 == 0 && totalH % 2 == 0:
                    if (twoD && totalH != totalW)
                    {
                        ph = totalH / 2;
                        pw = totalW / 2;
                        tags.Add("pad-hw");
                    }
                    else
                    {
                        all = totalW / 2;
                        tags.Add(all > 0 ? "pad-symmetric" : "pad-none");
                    }

                    break;
                default: // preserve-asym, or preserve-sym with an odd total
                    left = _r.Next(0, totalW + 1);
                    right = totalW - left;
                    if (twoD)
                    {
                        top = _r.Next(0, totalH + 1);
                        bottom = totalH - top;
                    }

                    break;
            }

            if (rule != PadRule.Explicit)
            {
                named.Add("Pad = Pad." + rule);
            }

            AddNamed(named, "Padding", all);
            AddNamed(named, "PaddingH", ph);
            AddNamed(named, "PaddingW", pw);
            AddNamed(named, "PadLeft", left);
            AddNamed(named, "PadRight", right);
            AddNamed(named, "PadTop", top);
            AddNamed(named, "PadBottom", bottom);
            bool paddingGiven = (all ?? ph ?? pw ?? left ?? right ?? top ?? bottom) is not null;

            // Stride (not with 'same' or a size-preserving declaration).
            int sH = 1, sW = 1;
            if (!preserveSpatial && rule != PadRule.Same && Chance(35))
            {
                (sH, sW) = PerDimension(twoD, "Stride", 2, 3, named);
                if (sH > 1 || sW > 1)
                {
                    tags.Add("stride");
                }
            }

            var mode = BorderMode.Zeros;
            int modeRoll = _r.Next(20);
            if (modeRoll >= 11)
            {
                mode = (BorderMode)(1 + (modeRoll % 3));
                named.Add("PaddingMode = PaddingMode." + mode);
            }
            else if (modeRoll == 10)
            {
                named.Add("PaddingMode = PaddingMode.Zeros");
            }

            bool bias = !Chance(20);
            if (!bias)
            {
                named.Add("Bias = false");
                tags.Add("no-bias");
            }

            if (groups > 1)
            {
                named.Add("Groups = " + Int(groups));
            }

            string? name = MaybeName("conv");
            string attribute = twoD ? "Conv2d" : "Conv1d";
            var decl = new LayerDecl
            {
                Kind = LayerKind.Conv,
                AttributeName = attribute,
                Rank = twoD ? 2 : 1,
                Name = name,
                OutChannels = outC,
                KernelH = kH,
                KernelW = kW,
                StrideH = sH,
                StrideW = sW,
                DilationH = dH,
                DilationW = dW,
                Groups = groups,
                Bias = bias,
                PadTop = twoD ? top ?? ph ?? all ?? 0 : 0,
                PadBottom = twoD ? bottom ?? ph ?? all ?? 0 : 0,
                PadLeft = left ?? pw ?? all ?? 0,
                PadRight = right ?? pw ?? all ?? 0,
                PaddingGiven = paddingGiven,
                PadRule = rule,
                BorderMode = mode,
            };
            return new GeneratedLayer(Text(attribute, positional, Shuffle(named), name), decl, tags);
        }

        /// <summary>A general value (<c>Name = v</c>) or per-dimension values (<c>NameH</c>/<c>NameW</c>, possibly over a general one).</summary>
        private (int H, int W) PerDimension(bool twoD, string property, int low, int high, List<string> named)
        {
            if (!twoD || Chance(50))
            {
                int v = _r.Next(low, high + 1);
                named.Add(property + " = " + Int(v));
                return (twoD ? v : 1, v);
            }

            int h = _r.Next(1, high + 1), w = _r.Next(1, high + 1);
            if (h == 1 && w == 1)
            {
                h = low;
            }

            switch (_r.Next(3))
            {
                case 0:
                    named.Add(property + "H = " + Int(h));
                    named.Add(property + "W = " + Int(w));
                    return (h, w);
                case 1:
                    // General value overridden in one dimension.
                    named.Add(property + " = " + Int(h));
                    named.Add(property + "W = " + Int(w));
                    return (h, w);
                default:
                    named.Add(property + "H = " + Int(h));
                    return (h, 1);
            }
        }

        private static void AddNamed(List<string> named, string property, int? value)
        {
            if (value is int v)
            {
                named.Add(property + " = " + Int(v));
            }
        }

        /// <summary>Named arguments in a random order (order must not matter).</summary>
        private List<string> Shuffle(List<string> named)
        {
            for (int i = named.Count - 1; i > 0; i--)
            {
                int j = _r.Next(i + 1);
                (named[i], named[j]) = (named[j], named[i]);
            }

            return named;
        }

        private GeneratedLayer? ConvTranspose(TensorShape s)
        {
            if (s.Rank == 0)
            {
                return null;
            }

            bool twoD = s.Rank == 2;
            var named = new List<string>();
            int cin = s.Channels;
            int groups = 1, outC;
            var divisors = ShapeMath.Divisors(cin).Where(g => g > 1).ToList();
            if (Chance(30) && divisors.Count > 0)
            {
                groups = divisors[_r.Next(divisors.Count)];
                outC = groups * _r.Next(1, 4);
                named.Add("Groups = " + Int(groups));
            }
            else
            {
                outC = _r.Next(1, 9);
            }

            var positional = new List<string> { Int(outC) };
            int kH = 1, kW;
            if (twoD && Chance(30))
            {
                kH = _r.Next(1, 5);
                kW = _r.Next(1, 5);
                positional.Add(Int(kH));
                positional.Add(Int(kW));
            }
            else
            {
                kW = _r.Next(1, 5);
                kH = twoD ? kW : 1;
                positional.Add(Int(kW));
            }

            int sH = 1, sW = 1, dH = 1, dW = 1;
            if (Chance(55))
            {
                (sH, sW) = PerDimension(twoD, "Stride", 2, 3, named);
            }

            if (Chance(25))
            {
                (dH, dW) = PerDimension(twoD, "Dilation", 2, 2, named);
            }

            int padH = 0, padW = 0;
            if (Chance(50))
            {
                if (twoD && Chance(40))
                {
                    padH = _r.Next(0, kH);
                    padW = _r.Next(0, kW);
                    named.Add("PaddingH = " + Int(padH));
                    named.Add("PaddingW = " + Int(padW));
                }
                else
                {
                    padW = _r.Next(0, Math.Max(kW, kH));
                    padH = twoD ? padW : 0;
                    named.Add("Padding = " + Int(padW));
                }
            }

            // output_padding must be smaller than the stride or the dilation of its dimension.
            int opH = 0, opW = 0;
            int limitH = Math.Max(sH, dH), limitW = Math.Max(sW, dW);
            if ((limitW > 1 || (twoD && limitH > 1)) && Chance(55))
            {
                if (twoD && Chance(40))
                {
                    opH = _r.Next(0, limitH);
                    opW = _r.Next(0, limitW);
                    named.Add("OutputPaddingH = " + Int(opH));
                    named.Add("OutputPaddingW = " + Int(opW));
                }
                else
                {
                    // One value for both dimensions: it must fit the tighter of the two limits.
                    int limit = twoD ? Math.Min(limitH, limitW) : limitW;
                    opW = limit > 1 ? _r.Next(1, limit) : 1;
                    opH = twoD ? opW : 0;
                    named.Add("OutputPadding = " + Int(opW));
                }
            }

            bool bias = !Chance(20);
            if (!bias)
            {
                named.Add("Bias = false");
            }

            string? name = MaybeName("up");
            string attribute = twoD ? "ConvTranspose2d" : "ConvTranspose1d";
            var decl = new LayerDecl
            {
                Kind = LayerKind.ConvTranspose,
                AttributeName = attribute,
                Rank = twoD ? 2 : 1,
                Name = name,
                OutChannels = outC,
                KernelH = kH,
                KernelW = kW,
                StrideH = sH,
                StrideW = sW,
                DilationH = dH,
                DilationW = dW,
                Groups = groups,
                Bias = bias,
                PadTop = padH,
                PadBottom = padH,
                PadLeft = padW,
                PadRight = padW,
                PaddingGiven = named.Any(a => a.StartsWith("Padding", StringComparison.Ordinal)),
                OutputPaddingH = opH,
                OutputPaddingW = opW,
            };
            return new GeneratedLayer(Text(attribute, positional, Shuffle(named), name), decl, Array.Empty<string>());
        }

        private GeneratedLayer? Pool(TensorShape s, bool max)
        {
            if (s.Rank == 0)
            {
                return null;
            }

            bool twoD = s.Rank == 2;
            var tags = new List<string>();
            var named = new List<string>();
            var positional = new List<string>();
            int kH = 1, kW;
            if (twoD && Chance(25))
            {
                kH = _r.Next(1, 4);
                kW = _r.Next(1, 4);
                positional.Add(Int(kH));
                positional.Add(Int(kW));
            }
            else
            {
                kW = _r.Next(twoD ? 1 : 2, 4);
                kH = twoD ? kW : 1;
                positional.Add(Int(kW));
            }

            int sH = kH, sW = kW;
            if (Chance(50))
            {
                tags.Add("pool-default-stride");
            }
            else
            {
                (sH, sW) = PerDimension(twoD, "Stride", 1, 3, named);
                if (twoD && !named.Any(a => a.StartsWith("Stride =", StringComparison.Ordinal)))
                {
                    // Only StrideH/StrideW were written: the other dimension keeps the window size.
                    if (!named.Any(a => a.StartsWith("StrideW", StringComparison.Ordinal)))
                    {
                        sW = kW;
                    }
                }
            }

            int padH = 0, padW = 0;
            if (Chance(50))
            {
                if (twoD && Chance(40))
                {
                    padH = _r.Next(0, (kH / 2) + 1);
                    padW = _r.Next(0, (kW / 2) + 1);
                    named.Add("PaddingH = " + Int(padH));
                    named.Add("PaddingW = " + Int(padW));
                }
                else
                {
                    padW = _r.Next(0, ((twoD ? Math.Min(kH, kW) : kW) / 2) + 1);
                    padH = twoD ? padW : 0;
                    named.Add("Padding = " + Int(padW));
                }
            }

            int dH = 1, dW = 1;
            if (max && Chance(30))
            {
                (dH, dW) = PerDimension(twoD, "Dilation", 2, 2, named);
            }

            bool ceil = Chance(40);
            if (ceil)
            {
                named.Add("CeilMode = true");
            }

            bool countIncludePad = true;
            if (!max && Chance(40))
            {
                countIncludePad = false;
                named.Add("CountIncludePad = false");
            }

            string attribute = (max ? "MaxPool" : "AvgPool") + (twoD ? "2d" : "1d");
            var decl = new LayerDecl
            {
                Kind = max ? LayerKind.MaxPool : LayerKind.AvgPool,
                AttributeName = attribute,
                Rank = twoD ? 2 : 1,
                KernelH = kH,
                KernelW = kW,
                StrideH = sH,
                StrideW = sW,
                DilationH = dH,
                DilationW = dW,
                PadTop = padH,
                PadBottom = padH,
                PadLeft = padW,
                PadRight = padW,
                PaddingGiven = named.Any(a => a.StartsWith("Padding", StringComparison.Ordinal)),
                CeilMode = ceil,
                CountIncludePad = countIncludePad,
            };
            return new GeneratedLayer(Text(attribute, positional, Shuffle(named), null), decl, tags);
        }

        private GeneratedLayer BatchNorm(int rank)
        {
            string attribute = rank == 2 ? "BatchNorm2d" : "BatchNorm1d";
            var named = new List<string>();
            double eps = 1e-5;
            if (Chance(25))
            {
                eps = 1e-3;
                named.Add("Eps = 0.001");
            }

            if (Chance(15))
            {
                named.Add("Momentum = 0.2");
            }

            bool affine = !Chance(25);
            if (!affine)
            {
                named.Add("Affine = false");
            }

            string? name = MaybeName("bn");
            var decl = new LayerDecl
            {
                Kind = LayerKind.BatchNorm,
                AttributeName = attribute,
                Rank = rank == 2 ? 2 : 1,
                Name = name,
                Eps = eps,
                Momentum = named.Contains("Momentum = 0.2") ? 0.2 : 0.1,
                Affine = affine,
            };
            return new GeneratedLayer(Text(attribute, new List<string>(), Shuffle(named), name), decl, Array.Empty<string>());
        }

        private GeneratedLayer Activation()
        {
            string which = Activations[_r.Next(Activations.Length)];
            return which switch
            {
                "relu" => Simple("ReLU", LayerKind.ReLU, which),
                "relu6" => Simple("ReLU6", LayerKind.ReLU6, which),
                "sigmoid" => Simple("Sigmoid", LayerKind.Sigmoid, which),
                "tanh" => Simple("Tanh", LayerKind.Tanh, which),
                "silu" => Simple("SiLU", LayerKind.SiLU, which),
                _ => Chance(50)
                    ? Simple("LeakyReLU", LayerKind.LeakyReLU, which)
                    : new GeneratedLayer("LeakyReLU(NegativeSlope = 0.2)", new LayerDecl { Kind = LayerKind.LeakyReLU, AttributeName = "LeakyReLU", NegativeSlope = 0.2 }, new[] { which }),
            };
        }

        private GeneratedLayer Linear()
        {
            int outF = _r.Next(1, 13);
            bool bias = !Chance(25);
            string? name = MaybeName("fc");
            var named = new List<string>();
            if (!bias)
            {
                named.Add("Bias = false");
            }

            var decl = new LayerDecl { Kind = LayerKind.Linear, AttributeName = "Linear", Name = name, OutChannels = outF, Bias = bias };
            return new GeneratedLayer(
                Text("Linear", new List<string> { Int(outF) }, named, name),
                decl,
                bias ? new[] { "linear" } : new[] { "linear", "linear-no-bias" });
        }

        /// <summary>Flatten (after a convolution when <paramref name="afterConv"/>), maybe BatchNorm1d, then Linear layers.</summary>
        private List<GeneratedLayer>? Head(bool afterConv)
        {
            var block = new List<GeneratedLayer>();
            if (afterConv)
            {
                var conv = Conv(Current, null, preserveSpatial: false);
                if (conv is null)
                {
                    return null;
                }

                block.Add(conv);
            }

            if (Current.Rank > 0 || afterConv)
            {
                block.Add(Simple("Flatten", LayerKind.Flatten, "flatten"));
            }

            if (afterConv || Chance(30))
            {
                block.Add(BatchNorm(1));
            }

            block.Add(Linear());
            if (Chance(60))
            {
                block.Add(Activation());
            }

            if (Chance(30))
            {
                block.Add(Simple("Dropout", LayerKind.Dropout, "dropout"));
            }

            if (Chance(40))
            {
                block.Add(Linear());
            }

            return block;
        }

        private GeneratedLayer? Upsample(TensorShape s)
        {
            if (s.Rank == 0)
            {
                return null;
            }

            int factor = Chance(75) ? 2 : 3;
            bool linear = Chance(50);
            var decl = new LayerDecl { Kind = LayerKind.Upsample, AttributeName = "Upsample", Factor = factor, LinearInterpolation = linear };
            string text = linear ? $"Upsample({Int(factor)}, Mode = UpsampleMode.Linear)" : (Chance(30) ? $"Upsample({Int(factor)}, Mode = UpsampleMode.Nearest)" : $"Upsample({Int(factor)})");
            return new GeneratedLayer(text, decl, new[] { linear ? "upsample-linear" : "upsample-nearest" });
        }

        private List<GeneratedLayer>? PixelShuffle(TensorShape s)
        {
            if (s.Rank != 2)
            {
                return null;
            }

            int r = Chance(80) ? 2 : 3;
            var block = new List<GeneratedLayer>();
            if (s.Channels % (r * r) != 0)
            {
                var conv = Conv(s, r * r * _r.Next(1, 3), preserveSpatial: true);
                if (conv is null)
                {
                    return null;
                }

                block.Add(conv);
            }

            block.Add(new GeneratedLayer(
                $"PixelShuffle({Int(r)})",
                new LayerDecl { Kind = LayerKind.PixelShuffle, AttributeName = "PixelShuffle", Rank = 2, Factor = r },
                new[] { "pixelshuffle" }));
            return block;
        }

        private List<GeneratedLayer>? PixelUnshuffle(TensorShape s)
        {
            if (s.Rank != 2)
            {
                return null;
            }

            int r = Chance(80) ? 2 : 3;
            var block = new List<GeneratedLayer>();
            if (s.Height % r != 0 || s.Width % r != 0)
            {
                block.Add(new GeneratedLayer(
                    $"Upsample({Int(r)})",
                    new LayerDecl { Kind = LayerKind.Upsample, AttributeName = "Upsample", Factor = r },
                    new[] { "upsample-nearest" }));
            }

            block.Add(new GeneratedLayer(
                $"PixelUnshuffle({Int(r)})",
                new LayerDecl { Kind = LayerKind.PixelUnshuffle, AttributeName = "PixelUnshuffle", Rank = 2, Factor = r },
                new[] { "pixelunshuffle" }));
            return block;
        }

        /// <summary>Save, a short body, then Add, Add with projection, or Concat.</summary>
        private List<GeneratedLayer>? Residual(TensorShape s)
        {
            string tensor = "s" + Int(++_saves);
            string merge = s.Rank == 0 ? Pick("add", "concat") : Pick("add", "add", "projection", "concat");
            var block = new List<GeneratedLayer>
            {
                new($"Save(\"{tensor}\")", new LayerDecl { Kind = LayerKind.Save, AttributeName = "Save", TensorName = tensor }, new[] { "save" }),
            };
            int bodyLength = _r.Next(0, 4);
            var shape = s;
            for (int i = 0; i < bodyLength; i++)
            {
                GeneratedLayer? layer = _r.Next(5) switch
                {
                    0 or 1 when s.Rank == 0 => merge == "add" ? new GeneratedLayer(
                        $"Linear({Int(s.Channels)})",
                        new LayerDecl { Kind = LayerKind.Linear, AttributeName = "Linear", OutChannels = s.Channels },
                        new[] { "linear" }) : Linear(),
                    0 or 1 => merge switch
                    {
                        "add" => Conv(shape, s.Channels, preserveSpatial: true),
                        "concat" => Conv(shape, null, preserveSpatial: true),
                        _ => _r.Next(3) == 0 ? Pool(shape, max: _r.Next(2) == 0) : Conv(shape, null, preserveSpatial: false),
                    },
                    2 => BatchNorm(s.Rank),
                    3 => Activation(),
                    _ => Chance(50) ? Simple("Identity", LayerKind.Identity, "identity") : Simple("Dropout", LayerKind.Dropout, "dropout"),
                };
                if (layer is null)
                {
                    return null;
                }

                block.Add(layer);
                if (layer.Decl.Kind is LayerKind.Conv or LayerKind.Linear)
                {
                    shape = shape with { Channels = layer.Decl.OutChannels };
                }
            }

            block.Add(merge switch
            {
                "add" => new GeneratedLayer($"Add(\"{tensor}\")", new LayerDecl { Kind = LayerKind.Add, AttributeName = "Add", TensorName = tensor }, Array.Empty<string>()),
                "projection" => ProjectionAdd(tensor),
                _ => new GeneratedLayer($"Concat(\"{tensor}\")", new LayerDecl { Kind = LayerKind.Concat, AttributeName = "Concat", TensorName = tensor }, Array.Empty<string>()),
            });
            if (Chance(40))
            {
                block.Add(Activation());
            }

            return block;
        }

        private GeneratedLayer ProjectionAdd(string tensor)
        {
            string? name = MaybeName("proj");
            var decl = new LayerDecl { Kind = LayerKind.Add, AttributeName = "Add", TensorName = tensor, Projection = true, Name = name };
            var named = new List<string> { "Projection = true" };
            return new GeneratedLayer(Text("Add", new List<string> { $"\"{tensor}\"" }, named, name), decl, Array.Empty<string>());
        }
    }
}
