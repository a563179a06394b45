using System.Collections.Generic;
using System.Linq;
using ConvGen.Tests.Infrastructure;
using Xunit;

namespace ConvGen.Tests.Forward;

/// <summary>
/// The pooling, element-wise and resampling kernels again, with 128-bit vectors: <c>DOTNET_EnableAVX=0</c> gives a
/// child process 4-lane <c>Vector&lt;float&gt;</c> on any x64 machine (Arm64 has 4 lanes anyway), so the SSE shuffles, rows of 4 to 7 columns that
/// now fill a vector, and the overlapping last step at another width all run (the test process has 8 lanes). Every
/// case of <see cref="KernelCases"/> is compiled into one program and compared with the reference network.
/// </summary>
public sealed class NarrowVectorForwardTests
{
    [Fact]
    public void Kernels_match_the_reference_with_128_bit_vectors()
    {
        var cases = KernelCases.All.ToList();
        var jobs = new List<ChildProcessNetworks.Job>();
        var expected = new List<float[]>();
        foreach (var k in cases)
        {
            var plans = ReferenceNetwork.Plan(k.Network, k.Layers);
            var weights = ReferenceNetwork.CreateWeights(plans, 7);
            var input = KernelCases.Input(k, 7);
            jobs.Add(new ChildProcessNetworks.Job(k.Attributes, weights, input));
            expected.Add(ReferenceNetwork.Run(k.Network, plans, weights, input, KernelCases.Batch));
        }

        var (outputs, lanes) = ChildProcessNetworks.Run(jobs, new Dictionary<string, string> { ["DOTNET_EnableAVX"] = "0" });
        Assert.Equal(4, lanes);
        for (int j = 0; j < cases.Count; j++)
        {
            KernelCases.AssertClose(cases[j], expected[j], outputs[j], " (4-lane vectors)");
        }
    }
}
