using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using ConvGen.Shapes;

namespace ConvGen.Tests.TrainingNetwork;

/// <summary>
/// Writes a declaration layer by layer: each call appends the attribute text and the <see cref="LayerDecl"/> that text
/// means (as the generator's parser reads it). Only non-default arguments are written.
/// </summary>
internal sealed class NetworkBuilder
{
    private readonly NetworkDecl _network;
    private readonly string _header;
    private readonly List<string> _lines = new();
    private readonly List<LayerDecl> _layers = new();

    /// <summary>The spatial rank of the current tensor: 2, 1, or 0 once flattened.</summary>
    private int _rank;

    private NetworkBuilder(NetworkDecl network, string header)
    {
        _network = network;
        _header = header;
        _rank = network.Rank;
    }

    public static NetworkBuilder Net2d(int channels, int height, int width, bool channelsLast = false)
        => new(new NetworkDecl(channels, height, width, 2, channelsLast, 20000), Header($"{I(channels)}, {I(height)}, {I(width)}", channelsLast));

    public static NetworkBuilder Net1d(int channels, int length, bool channelsLast = false)
        => new(new NetworkDecl(channels, 1, length, 1, channelsLast, 20000), Header($"{I(channels)}, {I(length)}", channelsLast));

    public DeclaredNetwork Build(string className)
        => new(className, _header + "\n" + string.Join("\n", _lines.Select(l => "[" + l + "]")), _network, _layers.ToArray());

    public NetworkBuilder Conv(
        int outChannels, int kernel, int padding = 0, int stride = 1, int dilation = 1, int groups = 1,
        bool bias = true, BorderMode mode = BorderMode.Zeros, PadRule rule = PadRule.Explicit)
    {
        bool twoD = _rank == 2;
        var named = new List<string>();
        Named(named, "Padding", padding, 0);
        Named(named, "Stride", stride, 1);
        Named(named, "Dilation", dilation, 1);
        Named(named, "Groups", groups, 1);
        if (!bias)
        {
            named.Add("Bias = false");
        }

        if (mode != BorderMode.Zeros)
        {
            named.Add("PaddingMode = PaddingMode." + mode);
        }

        if (rule != PadRule.Explicit)
        {
            named.Add("Pad = Pad." + rule);
        }

        return Add(Text(twoD ? "Conv2d" : "Conv1d", named, I(outChannels), I(kernel)), Window(LayerKind.Conv, kernel, stride, padding) with
        {
            OutChannels = outChannels,
            DilationH = twoD ? dilation : 1,
            DilationW = dilation,
            Groups = groups,
            Bias = bias,
            BorderMode = mode,
            PadRule = rule,
        });
    }

    public NetworkBuilder ConvTranspose(int outChannels, int kernel, int stride = 1, int padding = 0, int outputPadding = 0, int groups = 1)
    {
        bool twoD = _rank == 2;
        var named = new List<string>();
        Named(named, "Stride", stride, 1);
        Named(named, "Padding", padding, 0);
        Named(named, "OutputPadding", outputPadding, 0);
        Named(named, "Groups", groups, 1);
        return Add(Text(twoD ? "ConvTranspose2d" : "ConvTranspose1d", named, I(outChannels), I(kernel)), Window(LayerKind.ConvTranspose, kernel, stride, padding) with
        {
            OutChannels = outChannels,
            Groups = groups,
            OutputPaddingH = twoD ? outputPadding : 0,
            OutputPaddingW = outputPadding,
        });
    }

    /// <summary>Max or average pooling; <paramref name="stride"/> 0 means PyTorch's default, the window.</summary>
    public NetworkBuilder Pool(LayerKind kind, int kernel, int stride = 0, int padding = 0, bool ceil = false, bool countIncludePad = true)
    {
        var named = new List<string>();
        Named(named, "Stride", stride, 0);
        Named(named, "Padding", padding, 0);
        if (ceil)
        {
            named.Add("CeilMode = true");
        }

        if (!countIncludePad)
        {
            named.Add("CountIncludePad = false");
        }

        string attribute = (kind == LayerKind.MaxPool ? "MaxPool" : "AvgPool") + (_rank == 2 ? "2d" : "1d");
        return Add(Text(attribute, named, I(kernel)), Window(kind, kernel, stride == 0 ? kernel : stride, padding) with
        {
            CeilMode = ceil,
            CountIncludePad = countIncludePad,
        });
    }

    public NetworkBuilder BatchNorm(bool affine = true, double momentum = 0.1)
    {
        var named = new List<string>();
        if (!affine)
        {
            named.Add("Affine = false");
        }

        if (momentum != 0.1)
        {
            named.Add("Momentum = " + momentum.ToString("R", CultureInfo.InvariantCulture));
        }

        int rank = _rank == 2 ? 2 : 1;
        string attribute = rank == 2 ? "BatchNorm2d" : "BatchNorm1d";
        return Add(Text(attribute, named), new LayerDecl { Kind = LayerKind.BatchNorm, AttributeName = attribute, Rank = rank, Affine = affine, Momentum = momentum });
    }

    /// <summary>A layer without arguments: an activation, Identity, Flatten or GlobalAvgPool.</summary>
    public NetworkBuilder Plain(LayerKind kind)
    {
        if (kind == LayerKind.Flatten)
        {
            _rank = 0;
        }

        return Add(kind.ToString(), new LayerDecl { Kind = kind, AttributeName = kind.ToString() });
    }

    public NetworkBuilder LeakyReLU(double slope)
        => Add($"LeakyReLU(NegativeSlope = {slope.ToString("R", CultureInfo.InvariantCulture)})", new LayerDecl { Kind = LayerKind.LeakyReLU, AttributeName = "LeakyReLU", NegativeSlope = slope });

    public NetworkBuilder Dropout(double p)
        => Add($"Dropout(P = {p.ToString("R", CultureInfo.InvariantCulture)})", new LayerDecl { Kind = LayerKind.Dropout, AttributeName = "Dropout", DropoutP = p });

    public NetworkBuilder Linear(int outFeatures, bool bias = true)
        => Add(Text("Linear", bias ? new List<string>() : new List<string> { "Bias = false" }, I(outFeatures)), new LayerDecl { Kind = LayerKind.Linear, AttributeName = "Linear", OutChannels = outFeatures, Bias = bias });

    public NetworkBuilder Upsample(int factor, bool linear)
        => Add(
            linear ? $"Upsample({I(factor)}, Mode = UpsampleMode.Linear)" : $"Upsample({I(factor)})",
            new LayerDecl { Kind = LayerKind.Upsample, AttributeName = "Upsample", Factor = factor, LinearInterpolation = linear });

    public NetworkBuilder PixelShuffle(int factor)
        => Add($"PixelShuffle({I(factor)})", new LayerDecl { Kind = LayerKind.PixelShuffle, AttributeName = "PixelShuffle", Rank = 2, Factor = factor });

    public NetworkBuilder PixelUnshuffle(int factor)
        => Add($"PixelUnshuffle({I(factor)})", new LayerDecl { Kind = LayerKind.PixelUnshuffle, AttributeName = "PixelUnshuffle", Rank = 2, Factor = factor });

    public NetworkBuilder Save(string tensor) => Merge(LayerKind.Save, "Save", tensor, projection: false);

    public NetworkBuilder AddSaved(string tensor, bool projection = false) => Merge(LayerKind.Add, "Add", tensor, projection);

    public NetworkBuilder Concat(string tensor) => Merge(LayerKind.Concat, "Concat", tensor, projection: false);

    private NetworkBuilder Merge(LayerKind kind, string attribute, string tensor, bool projection)
        => Add(
            $"{attribute}(\"{tensor}\"{(projection ? ", Projection = true" : "")})",
            new LayerDecl { Kind = kind, AttributeName = attribute, TensorName = tensor, Projection = projection });

    /// <summary>A square window of the current rank (1-D: height 1, no vertical padding), with padding given when non-zero.</summary>
    private LayerDecl Window(LayerKind kind, int kernel, int stride, int padding)
    {
        bool twoD = _rank == 2;
        return new LayerDecl
        {
            Kind = kind,
            AttributeName = "",
            Rank = twoD ? 2 : 1,
            KernelH = twoD ? kernel : 1,
            KernelW = kernel,
            StrideH = twoD ? stride : 1,
            StrideW = stride,
            PadTop = twoD ? padding : 0,
            PadBottom = twoD ? padding : 0,
            PadLeft = padding,
            PadRight = padding,
            PaddingGiven = padding != 0,
        };
    }

    private NetworkBuilder Add(string text, LayerDecl decl)
    {
        // The attribute name is the text up to its argument list.
        int paren = text.IndexOf('(', System.StringComparison.Ordinal);
        _lines.Add(text);
        _layers.Add(decl with { AttributeName = paren < 0 ? text : text.Substring(0, paren) });
        return this;
    }

    private static string Text(string attribute, List<string> named, params string[] positional)
    {
        var all = positional.Concat(named).ToList();
        return all.Count == 0 ? attribute : attribute + "(" + string.Join(", ", all) + ")";
    }

    private static void Named(List<string> named, string property, int value, int defaultValue)
    {
        if (value != defaultValue)
        {
            named.Add(property + " = " + I(value));
        }
    }

    private static string Header(string arguments, bool channelsLast)
        => "[Network(" + arguments + (channelsLast ? ", Layout = TensorLayout.Nhwc" : "") + ")]";

    private static string I(int value) => value.ToString(CultureInfo.InvariantCulture);
}
