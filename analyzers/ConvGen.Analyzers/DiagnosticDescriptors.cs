using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace ConvGen.Analyzers;

/// <summary>
/// Every ConvGen rule: ID, title, category, default severity and help link, in one table. Messages are
/// computed by the shared shape module (they name the layer and evaluate the formula), so each format is a
/// single placeholder. The ID constants are what the code fixes use. Severities can be changed per rule in
/// .editorconfig (<c>dotnet_diagnostic.CG0009.severity = error</c>).
/// </summary>
public static class DiagnosticDescriptors
{
    /// <summary>groups must divide both channel counts.</summary>
    public const string GroupsId = "CG0001";

    /// <summary>'same' padding with odd d(k − 1).</summary>
    public const string SameAsymmetricId = "CG0002";

    /// <summary>'same' padding with stride &gt; 1.</summary>
    public const string SameStrideId = "CG0003";

    /// <summary>Causal misuse.</summary>
    public const string CausalId = "CG0004";

    /// <summary>Transposed convolution whose kernel is not a multiple of its stride.</summary>
    public const string CheckerboardId = "CG0005";

    /// <summary>output_padding out of range.</summary>
    public const string OutputPaddingId = "CG0006";

    /// <summary>A layer whose output would be empty.</summary>
    public const string EmptyOutputId = "CG0007";

    /// <summary>A skip connection that does not fit.</summary>
    public const string SkipId = "CG0008";

    /// <summary>A stride that never reads the last input rows/columns.</summary>
    public const string UnusedInputId = "CG0009";

    /// <summary>Reflect/circular padding too large, or a transposed convolution with a non-zero mode.</summary>
    public const string PaddingModeId = "CG0010";

    /// <summary>A bias directly followed by BatchNorm.</summary>
    public const string RedundantBiasId = "CG0011";

    /// <summary>Invalid hyper-parameters or class.</summary>
    public const string InvalidId = "CG0012";

    /// <summary>A dense-prediction output grid off the input's pixel centres.</summary>
    public const string AlignmentId = "CG0013";

    /// <summary>A causal network's context length (information).</summary>
    public const string CausalFieldId = "CG0014";

    /// <summary>Where the rule pages live, relative to the repository root.</summary>
    public const string HelpLinkBase = "docs/diagnostics/";

    private const string Category = "ConvGen.Design";

    /// <summary>CG0001: Groups must divide the channels.</summary>
    public static readonly DiagnosticDescriptor Groups = new(
        GroupsId, "Groups must divide the channels", "{0}", Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinkBase + "CG0001.md");

    /// <summary>CG0002: 'same' padding cannot be split evenly.</summary>
    public static readonly DiagnosticDescriptor SameAsymmetric = new(
        SameAsymmetricId, "'same' padding cannot be split evenly", "{0}", Category, DiagnosticSeverity.Warning, isEnabledByDefault: true, helpLinkUri: HelpLinkBase + "CG0002.md");

    /// <summary>CG0003: 'same' padding needs stride 1.</summary>
    public static readonly DiagnosticDescriptor SameStride = new(
        SameStrideId, "'same' padding needs stride 1", "{0}", Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinkBase + "CG0003.md");

    /// <summary>CG0004: Causal convolution misuse.</summary>
    public static readonly DiagnosticDescriptor Causal = new(
        CausalId, "Causal convolution misuse", "{0}", Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinkBase + "CG0004.md");

    /// <summary>CG0005: Transposed convolution with uneven overlap.</summary>
    public static readonly DiagnosticDescriptor Checkerboard = new(
        CheckerboardId, "Transposed convolution with uneven overlap", "{0}", Category, DiagnosticSeverity.Warning, isEnabledByDefault: true, helpLinkUri: HelpLinkBase + "CG0005.md");

    /// <summary>CG0006: Invalid output_padding.</summary>
    public static readonly DiagnosticDescriptor OutputPadding = new(
        OutputPaddingId, "Invalid output_padding", "{0}", Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinkBase + "CG0006.md");

    /// <summary>CG0007: Layer output is empty.</summary>
    public static readonly DiagnosticDescriptor EmptyOutput = new(
        EmptyOutputId, "Layer output is empty", "{0}", Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinkBase + "CG0007.md");

    /// <summary>CG0008: Skip connection does not fit.</summary>
    public static readonly DiagnosticDescriptor Skip = new(
        SkipId, "Skip connection does not fit", "{0}", Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinkBase + "CG0008.md");

    /// <summary>CG0009: Stride leaves input unused.</summary>
    public static readonly DiagnosticDescriptor UnusedInput = new(
        UnusedInputId, "Stride leaves input unused", "{0}", Category, DiagnosticSeverity.Warning, isEnabledByDefault: true, helpLinkUri: HelpLinkBase + "CG0009.md");

    /// <summary>CG0010: Padding mode does not fit.</summary>
    public static readonly DiagnosticDescriptor PaddingMode = new(
        PaddingModeId, "Padding mode does not fit", "{0}", Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinkBase + "CG0010.md");

    /// <summary>CG0011: Bias before BatchNorm is redundant.</summary>
    public static readonly DiagnosticDescriptor RedundantBias = new(
        RedundantBiasId, "Bias before BatchNorm is redundant", "{0}", Category, DiagnosticSeverity.Info, isEnabledByDefault: true, helpLinkUri: HelpLinkBase + "CG0011.md");

    /// <summary>CG0012: Invalid network declaration.</summary>
    public static readonly DiagnosticDescriptor Invalid = new(
        InvalidId, "Invalid network declaration", "{0}", Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinkBase + "CG0012.md");

    /// <summary>CG0013: Output grid misaligned with the input.</summary>
    public static readonly DiagnosticDescriptor Alignment = new(
        AlignmentId, "Output grid misaligned with the input", "{0}", Category, DiagnosticSeverity.Warning, isEnabledByDefault: true, helpLinkUri: HelpLinkBase + "CG0013.md");

    /// <summary>CG0014: Causal receptive field.</summary>
    public static readonly DiagnosticDescriptor CausalField = new(
        CausalFieldId, "Causal receptive field", "{0}", Category, DiagnosticSeverity.Info, isEnabledByDefault: true, helpLinkUri: HelpLinkBase + "CG0014.md");

    /// <summary>All descriptors by ID.</summary>
    public static ImmutableDictionary<string, DiagnosticDescriptor> ById { get; } = new[]
    {
        Groups, SameAsymmetric, SameStride, Causal, Checkerboard, OutputPadding, EmptyOutput, Skip, UnusedInput,
        PaddingMode, RedundantBias, Invalid, Alignment, CausalField,
    }.ToImmutableDictionary(d => d.Id);
}
