using Microsoft.CodeAnalysis;

namespace ConvGen.Generator.Model;

/// <summary>A diagnostic kept as data until the generator's output step turns it into a <see cref="Diagnostic"/>.</summary>
internal sealed record DiagnosticInfo(string Id, LocationInfo? Location, string Message, Shapes.FindingSeverity Severity = Shapes.FindingSeverity.Error)
{
    public Diagnostic ToDiagnostic() => Diagnostic.Create(
        Diagnostics.DiagnosticDescriptors.ById(Id),
        Location?.ToLocation(),
        Message);
}
