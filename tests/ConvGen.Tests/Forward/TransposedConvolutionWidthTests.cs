using System;
using System.Collections.Generic;
using ConvGen.Tests.Infrastructure;
using Xunit;

namespace ConvGen.Tests.Forward;

/// <summary>
/// The phase-gather transposed convolution at the vector widths the test process never has: random layers of
/// <see cref="TransposedConvolutionTests"/> compiled into one program and run in a child process with 4-lane vectors
/// (<c>DOTNET_EnableAVX=0</c>) and with 16-lane vectors (<c>DOTNET_MaxVectorTBitWidth=512</c>; on hardware without
/// AVX-512 the child has 8 lanes and the messages say so). Tiles are chosen for 8 lanes, so these runs exercise the
/// overlapping steps, the scratch rows and the interleave at other widths.
/// </summary>
public sealed class TransposedConvolutionWidthTests
{
    private const int Layers = 12;
    private const int Batch = 2;

    [Theory]
    [InlineData("DOTNET_EnableAVX=0")]
    [InlineData("DOTNET_MaxVectorTBitWidth=512")]
    public void The_phase_gather_matches_the_reference_at_another_vector_width(string setting)
    {
        var jobs = new List<ChildProcessNetworks.Job>();
        var expected = new List<float[]>();
        var declarations = new List<string>();
        for (int seed = 1; seed <= Layers; seed++)
        {
            var layer = TransposedConvolutionTests.RandomTransposedConv.Draw(new Random(seed + 500));
            var plans = ReferenceNetwork.Plan(layer.Network, layer.Layers);
            var weights = ReferenceNetwork.CreateWeights(plans, seed);
            var x = ReferenceNetwork.RandomInput(seed, Batch * layer.Network.InputShape.Size);
            jobs.Add(new ChildProcessNetworks.Job(layer.Attributes, weights, x));
            expected.Add(ReferenceNetwork.Run(layer.Network, plans, weights, x, Batch));
            declarations.Add(layer.Attributes);
        }

        string[] pair = setting.Split('=');
        (float[][] Outputs, int Lanes) run;
        using (TransposedConvolutionTests.Force(TransposedConvolutionTests.Gather))
        {
            run = ChildProcessNetworks.Run(jobs, new Dictionary<string, string> { [pair[0]] = pair[1] });
        }

        Assert.True(pair[0] != "DOTNET_EnableAVX" || run.Lanes == 4, $"expected 4 lanes with {setting}, the child had {run.Lanes}");
        for (int j = 0; j < jobs.Count; j++)
        {
            TiledConvolutionTests.AssertClose(expected[j], run.Outputs[j], $"phase gather, {run.Lanes} lanes ({setting}):\n{declarations[j]}");
        }
    }
}
