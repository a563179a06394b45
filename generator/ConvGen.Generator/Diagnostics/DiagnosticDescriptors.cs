using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace ConvGen.Generator.Diagnostics;

/// <summary>
/// Every diagnostic ConvGen's generator reports: one table of IDs, titles, categories and severities.
/// The message is computed by the shared shape module (it names the layer and evaluates the formula),
/// so each descriptor's format is a single placeholder.
/// </summary>
internal static class DiagnosticDescriptors
{
    private const string Category = "ConvGen.Design";

    public static readonly DiagnosticDescriptor Groups = Error("CG0001", "Groups must divide the channels");
    public static readonly DiagnosticDescriptor SameWithStride = Error("CG0003", "'same' padding needs stride 1");
    public static readonly DiagnosticDescriptor Causal = Error("CG0004", "Causal convolution misuse");
    public static readonly DiagnosticDescriptor OutputPadding = Error("CG0006", "Invalid output_padding");
    public static readonly DiagnosticDescriptor OutputTooSmall = Error("CG0007", "Layer output is empty");
    public static readonly DiagnosticDescriptor SkipMismatch = Error("CG0008", "Skip connection does not fit");
    public static readonly DiagnosticDescriptor BorderMode = Error("CG0010", "Padding mode does not fit the input");
    public static readonly DiagnosticDescriptor InvalidDeclaration = Error("CG0012", "Invalid network declaration");

    private static readonly Dictionary<string, DiagnosticDescriptor> Table = new(System.StringComparer.Ordinal)
    {
        [Groups.Id] = Groups,
        [SameWithStride.Id] = SameWithStride,
        [Causal.Id] = Causal,
        [OutputPadding.Id] = OutputPadding,
        [OutputTooSmall.Id] = OutputTooSmall,
        [SkipMismatch.Id] = SkipMismatch,
        [BorderMode.Id] = BorderMode,
        [InvalidDeclaration.Id] = InvalidDeclaration,
    };

    /// <summary>The descriptor for a rule ID the shape module produced.</summary>
    public static DiagnosticDescriptor ById(string id) => Table.TryGetValue(id, out var descriptor) ? descriptor : InvalidDeclaration;

    private static DiagnosticDescriptor Error(string id, string title)
        => new(id, title, "{0}", Category, DiagnosticSeverity.Error, isEnabledByDefault: true);
}
