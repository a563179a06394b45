using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using ConvGen.Generator.Model;
using ConvGen.Shapes;

namespace ConvGen.Generator.Emit;

/// <summary>The torchinfo-style layer table, shown in the XML docs and as the <c>Summary</c> constant.</summary>
internal static class Summary
{
    private static readonly string[] Header = { "#", "Layer", "Output", "Param #", "MACs", "Jump", "Field", "Start" };

    public static string Table(NetworkModel model, IReadOnlyList<LayerPlan> plans)
    {
        var rows = new List<string[]> { Header };
        rows.Add(new[] { "", "Input", model.Network.InputShape.ToString(), "", "", "1", "1", "0.5" });
        foreach (var p in plans)
        {
            bool spatial = p.Output.Rank > 0;
            rows.Add(new[]
            {
                p.Index.ToString(CultureInfo.InvariantCulture),
                p.Decl.AttributeName + (p.Decl.Name is null ? "" : " '" + p.Decl.Name + "'"),
                p.Output.ToString(),
                Count(p.Parameters),
                Count(p.Macs),
                spatial ? Pair(p, f => f.Jump) : "-",
                spatial ? Pair(p, f => f.Field) : "-",
                spatial ? Pair(p, f => f.Start) : "-",
            });
        }

        var widths = Enumerable.Range(0, rows[0].Length).Select(c => rows.Max(r => r[c].Length)).ToArray();
        var text = new StringBuilder();
        string rule = new('=', widths.Sum() + (2 * (widths.Length - 1)));
        for (int r = 0; r < rows.Count; r++)
        {
            text.Append(string.Join("  ", rows[r].Select((cell, c) => c is 0 or >= 2 ? cell.PadLeft(widths[c]) : cell.PadRight(widths[c]))).TrimEnd()).Append('\n');
            if (r == 0)
            {
                text.Append(rule).Append('\n');
            }
        }

        text.Append(rule).Append('\n');
        text.Append("Total params: ").Append(Count(plans.Sum(p => p.Parameters))).Append('\n');
        text.Append("Total MACs per sample: ").Append(Count(plans.Sum(p => p.Macs))).Append('\n');
        text.Append("Jump/Field/Start: receptive field in input pixels (start = centre of output 0; input pixel centres are at 0.5, 1.5, ...)");
        return text.ToString();
    }

    /// <summary>"5" when both dimensions agree (or 1-D), else "5x3" (height x width).</summary>
    private static string Pair(LayerPlan p, System.Func<ReceptiveField, double> get)
    {
        string w = Number(get(p.FieldW));
        if (p.Output.Rank == 1)
        {
            return w;
        }

        string h = Number(get(p.FieldH));
        return h == w ? w : h + "x" + w;
    }

    private static string Number(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    public static string Count(long value) => value.ToString("#,0", CultureInfo.InvariantCulture);

    public static string XmlEscape(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");

    /// <summary>The layer's hyper-parameters in PyTorch's words, e.g. "kernel 5x5, stride 1, padding (0, 0, 0, 0), groups 1".</summary>
    public static string Describe(LayerPlan p)
    {
        var d = p.Decl;
        bool twoD = p.Input.Rank == 2;
        string Dims(int h, int w) => twoD ? (h == w ? I(h) : $"{I(h)}x{I(w)}") : I(w);
        string kernel = twoD ? $"{I(d.KernelH)}x{I(d.KernelW)}" : I(d.KernelW);
        string padding = twoD ? $"(top {I(p.PadTop)}, bottom {I(p.PadBottom)}, left {I(p.PadLeft)}, right {I(p.PadRight)})" : $"(left {I(p.PadLeft)}, right {I(p.PadRight)})";
        string rule = d.PadRule switch
        {
            PadRule.Same => " 'same'",
            PadRule.Causal => " causal",
            PadRule.Valid => " 'valid'",
            _ => "",
        };
        string mode = d.BorderMode == BorderMode.Zeros ? "" : ", " + d.BorderMode.ToString().ToLowerInvariant();
        return d.Kind switch
        {
            LayerKind.Conv => $"{I(p.Input.Channels)} -> {I(d.OutChannels)} channels, kernel {kernel}, stride {Dims(d.StrideH, d.StrideW)}, padding{rule} {padding}{mode}, dilation {Dims(d.DilationH, d.DilationW)}, groups {I(d.Groups)}, {(d.Bias ? "bias" : "no bias")}",
            LayerKind.ConvTranspose => $"{I(p.Input.Channels)} -> {I(d.OutChannels)} channels, kernel {kernel}, stride {Dims(d.StrideH, d.StrideW)}, padding {Dims(p.PadTop, p.PadLeft)}, output_padding {Dims(d.OutputPaddingH, d.OutputPaddingW)}, dilation {Dims(d.DilationH, d.DilationW)}, groups {I(d.Groups)}, {(d.Bias ? "bias" : "no bias")}",
            LayerKind.MaxPool => $"kernel {kernel}, stride {Dims(d.StrideH, d.StrideW)}, padding {Dims(p.PadTop, p.PadLeft)}, dilation {Dims(d.DilationH, d.DilationW)}{(d.CeilMode ? ", ceil_mode" : "")}",
            LayerKind.AvgPool => $"kernel {kernel}, stride {Dims(d.StrideH, d.StrideW)}, padding {Dims(p.PadTop, p.PadLeft)}{(d.CeilMode ? ", ceil_mode" : "")}, count_include_pad {(d.CountIncludePad ? "true" : "false")}",
            LayerKind.GlobalAvgPool => "mean over all positions",
            LayerKind.BatchNorm => $"{I(p.Input.Channels)} channels, eps {D(d.Eps)}, momentum {D(d.Momentum)}{(d.Affine ? "" : ", affine false")}",
            LayerKind.LeakyReLU => $"negative_slope {D(d.NegativeSlope)}",
            LayerKind.Dropout => $"p {D(d.DropoutP)} (identity at inference)",
            LayerKind.Flatten => "channel-major",
            LayerKind.Linear => $"{I(p.Input.Size)} -> {I(d.OutChannels)} features, {(d.Bias ? "bias" : "no bias")}",
            LayerKind.Upsample => $"scale {I(d.Factor)}, {(d.LinearInterpolation ? (twoD ? "bilinear" : "linear") + ", align_corners false" : "nearest")}",
            LayerKind.PixelShuffle or LayerKind.PixelUnshuffle => $"factor {I(d.Factor)}",
            LayerKind.Save => $"saves '{d.TensorName}'",
            LayerKind.Add => d.Projection ? $"adds '{d.TensorName}' {p.Skip} through a 1x1 conv (stride {Dims(p.ProjectionStrideH, p.ProjectionStrideW)}) + BatchNorm" : $"adds '{d.TensorName}'",
            LayerKind.Concat => $"appends the {I(p.Skip.Channels)} channels of '{d.TensorName}'",
            _ => "elementwise",
        };
    }

    private static string I(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A hyper-parameter as a person writes it: 0.00001, not 1E-05.</summary>
    private static string D(double value) => value.ToString("0.##########", CultureInfo.InvariantCulture);
}
