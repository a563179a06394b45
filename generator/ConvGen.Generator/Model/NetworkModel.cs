using System.Linq;
using ConvGen.Shapes;

namespace ConvGen.Generator.Model;

/// <summary>
/// Everything the emitter needs for one network, as plain equatable data: no ISymbol, Compilation,
/// SyntaxNode or Location may live here (or in anything it holds), or the incremental pipeline stops
/// caching and every keystroke regenerates every network. A test walks this graph to enforce it.
/// </summary>
/// <param name="Namespace">The containing namespace, or "" for the global namespace.</param>
/// <param name="TypeName">The partial class's name as C# source (a keyword gets its '@').</param>
/// <param name="HintName">The generated file's name, "{Namespace}.{Type}.g.cs" without '@'.</param>
/// <param name="Accessibility">"public" or "internal", as declared.</param>
/// <param name="Network">The network attribute.</param>
/// <param name="Layers">The layers in execution order.</param>
/// <param name="Diagnostics">Why this network cannot be compiled; empty when it can.</param>
internal sealed record NetworkModel(
    string Namespace,
    string TypeName,
    string HintName,
    string Accessibility,
    NetworkDecl Network,
    EquatableArray<LayerDecl> Layers,
    EquatableArray<DiagnosticInfo> Diagnostics)
{
    /// <summary>Whether any diagnostic is an error: then no kernel is emitted.</summary>
    public bool HasErrors => Diagnostics.Any(d => d.Severity == Shapes.FindingSeverity.Error);
}
