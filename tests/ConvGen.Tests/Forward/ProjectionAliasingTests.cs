using System;
using System.Collections.Generic;
using ConvGen.Shapes;
using ConvGen.Tests.Infrastructure;
using Xunit;

namespace ConvGen.Tests.Forward;

/// <summary>
/// <c>Add(Projection = true)</c> whose saved tensor is the very tensor it adds to (Save directly before it, or with
/// only kernel-less layers between). Found by <see cref="RandomizedForwardTests"/> (seeds 22 and 47): the projection
/// reads every channel of the saved tensor at each position, so its output must not overwrite that tensor in place.
/// </summary>
public sealed class ProjectionAliasingTests
{
    public static TheoryData<string> Cases() => new(Declarations.Keys);

    private static readonly Dictionary<string, (string Text, NetworkDecl Network, LayerDecl[] Layers)> Declarations = new(StringComparer.Ordinal)
    {
        ["save-then-projection"] = (
            "[Network(2, 6, 6)]\n[Conv2d(4, 3, Padding = 1)]\n[Save(\"s\")]\n[Add(\"s\", Projection = true)]",
            new NetworkDecl(2, 6, 6, 2, false, 20000),
            new[] { Conv(), ContractDecls.Save("s"), Projection() }),
        ["save-identity-projection"] = (
            "[Network(2, 6, 6)]\n[Conv2d(4, 3, Padding = 1)]\n[Save(\"s\")]\n[Identity, Dropout]\n[Add(\"s\", Projection = true)]",
            new NetworkDecl(2, 6, 6, 2, false, 20000),
            new[] { Conv(), ContractDecls.Save("s"), ContractDecls.Plain(LayerKind.Identity, "Identity"), ContractDecls.Plain(LayerKind.Dropout, "Dropout"), Projection() }),
        ["save-relu-projection (control: a kernel between)"] = (
            "[Network(2, 6, 6)]\n[Conv2d(4, 3, Padding = 1)]\n[Save(\"s\")]\n[ReLU]\n[Add(\"s\", Projection = true)]",
            new NetworkDecl(2, 6, 6, 2, false, 20000),
            new[] { Conv(), ContractDecls.Save("s"), ContractDecls.Plain(LayerKind.ReLU, "ReLU"), Projection() }),
        ["nhwc-input-saved-then-projection"] = (
            "[Network(3, 10, Layout = TensorLayout.Nhwc)]\n[Save(\"s\")]\n[Add(\"s\", Projection = true)]",
            new NetworkDecl(3, 1, 10, 1, true, 20000),
            new[] { ContractDecls.Save("s"), Projection() }),
        ["nchw-input-saved-then-projection (control: the caller's span is never written)"] = (
            "[Network(3, 5, 5)]\n[Save(\"s\")]\n[Add(\"s\", Projection = true)]",
            new NetworkDecl(3, 5, 5, 2, false, 20000),
            new[] { ContractDecls.Save("s"), Projection() }),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Projection_of_the_current_tensor_matches_the_reference(string name)
    {
        var (text, network, layers) = Declarations[name];
        var plans = ReferenceNetwork.Plan(network, layers);
        var weights = ReferenceNetwork.CreateWeights(plans, 3);
        const int Batch = 2;
        var input = ReferenceNetwork.RandomInput(3, Batch * network.InputShape.Size);
        var expected = ReferenceNetwork.Run(network, plans, weights, input, Batch);

        var net = GeneratorHarness.Build(text, weights);
        var actual = new float[Batch * net.OutputSize];
        net.Forward(input, actual, Batch);

        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < actual.Length; i++)
        {
            double e = expected[i];
            Assert.True(
                Math.Abs(actual[i] - e) <= 1e-4 * Math.Max(1.0, Math.Abs(e)),
                $"{name}: output[{i}] = {actual[i]:R}, reference {e:R}\n{text}");
        }
    }

    private static LayerDecl Conv() => ContractDecls.Conv2d(4, 3, padding: 1) with { PaddingGiven = true };

    private static LayerDecl Projection() => new() { Kind = LayerKind.Add, AttributeName = "Add", TensorName = "s", Projection = true };
}
