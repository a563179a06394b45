using System;
using System.Collections.Generic;
using System.Linq;
using ConvGen.Tests.Infrastructure;
using Xunit;

namespace ConvGen.Tests.Forward;

/// <summary>
/// The tiled convolution kernels at the vector widths the test process never has: each tile form of
/// <see cref="TiledConvolutionTests"/> is forced on random layers, compiled into one program and run in a child process
/// with 4-lane vectors (<c>DOTNET_EnableAVX=0</c>, any x64 machine) and with 16-lane vectors
/// (<c>DOTNET_MaxVectorTBitWidth=512</c>; on hardware without AVX-512 the child has 8 lanes and the test says so in its
/// assertion messages). The tiles are chosen for 8 lanes, so these runs exercise the overlapping steps, the padded
/// weight rows and the workspace slack at other widths.
/// </summary>
public sealed class TiledConvolutionWidthTests
{
    private const int LayersPerForm = 4;

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (string form in TiledConvolutionTests.FormNames)
        {
            data.Add(form, "DOTNET_EnableAVX=0");
            data.Add(form, "DOTNET_MaxVectorTBitWidth=512");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_forced_tile_matches_the_reference_at_another_vector_width(string form, string setting)
    {
        var jobs = new List<ChildProcessNetworks.Job>();
        var expected = new List<float[]>();
        var declarations = new List<string>();
        const int Batch = 2;
        for (int seed = 1; seed <= LayersPerForm; seed++)
        {
            var layer = TiledConvolutionTests.Draw(form, seed + 100);
            var type = GeneratorHarness.CompileAndLoad(GeneratorHarness.Declare(layer.Declaration)).GetType("Tests.Net", throwOnError: true)!;
            var weights = GeneratorHarness.CreateWeights(type, seed);
            var net = (INetwork)Activator.CreateInstance(type, weights)!;
            var x = ReferenceNetwork.RandomInput(seed, Batch * net.InputSize);
            jobs.Add(new ChildProcessNetworks.Job(layer.Declaration, weights, x));
            expected.Add(layer.Reference(x, Batch, weights["0.weight"].Data, weights.TryGet("0.bias", out var b) ? b.Data : null));
            declarations.Add(layer.Declaration);
        }

        string[] pair = setting.Split('=');
        (float[][] Outputs, int Lanes) run;
        using (TiledConvolutionTests.ForceForm(form))
        {
            run = ChildProcessNetworks.Run(jobs, new Dictionary<string, string> { [pair[0]] = pair[1] });
        }

        Assert.True(pair[0] != "DOTNET_EnableAVX" || run.Lanes == 4, $"expected 4 lanes with {setting}, the child had {run.Lanes}");
        for (int j = 0; j < jobs.Count; j++)
        {
            TiledConvolutionTests.AssertClose(expected[j], run.Outputs[j], $"{form}, {run.Lanes} lanes ({setting}):\n{declarations[j]}");
        }
    }
}
