using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace ConvGen.Shapes;

/// <summary>
/// Walks a declaration layer by layer: checks every rule that makes a network impossible to compile,
/// resolves padding, and computes shapes, parameters, MACs and the receptive-field table. The generator
/// compiles a network only when <see cref="ShapeInferenceResult.Errors"/> is empty; the analyzers report
/// the same errors, so the two never disagree.
/// </summary>
internal static class ShapeInference
{
    /// <summary>
    /// The most elements one tensor (activation or weight) may have: 2^28 floats (1 GiB). ConvGen is for
    /// small networks; the bound keeps every size, offset and unroll count inside 32-bit arithmetic.
    /// </summary>
    public const long MaxElements = 1L << 28;

    /// <summary>The largest kernel span, stride, padding or transposed-convolution extent along one dimension: 2^24.</summary>
    public const long MaxExtent = 1L << 24;

    public static ShapeInferenceResult Infer(NetworkDecl network, IReadOnlyList<LayerDecl> layers)
    {
        var errors = new List<ShapeFinding>();
        var plans = new List<LayerPlan>();
        if (network.Channels < 1 || network.Width < 1 || (network.Rank == 2 && network.Height < 1))
        {
            errors.Add(new ShapeFinding("CG0012", FindingSeverity.Error, -1, null, Invariant(
                $"Network input {network.InputShape} must have positive channels and sizes: a sample with a zero or negative extent holds nothing to compute; give every size of [Network(...)] a value of 1 or more")));
            return new ShapeInferenceResult(plans, errors);
        }

        if ((long)network.Channels * network.Height * network.Width > MaxElements)
        {
            errors.Add(new ShapeFinding("CG0012", FindingSeverity.Error, -1, null, Invariant(
                $"Network input {network.InputShape} has {(long)network.Channels * network.Height * network.Width} elements, more than ConvGen supports per tensor ({MaxElements}), so its workspace could not be indexed; use a smaller input (fewer channels or a smaller size)")));
            return new ShapeInferenceResult(plans, errors);
        }

        if (layers.Count == 0)
        {
            errors.Add(new ShapeFinding("CG0012", FindingSeverity.Error, -1, null, "Network declares no layers; add layer attributes such as [Conv2d(8, 3)]"));
        }

        var saved = new Dictionary<string, (TensorShape Shape, ReceptiveField H, ReceptiveField W)>(System.StringComparer.Ordinal);
        var names = new HashSet<string>(System.StringComparer.Ordinal);
        var shape = network.InputShape;
        var fieldH = ReceptiveField.Input;
        var fieldW = ReceptiveField.Input;
        var prefixes = new Dictionary<string, string>(System.StringComparer.Ordinal); // state_dict prefix -> the layer that owns it
        for (int i = 0; i < layers.Count; i++)
        {
            var step = new LayerStep(layers[i], i, shape, network.Rank, errors);
            bool renamed = layers[i].Name is { } name && !names.Add(name);
            if (renamed)
            {
                step.Fail("CG0012", "Name", $"the name '{layers[i].Name}' is used by an earlier layer; parameter names must be unique, or two layers would share state_dict keys; rename one of them");
            }

            var plan = step.Run(saved, fieldH, fieldW);
            if (plan is null)
            {
                // Shapes after a broken layer are unknown; later layers would only report noise.
                return new ShapeInferenceResult(plans, errors);
            }

            // Every state_dict key must be unique, also where a name equals another layer's default prefix ("0") or a
            // projection's ("2.0", "2.1").
            foreach (string prefix in StateDictPrefixes(plan))
            {
                if (prefixes.TryGetValue(prefix, out string? owner))
                {
                    if (!renamed)
                    {
                        step.Fail("CG0012", layers[i].Name is null ? null : "Name", $"its state_dict keys would start with '{prefix}.', as those of {owner} do; every key must be unique, so rename one of the two layers");
                    }
                }
                else
                {
                    prefixes[prefix] = plan.Label;
                }
            }

            plans.Add(plan);
            shape = plan.Output;
            fieldH = plan.FieldH;
            fieldW = plan.FieldW;
            if (layers[i].Kind == LayerKind.Save && layers[i].TensorName is { } skip)
            {
                saved[skip] = (shape, fieldH, fieldW);
            }
        }

        errors.AddRange(DesignRules.Check(network, plans));
        return new ShapeInferenceResult(plans, errors);
    }

    /// <summary>The state_dict prefixes a layer's parameters and buffers take (none for a layer without any).</summary>
    private static IEnumerable<string> StateDictPrefixes(LayerPlan plan)
    {
        switch (plan.Decl.Kind)
        {
            case LayerKind.Conv or LayerKind.ConvTranspose or LayerKind.Linear or LayerKind.BatchNorm:
                yield return plan.ParameterPrefix;
                break;
            case LayerKind.Add when plan.Decl.Projection:
                yield return plan.ParameterPrefix + ".0";
                yield return plan.ParameterPrefix + ".1";
                break;
        }
    }

    internal static string Invariant(System.FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>The checks and arithmetic of one layer.</summary>
    private sealed class LayerStep
    {
        private readonly LayerDecl _d;
        private readonly int _index;
        private readonly TensorShape _in;
        private readonly int _networkRank;
        private readonly List<ShapeFinding> _errors;
        private readonly int _errorsBefore;

        public LayerStep(LayerDecl decl, int index, TensorShape input, int networkRank, List<ShapeFinding> errors)
        {
            _d = decl;
            _index = index;
            _in = input;
            _networkRank = networkRank;
            _errors = errors;
            _errorsBefore = errors.Count;
        }

        private bool Failed => _errors.Skip(_errorsBefore).Any(e => e.Severity == FindingSeverity.Error);

        private string Label => LayerLabels.Of(_d, _index);

        public void Fail(string id, string? argument, System.FormattableString message, string? fixData = null)
            => _errors.Add(new ShapeFinding(id, FindingSeverity.Error, _index, argument, Label + ": " + message.ToString(CultureInfo.InvariantCulture)) { FixData = fixData });

        public LayerPlan? Run(
            Dictionary<string, (TensorShape Shape, ReceptiveField H, ReceptiveField W)> saved,
            ReceptiveField fieldH,
            ReceptiveField fieldW)
        {
            var plan = new LayerPlan
            {
                Index = _index,
                ParameterPrefix = _d.Name ?? _index.ToString(CultureInfo.InvariantCulture),
                Decl = _d,
                Input = _in,
                FieldH = fieldH,
                FieldW = fieldW,
            };
            CheckName();
            if (_d.Unknown)
            {
                Fail("CG0012", null, $"is not a ConvGen layer; only the layer attributes of the ConvGen namespace can be compiled, so the network cannot be built; remove it, or use the ConvGen attribute of that name");
                return null;
            }

            if (_d.UndefinedEnum is { } undefined)
            {
                Fail("CG0012", undefined, $"{undefined} has a value its enum does not define; use one of the named values");
            }

            CheckRank();
            if (Failed)
            {
                return null;
            }

            plan = _d.Kind switch
            {
                LayerKind.Conv => Conv(plan),
                LayerKind.ConvTranspose => ConvTranspose(plan),
                LayerKind.MaxPool or LayerKind.AvgPool => Pool(plan),
                LayerKind.GlobalAvgPool => plan with
                {
                    Output = new TensorShape(_in.Channels, 1, 1, _in.Rank),
                    FieldH = fieldH.Window(_in.Height, _in.Height, 0, 1),
                    FieldW = fieldW.Window(_in.Width, _in.Width, 0, 1),
                },
                LayerKind.BatchNorm => BatchNorm(plan),
                LayerKind.Flatten => plan with { Output = TensorShape.Flat(_in.Size) },
                LayerKind.Linear => Linear(plan),
                LayerKind.Upsample => Upsample(plan),
                LayerKind.PixelShuffle => PixelShuffle(plan),
                LayerKind.PixelUnshuffle => PixelUnshuffle(plan),
                LayerKind.Save => Save(plan, saved),
                LayerKind.Add or LayerKind.Concat => Merge(plan, saved),
                LayerKind.LeakyReLU => LeakyReLU(plan),
                LayerKind.ReLU or LayerKind.ReLU6 or LayerKind.Sigmoid or LayerKind.Tanh
                    or LayerKind.SiLU or LayerKind.Identity => plan with { Output = _in },
                LayerKind.Dropout => Dropout(plan),
                _ => plan with { Output = _in },
            };
            CheckSize(plan);
            return Failed ? null : plan;
        }

        /// <summary>
        /// A name is a state_dict prefix: dotted paths ("layer1.0.conv1") map a layer onto a nested PyTorch module,
        /// but no segment may be empty, and control or line-break characters would break generated source.
        /// </summary>
        private void CheckName()
        {
            if (_d.Name is not { } name)
            {
                return;
            }

            bool emptySegment = name.Split('.').Any(segment => segment.Trim().Length == 0);
            if (emptySegment || Unprintable(name))
            {
                Fail("CG0012", "Name", $"the layer name must be a state_dict prefix: dot-separated, non-empty segments (\"conv1\", \"layer1.0.conv1\") without control or line-break characters or unpaired surrogates");
            }
        }

        /// <summary>
        /// A name the generated code could not carry in its comments, XML docs and string literals: a control or
        /// line-break character (CR, NEL, U+2028, U+2029, NUL...) or half of a surrogate pair.
        /// </summary>
        private static bool Unprintable(string name)
        {
            for (int i = 0; i < name.Length; i++)
            {
                char c = name[i];
                if (char.IsControl(c) || char.GetUnicodeCategory(c) is UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator)
                {
                    return true;
                }

                if (char.IsHighSurrogate(c) && i + 1 < name.Length && char.IsLowSurrogate(name[i + 1]))
                {
                    i++;
                }
                else if (char.IsSurrogate(c))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>A skip tensor's name must be printable like a layer name (it appears in the generated comments).</summary>
        private bool CheckTensorName()
        {
            if (_d.TensorName is { } name && Unprintable(name))
            {
                Fail("CG0008", "TensorName", $"the tensor name must be printable: no control or line-break characters or unpaired surrogates, since it is written into the generated code; remove them");
                return false;
            }

            return true;
        }

        /// <summary>Output and weight tensors must fit in <see cref="MaxElements"/>.</summary>
        private void CheckSize(LayerPlan plan)
        {
            if (Failed)
            {
                return;
            }

            var o = plan.Output;
            long outputSize = (long)o.Channels * o.Height * o.Width;
            if (outputSize > MaxElements)
            {
                Fail("CG0012", null, $"output {o} has {outputSize} elements, more than ConvGen supports per tensor ({MaxElements}), so its buffer could not be indexed; use fewer channels or a smaller input before it");
            }
            else if (plan.Parameters > MaxElements)
            {
                Fail("CG0012", null, $"has {plan.Parameters} parameters, more than ConvGen supports per tensor ({MaxElements}), so its weights could not be indexed; use fewer channels or a smaller kernel");
            }
        }

        private void CheckRank()
        {
            bool spatialLayer = _d.Kind is LayerKind.Conv or LayerKind.ConvTranspose or LayerKind.MaxPool or LayerKind.AvgPool
                or LayerKind.GlobalAvgPool or LayerKind.Upsample or LayerKind.PixelShuffle or LayerKind.PixelUnshuffle;
            if (spatialLayer && _in.Rank == 0)
            {
                Fail("CG0012", null, $"needs spatial dimensions, but its input {_in} is flat (after Flatten or Linear); move it before the Flatten");
                return;
            }

            if (_d.Kind == LayerKind.Linear && _in.Rank != 0)
            {
                Fail("CG0012", null, $"needs a flat input, but its input is {_in}; insert [Flatten] before it");
                return;
            }

            if (_d.Rank == 2 && _networkRank == 1)
            {
                Fail("CG0012", null, $"is a 2-D layer in a 1-D network (input {_in}); use its 1d form");
            }
            else if (_d.Rank == 1 && _networkRank == 2 && !(_d.Kind == LayerKind.BatchNorm && _in.Rank == 0))
            {
                Fail("CG0012", null, $"is a 1-D layer in a 2-D network (input {_in}); use its 2d form");
            }
            else if (_d.Kind == LayerKind.BatchNorm && _d.Rank == 2 && _in.Rank != 2)
            {
                Fail("CG0012", null, $"needs a [C, H, W] input, but its input is {_in}; use BatchNorm1d");
            }
        }

        private void Positive(int value, string argument, string what)
        {
            if (value < 1)
            {
                Fail("CG0012", argument, $"{what} must be at least 1, but is {value}; use 1 or more");
            }
        }

        /// <summary>
        /// The two axes of a window parameter: when both are the same invalid value (most often one argument such as
        /// <c>Stride = 0</c> or a kernel size of 0 that sets both), one finding on the width's argument, not two.
        /// </summary>
        private void PositivePair(int h, int w, string hArgument, string wArgument, string hWhat, string wWhat, string both)
        {
            if (h == w && h < 1)
            {
                Positive(w, wArgument, both);
                return;
            }

            Positive(w, wArgument, wWhat);
            Positive(h, hArgument, hWhat);
        }

        private void NonNegative(int value, string argument, string what)
        {
            if (value < 0)
            {
                Fail("CG0012", argument, $"{what} must not be negative, but is {value}; use 0 or more");
            }
        }

        private void CheckWindow(bool twoD)
        {
            if (twoD)
            {
                PositivePair(_d.KernelH, _d.KernelW, "KernelHeight", "KernelWidth", "kernel height", "kernel width", "kernel size");
                PositivePair(_d.StrideH, _d.StrideW, "StrideH", "StrideW", "vertical stride", "horizontal stride", "stride");
                PositivePair(_d.DilationH, _d.DilationW, "DilationH", "DilationW", "vertical dilation", "horizontal dilation", "dilation");
            }
            else
            {
                Positive(_d.KernelW, "KernelWidth", "kernel size");
                Positive(_d.StrideW, "Stride", "stride");
                Positive(_d.DilationW, "Dilation", "dilation");
            }

            NonNegative(_d.PadLeft, "PadLeft", "padding");
            NonNegative(_d.PadRight, "PadRight", "padding");
            if (twoD)
            {
                NonNegative(_d.PadTop, "PadTop", "padding");
                NonNegative(_d.PadBottom, "PadBottom", "padding");
            }

            // Bounds that keep every extent, offset and unrolled tap index inside 32-bit arithmetic.
            Extent((long)_d.DilationW * (_d.KernelW - 1) + 1, twoD ? "DilationW" : "Dilation", "effective kernel width d(k-1)+1");
            Extent(_d.StrideW, twoD ? "StrideW" : "Stride", "stride");
            Extent((long)_d.PadLeft + _d.PadRight, "PadLeft", "padding");
            if (twoD)
            {
                Extent((long)_d.DilationH * (_d.KernelH - 1) + 1, "DilationH", "effective kernel height d(k-1)+1");
                Extent(_d.StrideH, "StrideH", "vertical stride");
                Extent((long)_d.PadTop + _d.PadBottom, "PadTop", "padding");
            }
        }

        /// <summary>One dimension's extent (kernel span, stride, padding) must stay below <see cref="MaxExtent"/>.</summary>
        private void Extent(long value, string argument, string what)
        {
            if (value > MaxExtent && !Failed)
            {
                Fail("CG0012", argument, $"{what} is {value}, more than ConvGen supports along one dimension ({MaxExtent}); use a smaller value");
            }
        }

        /// <summary>A padded copy of the input (non-zero padding modes; zero padding before a vector kernel) must fit too.</summary>
        private void PaddedCopy(int top, int bottom, int left, int right)
        {
            long size = (long)_in.Channels * (_in.Height + (long)top + bottom) * (_in.Width + (long)left + right);
            if (size > MaxElements && !Failed)
            {
                Fail("CG0012", null, $"the padded input has {size} elements, more than ConvGen supports per tensor ({MaxElements}), so its copy could not be indexed; use less padding or a smaller input");
            }
        }

        private void CheckGroups(int inChannels, int outChannels)
        {
            if (_d.Groups < 1)
            {
                Fail("CG0001", "Groups", $"groups must be at least 1, but is {_d.Groups}, which splits the channels into no groups; use Groups = 1");
                return;
            }

            if (inChannels % _d.Groups != 0)
            {
                Fail("CG0001", "Groups", $"in_channels {inChannels} is not divisible by groups {_d.Groups} ({inChannels} / {_d.Groups} = {(double)inChannels / _d.Groups:0.###}), so the channels cannot be split into equal groups; use Groups = {NearestGroup(inChannels, outChannels)} (valid: {ValidGroups(inChannels, outChannels)})", NearestGroups(inChannels, outChannels));
            }
            else if (outChannels % _d.Groups != 0)
            {
                Fail("CG0001", "Groups", $"out_channels {outChannels} is not divisible by groups {_d.Groups} ({outChannels} / {_d.Groups} = {(double)outChannels / _d.Groups:0.###}), so the channels cannot be split into equal groups; use Groups = {NearestGroup(inChannels, outChannels)} (valid: {ValidGroups(inChannels, outChannels)})", NearestGroups(inChannels, outChannels));
            }
        }

        /// <summary>The valid group count nearest to the declared one (below first on a tie): what the message suggests.</summary>
        private int NearestGroup(int inChannels, int outChannels)
            => ShapeMath.Divisors(inChannels).FindAll(g => outChannels % g == 0).OrderBy(g => System.Math.Abs(g - _d.Groups)).ThenBy(g => g).First();

        /// <summary>"groups=4,2": the valid group counts nearest to the declared one (below first on a tie).</summary>
        private string NearestGroups(int inChannels, int outChannels)
        {
            var valid = ShapeMath.Divisors(inChannels).FindAll(g => outChannels % g == 0);
            int wanted = _d.Groups;
            var nearest = valid.OrderBy(g => System.Math.Abs(g - wanted)).ThenBy(g => g).Take(2);
            return "groups=" + string.Join(",", nearest.Select(g => g.ToString(CultureInfo.InvariantCulture)));
        }

        private static string ValidGroups(int inChannels, int outChannels)
        {
            var valid = ShapeMath.Divisors(inChannels).FindAll(g => outChannels % g == 0);
            return string.Join(", ", valid.ConvertAll(g => g.ToString(CultureInfo.InvariantCulture)));
        }

        private LayerPlan Conv(LayerPlan plan)
        {
            bool twoD = _in.Rank == 2;
            Positive(_d.OutChannels, "OutChannels", "out_channels");
            CheckWindow(twoD);
            if (Failed)
            {
                return plan;
            }

            CheckGroups(_in.Channels, _d.OutChannels);
            int top = _d.PadTop, bottom = _d.PadBottom, left = _d.PadLeft, right = _d.PadRight;
            switch (_d.PadRule)
            {
                case PadRule.Same:
                    if (_d.StrideW > 1 || (twoD && _d.StrideH > 1))
                    {
                        int sameH = _d.DilationH * (_d.KernelH - 1) / 2, sameW = _d.DilationW * (_d.KernelW - 1) / 2;
                        string explicitPadding = !twoD || sameH == sameW ? Invariant($"Padding = {sameW}") : Invariant($"PaddingH = {sameH}, PaddingW = {sameW}");
                        Fail("CG0003", "Pad", $"padding 'same' needs stride 1, but the stride is {(twoD ? Invariant($"({_d.StrideH}, {_d.StrideW})") : Invariant($"{_d.StrideW}"))}: PyTorch rejects it, because a strided output cannot keep the input size; use {explicitPadding} (d(k-1)/2 = {_d.DilationW}*({_d.KernelW}-1)/2 = {sameW}{(twoD && sameH != sameW ? Invariant($" along the width, {sameH} along the height") : "")})", Invariant($"padding={_d.DilationH * (_d.KernelH - 1) / 2},{_d.DilationW * (_d.KernelW - 1) / 2}"));
                    }

                    if (_d.PaddingGiven)
                    {
                        Fail("CG0012", "Pad", $"padding 'same' is combined with explicit padding numbers; use one or the other");
                    }

                    (left, right) = ShapeMath.SamePadding(_d.KernelW, _d.DilationW);
                    (top, bottom) = twoD ? ShapeMath.SamePadding(_d.KernelH, _d.DilationH) : (0, 0);
                    break;
                case PadRule.Valid:
                    if (_d.PaddingGiven)
                    {
                        Fail("CG0012", "Pad", $"padding 'valid' is combined with explicit padding numbers; use one or the other");
                    }

                    top = bottom = left = right = 0;
                    break;
                case PadRule.Causal:
                    if (twoD)
                    {
                        Fail("CG0004", "Pad", $"causal padding applies to 1-D convolutions only; a 2-D convolution has no time axis");
                    }
                    else if (_d.PaddingGiven)
                    {
                        Fail("CG0004", "Pad", $"a causal convolution pads exactly d(k-1) = {_d.DilationW}*({_d.KernelW}-1) = {_d.DilationW * (_d.KernelW - 1)} on the left and nothing on the right; remove the explicit padding", "fix=causal");
                    }

                    left = _d.DilationW * (_d.KernelW - 1);
                    right = 0;
                    break;
            }

            if (Failed)
            {
                return plan;
            }

            CheckBorder(top, bottom, left, right, twoD);
            PaddedCopy(top, bottom, left, right);
            if (Failed)
            {
                return plan;
            }

            int outH = twoD ? ShapeMath.ConvOutput(_in.Height, _d.KernelH, _d.StrideH, top, bottom, _d.DilationH) : 1;
            int outW = ShapeMath.ConvOutput(_in.Width, _d.KernelW, _d.StrideW, left, right, _d.DilationW);
            CheckOutput(outH, outW, twoD, top, bottom, left, right);
            int kh = twoD ? _d.KernelH : 1;
            long weights = (long)_d.OutChannels * (_in.Channels / _d.Groups) * kh * _d.KernelW;
            return plan with
            {
                Output = new TensorShape(_d.OutChannels, outH, outW, _in.Rank),
                PadTop = top,
                PadBottom = bottom,
                PadLeft = left,
                PadRight = right,
                Parameters = weights + (_d.Bias ? _d.OutChannels : 0),
                Macs = weights * outH * outW,
                FieldH = twoD ? plan.FieldH.Window(_d.KernelH, _d.StrideH, top, _d.DilationH) : plan.FieldH,
                FieldW = plan.FieldW.Window(_d.KernelW, _d.StrideW, left, _d.DilationW),
            };
        }

        private void CheckBorder(int top, int bottom, int left, int right, bool twoD)
        {
            if (_d.BorderMode == BorderMode.Reflect)
            {
                if (System.Math.Max(left, right) >= _in.Width || (twoD && System.Math.Max(top, bottom) >= _in.Height))
                {
                    Fail("CG0010", "PaddingMode", $"reflect padding must be smaller than the input: padding (top {top}, bottom {bottom}, left {left}, right {right}) on input {_in} needs max(p) < n, but {System.Math.Max(System.Math.Max(left, right), twoD ? System.Math.Max(top, bottom) : 0)} >= {(twoD ? System.Math.Min(_in.Height, _in.Width) : _in.Width)}, so there is no pixel to mirror and PyTorch rejects it; use PaddingMode.Replicate or padding of at most {(twoD ? System.Math.Min(_in.Height, _in.Width) : _in.Width) - 1}");
                }
            }
            else if (_d.BorderMode == BorderMode.Circular)
            {
                if (System.Math.Max(left, right) > _in.Width || (twoD && System.Math.Max(top, bottom) > _in.Height))
                {
                    Fail("CG0010", "PaddingMode", $"circular padding must not exceed the input: padding (top {top}, bottom {bottom}, left {left}, right {right}) on input {_in} needs max(p) <= n, but {System.Math.Max(System.Math.Max(left, right), twoD ? System.Math.Max(top, bottom) : 0)} > {(twoD ? System.Math.Min(_in.Height, _in.Width) : _in.Width)}, so the wrap-around would reach past the other edge and PyTorch rejects it; use PaddingMode.Replicate or padding of at most {(twoD ? System.Math.Min(_in.Height, _in.Width) : _in.Width)}");
                }
            }
        }

        /// <summary>CG0007 for a convolution: every empty axis with its numbers, and the padding that makes the kernel fit.</summary>
        private void CheckOutput(int outH, int outW, bool twoD, int top, int bottom, int left, int right)
        {
            var axes = new List<(string Axis, string Evidence)>();
            int padding = 0;
            void Axis(string axis, int n, int k, int dilation, int stride, int before, int after, int output)
            {
                if (output >= 1)
                {
                    return;
                }

                int kEff = ShapeMath.EffectiveKernel(k, dilation);
                axes.Add((axis, Invariant($"floor(({n} + {before} + {after} - {kEff}) / {stride}) + 1 = {output} < 1, with an effective kernel of {kEff}")));
                padding = System.Math.Max(padding, (kEff - n + 1) / 2);
            }

            if (twoD)
            {
                Axis("height", _in.Height, _d.KernelH, _d.DilationH, _d.StrideH, top, bottom, outH);
            }

            Axis(twoD ? "width" : "length", _in.Width, _d.KernelW, _d.DilationW, _d.StrideW, left, right, outW);
            if (axes.Count > 0)
            {
                string fix = _d.PadRule == PadRule.Valid ? Invariant($"replace Pad = Pad.Valid with Padding = {padding}") : Invariant($"use Padding = {padding}");
                Fail("CG0007", null, $"the output is empty {DesignRules.AlongAxes(axes)}: the kernel is larger than the padded input, so no window fits; {fix} or a smaller kernel");
            }
        }

        private LayerPlan ConvTranspose(LayerPlan plan)
        {
            bool twoD = _in.Rank == 2;
            Positive(_d.OutChannels, "OutChannels", "out_channels");
            CheckWindow(twoD);
            NonNegative(_d.OutputPaddingW, twoD ? "OutputPaddingW" : "OutputPadding", "output_padding");
            NonNegative(_d.OutputPaddingH, "OutputPaddingH", "output_padding");
            if (_d.BorderMode != BorderMode.Zeros)
            {
                Fail("CG0010", "PaddingMode", $"transposed convolutions support only zeros padding (PyTorch rejects padding_mode '{_d.BorderMode.ToString().ToLowerInvariant()}', so the layer cannot be compiled): a transposed convolution crops its padding rather than reading it; remove PaddingMode");
            }

            if (Failed)
            {
                return plan;
            }

            CheckGroups(_in.Channels, _d.OutChannels);
            CheckOutputPadding(twoD);

            Extent(((long)_in.Width - 1) * _d.StrideW, twoD ? "StrideW" : "Stride", "the strided input span (n - 1)*s");
            Extent(twoD ? ((long)_in.Height - 1) * _d.StrideH : 0, "StrideH", "the strided input span (n - 1)*s");
            Extent(_d.OutputPaddingW, twoD ? "OutputPaddingW" : "OutputPadding", "output_padding");
            Extent(_d.OutputPaddingH, "OutputPaddingH", "output_padding");
            if (Failed)
            {
                return plan;
            }

            int outH = twoD ? ShapeMath.ConvTransposeOutput(_in.Height, _d.KernelH, _d.StrideH, _d.PadTop, _d.DilationH, _d.OutputPaddingH) : 1;
            int outW = ShapeMath.ConvTransposeOutput(_in.Width, _d.KernelW, _d.StrideW, _d.PadLeft, _d.DilationW, _d.OutputPaddingW);
            if (outW < 1 || outH < 1)
            {
                var axes = new List<(string Axis, string Evidence)>();
                var fixes = new List<string>();
                void Axis(string axis, string argument, int n, int stride, int pad, int k, int dilation, int outputPadding, int output)
                {
                    if (output < 1)
                    {
                        axes.Add((axis, Invariant($"(n - 1)*s - 2p + d(k-1) + output_padding + 1 = ({n} - 1)*{stride} - 2*{pad} + {dilation}*({k} - 1) + {outputPadding} + 1 = {output} < 1")));
                        fixes.Add(Invariant($"{argument} = {(((long)n - 1) * stride + ((long)dilation * (k - 1)) + outputPadding) / 2}"));
                    }
                }

                if (twoD)
                {
                    Axis("height", "PaddingH", _in.Height, _d.StrideH, _d.PadTop, _d.KernelH, _d.DilationH, _d.OutputPaddingH, outH);
                }

                Axis(twoD ? "width" : "length", twoD ? "PaddingW" : "Padding", _in.Width, _d.StrideW, _d.PadLeft, _d.KernelW, _d.DilationW, _d.OutputPaddingW, outW);
                Fail("CG0007", null, $"the output is empty {DesignRules.AlongAxes(axes)}: the padding crops more than the layer produces; reduce it to {string.Join(", ", fixes)}");
            }

            int kh = twoD ? _d.KernelH : 1;
            long weights = (long)_in.Channels * (_d.OutChannels / _d.Groups) * kh * _d.KernelW;
            return plan with
            {
                Output = new TensorShape(_d.OutChannels, outH, outW, _in.Rank),
                PadTop = _d.PadTop,
                PadBottom = _d.PadTop,
                PadLeft = _d.PadLeft,
                PadRight = _d.PadLeft,
                Parameters = weights + (_d.Bias ? _d.OutChannels : 0),
                Macs = weights * _in.Height * _in.Width,
                FieldH = twoD ? plan.FieldH.Transposed(_d.KernelH, _d.StrideH, _d.PadTop, _d.DilationH) : plan.FieldH,
                FieldW = plan.FieldW.Transposed(_d.KernelW, _d.StrideW, _d.PadLeft, _d.DilationW),
            };
        }

        /// <summary>CG0006: output_padding must be smaller than the stride or the dilation; one finding naming every axis.</summary>
        private void CheckOutputPadding(bool twoD)
        {
            var axes = new List<(string Axis, string Evidence)>();
            var fixes = new List<(string Argument, int Value)>();
            void Axis(string axis, string argument, int outputPadding, int stride, int dilation)
            {
                int largest = System.Math.Max(stride, dilation) - 1;
                if (outputPadding > largest)
                {
                    axes.Add((axis, Invariant($"output_padding {outputPadding}, but max(s, d) - 1 = max({stride}, {dilation}) - 1 = {largest} is the largest allowed")));
                    fixes.Add((argument, largest));
                }
            }

            if (twoD)
            {
                Axis("height", "OutputPaddingH", _d.OutputPaddingH, _d.StrideH, _d.DilationH);
            }

            Axis(twoD ? "width" : "length", twoD ? "OutputPaddingW" : "OutputPadding", _d.OutputPaddingW, _d.StrideW, _d.DilationW);
            if (axes.Count == 0)
            {
                return;
            }

            // Both axes with one value: the one argument that sets both.
            bool one = fixes.Count == 1 || fixes[0].Value == fixes[1].Value;
            string argument = fixes.Count == 1 ? fixes[0].Argument : "OutputPadding";
            string fix = one ? Invariant($"{argument} = {fixes[0].Value}") : string.Join(", ", fixes.Select(f => Invariant($"{f.Argument} = {f.Value}")));
            Fail("CG0006", argument, $"output_padding is out of range {DesignRules.AlongAxes(axes)}: PyTorch rejects output_padding that is not smaller than the stride or the dilation, so the layer cannot be compiled; use {fix}, the largest output size a stride-s convolution maps back to this input");
        }

        private LayerPlan Pool(LayerPlan plan)
        {
            bool twoD = _in.Rank == 2;
            CheckWindow(twoD);
            if (Failed)
            {
                return plan;
            }

            if (_d.PadLeft * 2 > _d.KernelW || (twoD && _d.PadTop * 2 > _d.KernelH))
            {
                Fail("CG0012", "Padding", $"padding ({(twoD ? Invariant($"{_d.PadTop}, {_d.PadLeft}") : Invariant($"{_d.PadLeft}"))}) must be at most half the window ({(twoD ? Invariant($"{_d.KernelH}, {_d.KernelW}") : Invariant($"{_d.KernelW}"))}), as PyTorch requires: a window centred that far out would read only padding; use Padding of at most half the kernel");
                return plan;
            }

            int outH = twoD ? ShapeMath.PoolOutput(_in.Height, _d.KernelH, _d.StrideH, _d.PadTop, _d.DilationH, _d.CeilMode) : 1;
            int outW = ShapeMath.PoolOutput(_in.Width, _d.KernelW, _d.StrideW, _d.PadLeft, _d.DilationW, _d.CeilMode);
            if (outW < 1 || outH < 1)
            {
                var axes = new List<(string Axis, string Evidence)>();
                var sizes = new List<int>();
                void Axis(string axis, int n, int k, int stride, int pad, int dilation, int output)
                {
                    if (output < 1)
                    {
                        axes.Add((axis, Invariant($"{(_d.CeilMode ? "ceil" : "floor")}(({n} + 2*{pad} - {ShapeMath.EffectiveKernel(k, dilation)}) / {stride}) + 1 = {output} < 1")));
                        sizes.Add(n + (2 * pad));
                    }
                }

                if (twoD)
                {
                    Axis("height", _in.Height, _d.KernelH, _d.StrideH, _d.PadTop, _d.DilationH, outH);
                }

                Axis(twoD ? "width" : "length", _in.Width, _d.KernelW, _d.StrideW, _d.PadLeft, _d.DilationW, outW);
                Fail("CG0007", null, $"the output is empty {DesignRules.AlongAxes(axes)}: the window is larger than the padded input, so no window fits; use a window (effective size) of at most {string.Join("x", sizes)}");
            }

            return plan with
            {
                Output = new TensorShape(_in.Channels, outH, outW, _in.Rank),
                PadTop = _d.PadTop,
                PadBottom = _d.PadTop,
                PadLeft = _d.PadLeft,
                PadRight = _d.PadLeft,
                FieldH = twoD ? plan.FieldH.Window(_d.KernelH, _d.StrideH, _d.PadTop, _d.DilationH) : plan.FieldH,
                FieldW = plan.FieldW.Window(_d.KernelW, _d.StrideW, _d.PadLeft, _d.DilationW),
            };
        }

        private LayerPlan BatchNorm(LayerPlan plan)
        {
            Finite(_d.Eps, "Eps");
            Finite(_d.Momentum, "Momentum");
            if (!(_d.Eps > 0))
            {
                Fail("CG0012", "Eps", $"eps must be positive, but is {_d.Eps}: it keeps 1/sqrt(var + eps) finite; use a small positive value such as PyTorch's default 1e-5");
            }

            if (!(_d.Momentum >= 0 && _d.Momentum <= 1))
            {
                Fail("CG0012", "Momentum", $"momentum must be in [0, 1], but is {_d.Momentum}: it weighs the new batch statistics in the running ones; use a value in that range, such as PyTorch's default 0.1");
            }

            return plan with { Output = _in, Parameters = _d.Affine ? 2L * _in.Channels : 0 };
        }

        /// <summary>A float argument must be a finite number that a float can hold.</summary>
        private void Finite(double value, string argument)
        {
            if (double.IsNaN(value) || double.IsInfinity(value) || System.Math.Abs(value) > float.MaxValue)
            {
                Fail("CG0012", argument, $"{argument} must be a finite number within float range, but is {value}; use a finite value");
            }
        }

        private LayerPlan Linear(LayerPlan plan)
        {
            Positive(_d.OutChannels, "OutFeatures", "out_features");
            long weights = (long)_d.OutChannels * _in.Channels;
            return plan with
            {
                Output = TensorShape.Flat(_d.OutChannels),
                Parameters = weights + (_d.Bias ? _d.OutChannels : 0),
                Macs = weights,
            };
        }

        private LayerPlan Dropout(LayerPlan plan)
        {
            Finite(_d.DropoutP, "P");
            if (!(_d.DropoutP >= 0 && _d.DropoutP < 1))
            {
                Fail("CG0012", "P", $"dropout probability must be in [0, 1), but is {_d.DropoutP}: at 1 every value would be dropped; use a value from 0 up to, not including, 1");
            }

            return plan with { Output = _in };
        }

        private LayerPlan LeakyReLU(LayerPlan plan)
        {
            Finite(_d.NegativeSlope, "NegativeSlope");
            return plan with { Output = _in };
        }

        private LayerPlan Upsample(LayerPlan plan)
        {
            Positive(_d.Factor, "ScaleFactor", "scale factor");
            if (Failed)
            {
                return plan;
            }

            bool twoD = _in.Rank == 2;
            Extent((long)_in.Width * _d.Factor, "ScaleFactor", "the upsampled width");
            Extent(twoD ? (long)_in.Height * _d.Factor : 0, "ScaleFactor", "the upsampled height");
            if (Failed)
            {
                return plan;
            }

            return plan with
            {
                Output = new TensorShape(_in.Channels, twoD ? _in.Height * _d.Factor : 1, _in.Width * _d.Factor, _in.Rank),
                FieldH = twoD ? plan.FieldH.Upsampled(_d.Factor, _d.LinearInterpolation) : plan.FieldH,
                FieldW = plan.FieldW.Upsampled(_d.Factor, _d.LinearInterpolation),
            };
        }

        private LayerPlan PixelShuffle(LayerPlan plan)
        {
            int r = _d.Factor;
            Positive(r, "UpscaleFactor", "upscale factor");
            if (Failed)
            {
                return plan;
            }

            Extent((long)r * r, "UpscaleFactor", "r²");
            if (Failed)
            {
                return plan;
            }

            if (_in.Channels % (r * r) != 0)
            {
                Fail("CG0012", "UpscaleFactor", $"input channels {_in.Channels} are not divisible by r² = {r * r} ({_in.Channels} / {r * r} = {(double)_in.Channels / (r * r):0.###}), so they cannot be regrouped into r × r blocks; give the layer before it {ChannelChoices(_in.Channels, r * r)} output channels");
                return plan;
            }

            Extent((long)_in.Height * r, "UpscaleFactor", "the shuffled height");
            Extent((long)_in.Width * r, "UpscaleFactor", "the shuffled width");
            if (Failed)
            {
                return plan;
            }

            return plan with
            {
                Output = new TensorShape(_in.Channels / (r * r), _in.Height * r, _in.Width * r, 2),
                FieldH = plan.FieldH.Upsampled(r, false),
                FieldW = plan.FieldW.Upsampled(r, false),
            };
        }

        private LayerPlan PixelUnshuffle(LayerPlan plan)
        {
            int r = _d.Factor;
            Positive(r, "DownscaleFactor", "downscale factor");
            if (Failed)
            {
                return plan;
            }

            if (_in.Height % r != 0 || _in.Width % r != 0)
            {
                Fail("CG0012", "DownscaleFactor", $"input size {_in.Height}x{_in.Width} is not divisible by r = {r}, so it cannot be cut into r × r blocks; make it a multiple of {r} (e.g. {System.Math.Max(r, (_in.Height / r) * r)}x{System.Math.Max(r, (_in.Width / r) * r)}) by padding or cropping before it");
                return plan;
            }

            return plan with
            {
                Output = new TensorShape(_in.Channels * r * r, _in.Height / r, _in.Width / r, 2),
                FieldH = plan.FieldH.Window(r, r, 0, 1),
                FieldW = plan.FieldW.Window(r, r, 0, 1),
            };
        }

        private LayerPlan Save(LayerPlan plan, Dictionary<string, (TensorShape Shape, ReceptiveField H, ReceptiveField W)> saved)
        {
            if (string.IsNullOrEmpty(_d.TensorName))
            {
                Fail("CG0008", "TensorName", $"needs a non-empty tensor name, which pairs it with the Save or the Add/Concat on the other end; name both the same, e.g. [{_d.AttributeName}(\"skip1\")]");
            }
            else if (CheckTensorName() && saved.ContainsKey(_d.TensorName!))
            {
                Fail("CG0008", "TensorName", $"a tensor named '{_d.TensorName}' was already saved; give each skip connection its own name");
            }

            return plan with { Output = _in };
        }

        private LayerPlan Merge(LayerPlan plan, Dictionary<string, (TensorShape Shape, ReceptiveField H, ReceptiveField W)> saved)
        {
            if (!CheckTensorName())
            {
                return plan;
            }

            if (_d.TensorName is null || !saved.TryGetValue(_d.TensorName, out var skip))
            {
                string known = saved.Count == 0 ? "none saved yet" : "saved: " + string.Join(", ", SortedKeys(saved));
                Fail("CG0008", "TensorName", $"no tensor named '{_d.TensorName}' was saved before this layer ({known}); add [Save(\"{_d.TensorName}\")] earlier");
                return plan;
            }

            var merged = plan with
            {
                Skip = skip.Shape,
                FieldH = Wider(plan.FieldH, skip.H),
                FieldW = Wider(plan.FieldW, skip.W),
            };
            if (_d.Kind == LayerKind.Concat)
            {
                if (skip.Shape.Rank != _in.Rank || skip.Shape.Height != _in.Height || skip.Shape.Width != _in.Width)
                {
                    Fail("CG0008", "TensorName", $"cannot concatenate '{_d.TensorName}' {skip.Shape} with the current tensor {_in}: spatial sizes differ, and Concat joins channels position by position; resample one to the other's size first (Upsample, pooling or a strided convolution), or save the tensor where the sizes match");
                }

                return merged with { Output = new TensorShape(_in.Channels + skip.Shape.Channels, _in.Height, _in.Width, _in.Rank) };
            }

            if (!_d.Projection)
            {
                if (skip.Shape != _in)
                {
                    Fail("CG0008", "TensorName", $"cannot add '{_d.TensorName}' {skip.Shape} to the current tensor {_in}: shapes differ; use [Add(\"{_d.TensorName}\", Projection = true)] for a 1x1 conv + BatchNorm projection", "fix=projection");
                }

                return merged with { Output = _in };
            }

            if (skip.Shape.Rank != _in.Rank || _in.Rank == 0)
            {
                Fail("CG0008", "Projection", $"cannot project '{_d.TensorName}' {skip.Shape} onto {_in}: a projection is a strided 1x1 convolution, so it needs two spatial tensors of the same rank; add the skip connection before the layers that flatten or change the rank");
                return merged;
            }

            int sh = ProjectionStride(skip.Shape.Height, _in.Height);
            int sw = ProjectionStride(skip.Shape.Width, _in.Width);
            if (sh < 1 || sw < 1)
            {
                Fail("CG0008", "Projection", $"no 1x1 convolution stride maps '{_d.TensorName}' {skip.Shape} onto {_in}: {ProjectionSizes(skip.Shape, _in)}, so the projected tensor cannot be added; keep the sizes in step (e.g. Padding = 1 on 3x3 convolutions, or a stride that divides the size)");
                return merged;
            }

            long weights = (long)_in.Channels * skip.Shape.Channels;
            return merged with
            {
                Output = _in,
                ProjectionStrideH = sh,
                ProjectionStrideW = sw,
                Parameters = weights + (2L * _in.Channels),
                Macs = weights * _in.Spatial,
            };
        }

        /// <summary>The nearest channel counts divisible by <paramref name="block"/> around <paramref name="channels"/>: "4 or 8", or "4" below the first.</summary>
        private static string ChannelChoices(int channels, int block)
        {
            int lower = channels / block * block, upper = lower + block;
            return lower == 0 ? Invariant($"{upper}") : Invariant($"{lower} or {upper}");
        }

        /// <summary>The projection's output sizes floor((n - 1)/s) + 1 for the first strides along the axis that cannot be matched, evaluated.</summary>
        private static string ProjectionSizes(TensorShape from, TensorShape to)
        {
            bool height = from.Rank == 2 && ProjectionStride(from.Height, to.Height) < 1;
            int n = height ? from.Height : from.Width, target = height ? to.Height : to.Width;
            var sizes = Enumerable.Range(1, System.Math.Min(4, System.Math.Max(n, 1))).Select(st => Invariant($"{((n - 1) / st) + 1}"));
            string axis = from.Rank == 2 ? (height ? " along the height" : " along the width") : "";
            return Invariant($"floor((n - 1)/s) + 1 with n = {n} is {string.Join(", ", sizes)}{(n > 4 ? ", …" : "")} for s = 1, 2, 3, …{axis}, never {target}");
        }

        private static int ProjectionStride(int from, int to)
        {
            for (int s = 1; s <= from; s++)
            {
                if (((from - 1) / s) + 1 == to)
                {
                    return s;
                }
            }

            return 0;
        }

        private static ReceptiveField Wider(ReceptiveField current, ReceptiveField skip)
            => skip.Field > current.Field ? current with { Field = skip.Field } : current;

        private static List<string> SortedKeys(Dictionary<string, (TensorShape, ReceptiveField, ReceptiveField)> saved)
        {
            var keys = new List<string>(saved.Keys);
            keys.Sort(System.StringComparer.Ordinal);
            return keys;
        }
    }
}
