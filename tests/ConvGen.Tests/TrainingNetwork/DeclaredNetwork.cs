using System.Collections.Generic;
using ConvGen.Shapes;
using ConvGen.Tests.Infrastructure;

namespace ConvGen.Tests.TrainingNetwork;

/// <summary>
/// A network declaration twice over: the attribute text the generator compiles, and the shape-module objects the
/// reference interprets. <see cref="NetworkBuilder"/> writes both from one call per layer so they cannot drift apart.
/// </summary>
internal sealed record DeclaredNetwork(string ClassName, string Attributes, NetworkDecl Network, IReadOnlyList<LayerDecl> Layers)
{
    /// <summary>The layer plans (throws when the declaration has shape errors).</summary>
    public IReadOnlyList<LayerPlan> Plans => ReferenceNetwork.Plan(Network, Layers);

    /// <summary>The C# file that declares the network as <c>Tests.{ClassName}</c>.</summary>
    public string Source => GeneratorHarness.Declare(Attributes, ClassName);

    public override string ToString() => ClassName + "\n" + Attributes;
}
