using System;
using System.Collections.Generic;
using ConvGen.Shapes;
using ConvGen.Tests.Infrastructure;
using Xunit;

namespace ConvGen.Tests.Forward;

/// <summary>
/// The vector convolution falls back to one column at a time when <c>Vector&lt;float&gt;</c> is wider than a row's
/// interior (16 lanes and 8 to 15 interior columns). <c>Vector&lt;float&gt;</c> is 8 lanes in the test process
/// even on AVX-512 hardware, so that path never runs there. This test compiles a network into a small program and
/// runs it in a child process with <c>DOTNET_MaxVectorTBitWidth=512</c>; on AVX-512 hardware the child has 16 lanes
/// and every convolution below takes the fallback (elsewhere it checks the ordinary vector path once more).
/// </summary>
public sealed class WideVectorForwardTests
{
    /// <summary>Every convolution has 10 interior columns (stride 1) and a different fused activation.</summary>
    private const string Attributes = """
        [Network(2, 4, 12)]
        [Conv2d(4, 3), Tanh]
        [Conv2d(4, 1, Groups = 2), LeakyReLU(NegativeSlope = 0.2)]
        [Conv2d(3, 1), Sigmoid]
        [Conv2d(4, 3, Padding = 1), ReLU6]
        [Conv2d(4, 1), SiLU]
        [Conv2d(2, 1), ReLU]
        """;

    [Fact]
    public void Vector_convolutions_match_the_reference_with_512_bit_vectors()
    {
        var network = new NetworkDecl(2, 4, 12, 2, false, 20000);
        var layers = new[]
        {
            Conv(4, 3, 0), Act(LayerKind.Tanh),
            Conv(4, 1, 0) with { Groups = 2 }, Act(LayerKind.LeakyReLU) with { NegativeSlope = 0.2 },
            Conv(3, 1, 0), Act(LayerKind.Sigmoid),
            Conv(4, 3, 1), Act(LayerKind.ReLU6),
            Conv(4, 1, 0), Act(LayerKind.SiLU),
            Conv(2, 1, 0), Act(LayerKind.ReLU),
        };
        var plans = ReferenceNetwork.Plan(network, layers);
        var weights = ReferenceNetwork.CreateWeights(plans, 23);
        const int Batch = 2;
        var input = ReferenceNetwork.RandomInput(23, Batch * network.InputShape.Size);
        var expected = ReferenceNetwork.Run(network, plans, weights, input, Batch);

        var (outputs, lanes) = ChildProcessNetworks.Run(
            new[] { new ChildProcessNetworks.Job(Attributes, weights, input) },
            new Dictionary<string, string> { ["DOTNET_MaxVectorTBitWidth"] = "512" });
        TiledConvolutionTests.AssertClose(expected, outputs[0], $"Vector<float> with {lanes} lanes in the child process");
    }

    private static LayerDecl Conv(int outChannels, int kernel, int padding) => ContractDecls.Conv2d(outChannels, kernel, padding) with { PaddingGiven = padding > 0 };

    private static LayerDecl Act(LayerKind kind) => new() { Kind = kind, AttributeName = kind.ToString() };
}
