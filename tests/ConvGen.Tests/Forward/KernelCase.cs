using System.Collections.Generic;
using ConvGen.Shapes;

namespace ConvGen.Tests.Forward;

/// <summary>
/// A small network for one kernel, in both forms: attribute lines for the generator and declarations for
/// <see cref="Infrastructure.ReferenceNetwork"/>. <see cref="Strategy"/> is the start of the "// Strategy: " comment
/// the kernel must carry; <see cref="Special"/> inputs include NaN, ±∞ and ±0.
/// </summary>
internal sealed record KernelCase(string Name, string Attributes, NetworkDecl Network, IReadOnlyList<LayerDecl> Layers, string Strategy, bool Special)
{
    public override string ToString() => Name;
}
