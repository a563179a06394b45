using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace ConvGen.Benchmarks.Onnx;

/// <summary>
/// Builds a small ONNX model (IR version 8, opset 17) node by node, with one float input of a fixed
/// shape (e.g. [N, C, H, W]) and one output. Every value's shape is inferred as nodes are added, so the
/// output's shape is known and written into the model; no protobuf package is needed.
/// </summary>
/// <remarks>
/// Each op method takes value names and returns the name of the value it produces.
/// <c>Conv2d</c> and <see cref="Linear"/> take their weights from a PyTorch-style state dict
/// (<c>"0.weight"</c>, <c>"0.bias"</c>, ...) and name the initializers after its keys, as torch.onnx.export does;
/// so does <see cref="BatchNorm2d"/> (<c>"1.weight"</c>, <c>"1.running_mean"</c>, ...).
/// <code>
/// var b = new OnnxGraphBuilder("input", 1, 1, 32, 32);
/// string x = b.Conv2d(b.Input, stateDict, "0", outChannels: 6, kernelSize: 5);
/// x = b.Relu(x);
/// byte[] model = b.Build(x);
/// </code>
/// </remarks>
public sealed class OnnxGraphBuilder
{
    /// <summary>The ONNX IR version written into the model.</summary>
    public const long IrVersion = OnnxModelEncoder.IrVersion;

    /// <summary>The default-domain opset the model imports.</summary>
    public const long OpsetVersion = OnnxModelEncoder.OpsetVersion;

    private readonly List<OnnxNode> _nodes = [];
    private readonly List<OnnxInitializer> _initializers = [];
    private readonly Dictionary<string, long[]> _shapes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _opCounts = new(StringComparer.Ordinal);

    /// <summary>Starts a graph whose single float input is <paramref name="inputName"/> with a fixed shape.</summary>
    /// <param name="inputName">The graph input's name.</param>
    /// <param name="inputShape">The input's shape, e.g. N, C, H, W; every dimension must be positive.</param>
    public OnnxGraphBuilder(string inputName, params IReadOnlyList<long> inputShape)
    {
        ArgumentException.ThrowIfNullOrEmpty(inputName);
        ArgumentNullException.ThrowIfNull(inputShape);
        if (inputShape.Count == 0 || inputShape.Any(d => d <= 0))
        {
            throw new ArgumentException("The input shape needs positive dimensions.", nameof(inputShape));
        }

        Input = inputName;
        _shapes.Add(inputName, [.. inputShape]);
    }

    /// <summary>The name of the graph input.</summary>
    public string Input { get; }

    /// <summary>The shape of the graph input.</summary>
    public IReadOnlyList<long> InputShape => _shapes[Input];

    /// <summary>The nodes added so far, in order.</summary>
    public IReadOnlyList<OnnxNode> Nodes => _nodes;

    /// <summary>The initializers (weights) added so far.</summary>
    public IReadOnlyList<OnnxInitializer> Initializers => _initializers;

    /// <summary>The inferred shape of a value (the input, an initializer or a node output).</summary>
    public IReadOnlyList<long> ShapeOf(string value) =>
        _shapes.TryGetValue(value, out long[]? shape) ? shape : throw new ArgumentException($"Unknown value '{value}'.", nameof(value));

    /// <summary>Adds a float initializer and returns its name.</summary>
    /// <param name="name">The initializer's name (for weights from PyTorch, the state_dict key).</param>
    /// <param name="data">Row-major data; its length must be the product of <paramref name="dims"/>. Not copied.</param>
    /// <param name="dims">The tensor's shape.</param>
    public string AddInitializer(string name, float[] data, params IReadOnlyList<long> dims)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(dims);
        long count = dims.Aggregate(1L, (a, d) => a * d);
        if (dims.Any(d => d <= 0) || count != data.Length)
        {
            throw new ArgumentException(
                $"Initializer '{name}' has {data.Length} values but shape [{string.Join(", ", dims)}].", nameof(data));
        }

        if (_shapes.ContainsKey(name))
        {
            throw new ArgumentException($"A value named '{name}' already exists.", nameof(name));
        }

        _initializers.Add(new OnnxInitializer(name, [.. dims], data));
        _shapes.Add(name, [.. dims]);
        return name;
    }

    /// <summary>
    /// Conv (2-D, NCHW). The kernel shape comes from <paramref name="weight"/>'s shape [M, C/group, kH, kW].
    /// </summary>
    /// <param name="x">Input [N, C, H, W].</param>
    /// <param name="weight">Weight initializer [M, C/group, kH, kW].</param>
    /// <param name="bias">Optional bias [M].</param>
    /// <param name="pads">[top, left, bottom, right]; zeros when null.</param>
    /// <param name="strides">[sH, sW]; ones when null.</param>
    /// <param name="dilations">[dH, dW]; ones when null.</param>
    /// <param name="group">Number of groups.</param>
    public string Conv(
        string x,
        string weight,
        string? bias = null,
        IReadOnlyList<int>? pads = null,
        IReadOnlyList<int>? strides = null,
        IReadOnlyList<int>? dilations = null,
        int group = 1)
    {
        long[] xs = Shape4(x);
        long[] ws = Shape4(weight);
        pads ??= [0, 0, 0, 0];
        strides ??= [1, 1];
        dilations ??= [1, 1];
        CheckCount(pads, 4, nameof(pads));
        CheckCount(strides, 2, nameof(strides));
        CheckCount(dilations, 2, nameof(dilations));
        if (group <= 0 || xs[1] % group != 0 || ws[0] % group != 0 || ws[1] != xs[1] / group)
        {
            throw new ArgumentException(
                $"Conv: input [{string.Join(", ", xs)}], weight [{string.Join(", ", ws)}] and group {group} do not fit.", nameof(weight));
        }

        var inputs = new List<string> { x, weight };
        if (bias is not null)
        {
            IReadOnlyList<long> bs = ShapeOf(bias);
            if (bs.Count != 1 || bs[0] != ws[0])
            {
                throw new ArgumentException($"Conv: bias must have shape [{ws[0]}].", nameof(bias));
            }

            inputs.Add(bias);
        }

        long outH = WindowOutput(xs[2], ws[2], pads[0], pads[2], strides[0], dilations[0]);
        long outW = WindowOutput(xs[3], ws[3], pads[1], pads[3], strides[1], dilations[1]);
        return AddNode(
            "Conv",
            inputs,
            [xs[0], ws[0], outH, outW],
            OnnxAttribute.FromInts("kernel_shape", ws[2], ws[3]),
            OnnxAttribute.FromInts("pads", Longs(pads)),
            OnnxAttribute.FromInts("strides", Longs(strides)),
            OnnxAttribute.FromInts("dilations", Longs(dilations)),
            OnnxAttribute.FromInt("group", group));
    }

    /// <summary>
    /// nn.Conv2d with square kernel, stride, padding and dilation: adds <c>{module}.weight</c> (and
    /// <c>{module}.bias</c> when the state dict has it) as initializers, then a Conv node.
    /// </summary>
    /// <param name="x">Input [N, C, H, W]; C is the layer's in_channels.</param>
    /// <param name="stateDict">Weights keyed by PyTorch state_dict names.</param>
    /// <param name="module">The module's key prefix, e.g. <c>"0"</c> in nn.Sequential.</param>
    /// <param name="outChannels">out_channels.</param>
    /// <param name="kernelSize">kernel_size.</param>
    /// <param name="stride">stride.</param>
    /// <param name="padding">padding (the same on all four sides).</param>
    /// <param name="dilation">dilation.</param>
    /// <param name="groups">groups.</param>
    public string Conv2d(
        string x,
        IReadOnlyDictionary<string, float[]> stateDict,
        string module,
        int outChannels,
        int kernelSize,
        int stride = 1,
        int padding = 0,
        int dilation = 1,
        int groups = 1) =>
        Conv2d(x, stateDict, module, outChannels, [kernelSize, kernelSize], [stride, stride], [padding, padding, padding, padding], [dilation, dilation], groups);

    /// <summary>
    /// nn.Conv2d in general: a kernel [kH, kW], per-axis strides and dilations, and one padding per side (what
    /// <c>F.pad</c> then a padding-free convolution computes). Adds <c>{module}.weight</c> (and <c>{module}.bias</c>
    /// when the state dict has it) as initializers, then a Conv node.
    /// </summary>
    /// <param name="x">Input [N, C, H, W]; C is the layer's in_channels.</param>
    /// <param name="stateDict">Weights keyed by PyTorch state_dict names.</param>
    /// <param name="module">The module's key prefix.</param>
    /// <param name="outChannels">out_channels.</param>
    /// <param name="kernel">[kH, kW].</param>
    /// <param name="strides">[sH, sW].</param>
    /// <param name="pads">[top, left, bottom, right] (ONNX's order).</param>
    /// <param name="dilations">[dH, dW]; ones when null.</param>
    /// <param name="groups">groups; in_channels for a depthwise convolution.</param>
    public string Conv2d(
        string x,
        IReadOnlyDictionary<string, float[]> stateDict,
        string module,
        int outChannels,
        IReadOnlyList<int> kernel,
        IReadOnlyList<int> strides,
        IReadOnlyList<int> pads,
        IReadOnlyList<int>? dilations = null,
        int groups = 1)
    {
        ArgumentNullException.ThrowIfNull(stateDict);
        CheckCount(kernel, 2, nameof(kernel));
        long inChannels = Shape4(x)[1];
        if (groups <= 0 || inChannels % groups != 0)
        {
            throw new ArgumentException($"Conv2d '{module}': {inChannels} input channels do not split into {groups} groups.", nameof(groups));
        }

        string weight = AddInitializer(
            module + ".weight", Lookup(stateDict, module + ".weight"), outChannels, inChannels / groups, kernel[0], kernel[1]);
        string? bias = stateDict.TryGetValue(module + ".bias", out float[]? b) ? AddInitializer(module + ".bias", b, outChannels) : null;
        return Conv(x, weight, bias, pads, strides, dilations, groups);
    }

    /// <summary>
    /// nn.ConvTranspose2d with a square kernel, stride and padding (dilation 1, no output_padding): adds
    /// <c>{module}.weight</c> ([C_in, C_out/groups, k, k], the layout ONNX's ConvTranspose reads too) and
    /// <c>{module}.bias</c> when the state dict has it, then a ConvTranspose node.
    /// </summary>
    /// <param name="x">Input [N, C, H, W]; C is the layer's in_channels.</param>
    /// <param name="stateDict">Weights keyed by PyTorch state_dict names.</param>
    /// <param name="module">The module's key prefix.</param>
    /// <param name="outChannels">out_channels.</param>
    /// <param name="kernel">kernel_size.</param>
    /// <param name="stride">stride.</param>
    /// <param name="padding">padding (removed from every side of the output).</param>
    public string ConvTranspose2d(string x, IReadOnlyDictionary<string, float[]> stateDict, string module, int outChannels, int kernel, int stride, int padding)
    {
        ArgumentNullException.ThrowIfNull(stateDict);
        long[] xs = Shape4(x);
        string weight = AddInitializer(module + ".weight", Lookup(stateDict, module + ".weight"), xs[1], outChannels, kernel, kernel);
        var inputs = new List<string> { x, weight };
        if (stateDict.TryGetValue(module + ".bias", out float[]? b))
        {
            inputs.Add(AddInitializer(module + ".bias", b, outChannels));
        }

        long Out(long n) => ((n - 1) * stride) - (2 * padding) + kernel;
        return AddNode(
            "ConvTranspose",
            inputs,
            [xs[0], outChannels, Out(xs[2]), Out(xs[3])],
            OnnxAttribute.FromInts("kernel_shape", kernel, kernel),
            OnnxAttribute.FromInts("pads", padding, padding, padding, padding),
            OnnxAttribute.FromInts("strides", stride, stride));
    }

    /// <summary>BatchNormalization in inference mode: y = scale · (x − mean) / √(var + ε) + bias, per channel (axis 1).</summary>
    /// <param name="x">Input [N, C, ...].</param>
    /// <param name="scale">γ [C].</param>
    /// <param name="bias">β [C].</param>
    /// <param name="mean">Running mean [C].</param>
    /// <param name="variance">Running variance [C].</param>
    /// <param name="epsilon">ε.</param>
    public string BatchNormalization(string x, string scale, string bias, string mean, string variance, float epsilon = 1e-5f)
    {
        IReadOnlyList<long> xs = ShapeOf(x);
        foreach (string parameter in (string[])[scale, bias, mean, variance])
        {
            IReadOnlyList<long> ps = ShapeOf(parameter);
            if (xs.Count < 2 || ps.Count != 1 || ps[0] != xs[1])
            {
                throw new ArgumentException($"BatchNormalization: '{parameter}' must have shape [{(xs.Count < 2 ? "C" : xs[1])}].", nameof(x));
            }
        }

        return AddNode("BatchNormalization", [x, scale, bias, mean, variance], [.. xs], OnnxAttribute.FromFloat("epsilon", epsilon));
    }

    /// <summary>
    /// nn.BatchNorm2d in eval mode: adds <c>{module}.weight</c>, <c>.bias</c>, <c>.running_mean</c> and
    /// <c>.running_var</c> as initializers, then a BatchNormalization node (which ONNX Runtime folds into a
    /// preceding Conv when it can, as ConvGen does).
    /// </summary>
    /// <param name="x">Input [N, C, H, W].</param>
    /// <param name="stateDict">Weights keyed by PyTorch state_dict names.</param>
    /// <param name="module">The module's key prefix.</param>
    /// <param name="epsilon">eps.</param>
    public string BatchNorm2d(string x, IReadOnlyDictionary<string, float[]> stateDict, string module, float epsilon = 1e-5f)
    {
        ArgumentNullException.ThrowIfNull(stateDict);
        long channels = Shape4(x)[1];
        string Parameter(string suffix) => AddInitializer(module + suffix, Lookup(stateDict, module + suffix), channels);
        return BatchNormalization(x, Parameter(".weight"), Parameter(".bias"), Parameter(".running_mean"), Parameter(".running_var"), epsilon);
    }

    /// <summary>GlobalAveragePool: the mean of each channel, [N, C, H, W] to [N, C, 1, 1] (nn.AdaptiveAvgPool2d(1)).</summary>
    public string GlobalAveragePool(string x)
    {
        long[] xs = Shape4(x);
        return AddNode("GlobalAveragePool", [x], [xs[0], xs[1], 1, 1]);
    }

    /// <summary>Relu.</summary>
    public string Relu(string x) => AddNode("Relu", [x], [.. ShapeOf(x)]);

    /// <summary>MaxPool (2-D, NCHW, floor mode).</summary>
    /// <param name="x">Input [N, C, H, W].</param>
    /// <param name="kernelShape">[kH, kW].</param>
    /// <param name="strides">[sH, sW]; when null, the kernel shape (PyTorch's default, not ONNX's).</param>
    /// <param name="pads">[top, left, bottom, right]; zeros when null.</param>
    public string MaxPool(string x, IReadOnlyList<int> kernelShape, IReadOnlyList<int>? strides = null, IReadOnlyList<int>? pads = null) =>
        Pool("MaxPool", x, kernelShape, strides, pads);

    /// <summary>AveragePool (2-D, NCHW, floor mode).</summary>
    /// <param name="x">Input [N, C, H, W].</param>
    /// <param name="kernelShape">[kH, kW].</param>
    /// <param name="strides">[sH, sW]; when null, the kernel shape (PyTorch's default, not ONNX's).</param>
    /// <param name="pads">[top, left, bottom, right]; zeros when null.</param>
    /// <param name="countIncludePad">Whether padded zeros count in the divisor: true is PyTorch's default, ONNX's is false.</param>
    public string AveragePool(
        string x,
        IReadOnlyList<int> kernelShape,
        IReadOnlyList<int>? strides = null,
        IReadOnlyList<int>? pads = null,
        bool countIncludePad = true) =>
        Pool("AveragePool", x, kernelShape, strides, pads, OnnxAttribute.FromInt("count_include_pad", countIncludePad ? 1 : 0));

    /// <summary>Flatten: [d0, ..., d(axis-1)] times the product of the rest, as a 2-D tensor.</summary>
    public string Flatten(string x, int axis = 1)
    {
        IReadOnlyList<long> xs = ShapeOf(x);
        if (axis < 0 || axis > xs.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(axis));
        }

        long outer = xs.Take(axis).Aggregate(1L, (a, d) => a * d);
        long inner = xs.Skip(axis).Aggregate(1L, (a, d) => a * d);
        return AddNode("Flatten", [x], [outer, inner], OnnxAttribute.FromInt("axis", axis));
    }

    /// <summary>Gemm: Y = A · op(B) + C, with op(B) = Bᵀ when <paramref name="transB"/> (PyTorch Linear weights [out, in]).</summary>
    /// <param name="a">A [M, K].</param>
    /// <param name="b">B: [N, K] when <paramref name="transB"/>, else [K, N].</param>
    /// <param name="c">Optional C, broadcast to [M, N] (a bias [N]).</param>
    /// <param name="transB">Whether B is transposed.</param>
    public string Gemm(string a, string b, string? c = null, bool transB = true)
    {
        IReadOnlyList<long> sa = ShapeOf(a);
        IReadOnlyList<long> sb = ShapeOf(b);
        if (sa.Count != 2 || sb.Count != 2)
        {
            throw new ArgumentException("Gemm needs 2-D A and B (use Flatten first).", nameof(a));
        }

        long k = transB ? sb[1] : sb[0];
        long n = transB ? sb[0] : sb[1];
        if (sa[1] != k)
        {
            throw new ArgumentException($"Gemm: A [{sa[0]}, {sa[1]}] does not fit B [{sb[0]}, {sb[1]}] (transB={transB}).", nameof(b));
        }

        var inputs = new List<string> { a, b };
        if (c is not null)
        {
            _ = Broadcast(ShapeOf(c), [sa[0], n]);
            inputs.Add(c);
        }

        return AddNode("Gemm", inputs, [sa[0], n], OnnxAttribute.FromInt("transB", transB ? 1 : 0));
    }

    /// <summary>
    /// nn.Linear: adds <c>{module}.weight</c> [out, in] (and <c>{module}.bias</c> when present) and a Gemm with transB = 1.
    /// </summary>
    /// <param name="x">Input [N, in_features].</param>
    /// <param name="stateDict">Weights keyed by PyTorch state_dict names.</param>
    /// <param name="module">The module's key prefix, e.g. <c>"7"</c>.</param>
    /// <param name="outFeatures">out_features.</param>
    public string Linear(string x, IReadOnlyDictionary<string, float[]> stateDict, string module, int outFeatures)
    {
        ArgumentNullException.ThrowIfNull(stateDict);
        IReadOnlyList<long> xs = ShapeOf(x);
        if (xs.Count != 2)
        {
            throw new ArgumentException($"Linear '{module}' needs a 2-D input (use Flatten first).", nameof(x));
        }

        string weight = AddInitializer(module + ".weight", Lookup(stateDict, module + ".weight"), outFeatures, xs[1]);
        string? bias = stateDict.TryGetValue(module + ".bias", out float[]? b) ? AddInitializer(module + ".bias", b, outFeatures) : null;
        return Gemm(x, weight, bias, transB: true);
    }

    /// <summary>Element-wise Add with NumPy broadcasting.</summary>
    public string Add(string a, string b) => AddNode("Add", [a, b], Broadcast(ShapeOf(a), ShapeOf(b)));

    /// <summary>Serializes the model, with <paramref name="output"/> as the graph's single output.</summary>
    /// <param name="output">The value to expose as the output (usually the last op's result).</param>
    /// <param name="graphName">The graph's name.</param>
    /// <returns>The ModelProto bytes, ready for InferenceSession or onnx.load.</returns>
    public byte[] Build(string output, string graphName = "convgen")
    {
        IReadOnlyList<long> shape = ShapeOf(output);
        return OnnxModelEncoder.Encode(graphName, _nodes, _initializers, (Input, InputShape), (output, shape));
    }

    private string Pool(
        string opType,
        string x,
        IReadOnlyList<int> kernelShape,
        IReadOnlyList<int>? strides,
        IReadOnlyList<int>? pads,
        params OnnxAttribute[] extra)
    {
        ArgumentNullException.ThrowIfNull(kernelShape);
        long[] xs = Shape4(x);
        strides ??= kernelShape;
        pads ??= [0, 0, 0, 0];
        CheckCount(kernelShape, 2, nameof(kernelShape));
        CheckCount(strides, 2, nameof(strides));
        CheckCount(pads, 4, nameof(pads));
        long outH = WindowOutput(xs[2], kernelShape[0], pads[0], pads[2], strides[0], 1);
        long outW = WindowOutput(xs[3], kernelShape[1], pads[1], pads[3], strides[1], 1);
        OnnxAttribute[] attributes =
        [
            OnnxAttribute.FromInts("kernel_shape", Longs(kernelShape)),
            OnnxAttribute.FromInts("strides", Longs(strides)),
            OnnxAttribute.FromInts("pads", Longs(pads)),
            .. extra,
        ];
        return AddNode(opType, [x], [xs[0], xs[1], outH, outW], attributes);
    }

    private string AddNode(string opType, IReadOnlyList<string> inputs, long[] outputShape, params OnnxAttribute[] attributes)
    {
        foreach (string input in inputs)
        {
            _ = ShapeOf(input);
        }

        int index = _opCounts.TryGetValue(opType, out int n) ? n : 0;
        _opCounts[opType] = index + 1;
        string name = string.Create(CultureInfo.InvariantCulture, $"{opType}_{index}");
        string output = name + "_out";
        _nodes.Add(new OnnxNode(name, opType, [.. inputs], [output], attributes));
        _shapes.Add(output, outputShape);
        return output;
    }

    private long[] Shape4(string value)
    {
        IReadOnlyList<long> shape = ShapeOf(value);
        return shape.Count == 4
            ? [.. shape]
            : throw new ArgumentException($"'{value}' has shape [{string.Join(", ", shape)}]; a 4-D tensor is needed.", nameof(value));
    }

    private static long WindowOutput(long size, long kernel, int padBegin, int padEnd, int stride, int dilation)
    {
        if (stride <= 0 || dilation <= 0 || padBegin < 0 || padEnd < 0)
        {
            throw new ArgumentException("Strides and dilations must be positive and pads non-negative.");
        }

        long span = (dilation * (kernel - 1)) + 1;
        long padded = size + padBegin + padEnd;
        return padded < span
            ? throw new ArgumentException($"A window of {span} does not fit an extent of {padded}.")
            : ((padded - span) / stride) + 1;
    }

    private static long[] Broadcast(IReadOnlyList<long> a, IReadOnlyList<long> b)
    {
        int rank = Math.Max(a.Count, b.Count);
        var result = new long[rank];
        for (int i = 0; i < rank; i++)
        {
            long da = i < rank - a.Count ? 1 : a[i - (rank - a.Count)];
            long db = i < rank - b.Count ? 1 : b[i - (rank - b.Count)];
            result[i] = da == db || db == 1 ? da
                : da == 1 ? db
                : throw new ArgumentException($"Shapes [{string.Join(", ", a)}] and [{string.Join(", ", b)}] do not broadcast.");
        }

        return result;
    }

    private static float[] Lookup(IReadOnlyDictionary<string, float[]> stateDict, string key) =>
        stateDict.TryGetValue(key, out float[]? value) ? value : throw new KeyNotFoundException($"The state dict has no '{key}'.");

    private static void CheckCount(IReadOnlyList<int> values, int count, string name)
    {
        ArgumentNullException.ThrowIfNull(values, name);
        if (values.Count != count)
        {
            throw new ArgumentException($"Expected {count} values.", name);
        }
    }

    private static long[] Longs(IReadOnlyList<int> values) => [.. values.Select(v => (long)v)];
}
