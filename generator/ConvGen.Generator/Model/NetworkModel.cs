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
    /// <summary>
    /// Whether the class itself can take generated members (partial, top-level, non-generic, not a record).
    /// When it can but the layers have errors, the generator emits a stub whose members throw, so the user
    /// sees the analyzer's errors rather than a cascade of "missing member" errors.
    /// </summary>
    public bool TypeUsable { get; init; } = true;

    /// <summary>Whether any diagnostic is an error: then no kernel is emitted.</summary>
    public bool HasErrors { get; init; }

    /// <summary>The first error's message (no location: it survives edits that only move the class), for the stub.</summary>
    public string? FirstError { get; init; }

    /// <summary>
    /// The model without its diagnostics, for the output step: their source spans move with every edit above
    /// the class, and the generator does not report them (the analyzers do), so they must not invalidate the
    /// cached output.
    /// </summary>
    public NetworkModel WithoutDiagnostics() => this with { Diagnostics = EquatableArray<DiagnosticInfo>.Empty };
}
