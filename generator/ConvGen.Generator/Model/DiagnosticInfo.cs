using ConvGen.Shapes;

namespace ConvGen.Generator.Model;

/// <summary>
/// A finding about a declaration, kept as data: the analyzers turn it into a Diagnostic; the generator only
/// asks whether any is an error (then it emits a stub instead of kernels).
/// </summary>
internal sealed record DiagnosticInfo(string Id, LocationInfo? Location, string Message, FindingSeverity Severity = FindingSeverity.Error)
{
    /// <summary>What a code fix needs, as "key=value;key=value" (see <see cref="ShapeFinding.FixData"/>).</summary>
    public string? FixData { get; init; }
}
