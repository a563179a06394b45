using System;
using System.Collections.Generic;
using System.Linq;
using ConvGen.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Xunit;

namespace ConvGen.Tests.Generator;

/// <summary>
/// The alignment CG0004 uses (docs/diagnostics/CG0004.md), checked on the compiled networks rather than on paper:
/// the causal networks the analyzer accepts get kernels, and no output step changes when an input later than the
/// step's own time changes. A convolution's output j stands at input j·s; an unpadded pool's at the end of its
/// window, j·s + k − 1; an upsampling layer's output o at input time o/s.
/// </summary>
public sealed class CausalNetworkTests
{
    private const int Length = 24;

    [Theory]
    // Causal convolution (t), then MaxPool1d(2): output j covers conv outputs 2j, 2j + 1 and stands at 2j + 1.
    [InlineData("[Conv1d(2, 3, Pad = Pad.Causal), MaxPool1d(2)]", 2.0, 1.0)]
    // AvgPool1d(2) at 2j + 1; a causal convolution keeps that grid; MaxPool1d(3) covers its steps 3m … 3m + 2: 2(3m + 2) + 1.
    [InlineData("[Conv1d(2, 3, Pad = Pad.Causal), AvgPool1d(2), Conv1d(2, 2, Pad = Pad.Causal), MaxPool1d(3)]", 6.0, 5.0)]
    // A padding that reaches k − 1 (window 2j − 1 … 2j) stands at 2j like a causal convolution.
    [InlineData("[MaxPool1d(2, Padding = 1), Conv1d(2, 3, Pad = Pad.Causal)]", 2.0, 0.0)]
    // An unpadded transposed convolution and nearest upsampling, 4 outputs per input: output o stands at o/4.
    [InlineData("[Conv1d(2, 3, Pad = Pad.Causal), ConvTranspose1d(2, 3, Stride = 2), Upsample(2)]", 0.25, 0.0)]
    public void An_accepted_causal_network_reads_no_input_after_an_output_steps_time(string layers, double jump, double offset)
    {
        string attributes = $"[Network(1, {Length}, Causal = true)]\n{layers}";
        var result = GeneratorHarness.Run(GeneratorHarness.Declare(attributes));
        Assert.DoesNotContain(result.AnalyzerDiagnostics, d => d.Severity == DiagnosticSeverity.Error);
        Assert.Contains(result.AnalyzerDiagnostics, d => d.Id == "CG0014");
        Assert.True(GeneratorRuns.IsKernels(result.Sources["Tests.Net.g.cs"]), "a causal network without CG0004 gets kernels");

        var (late, reached) = Probe(GeneratorHarness.Build(attributes), channels: 2, jump, offset);
        Assert.True(late.Count == 0, "outputs that changed with a later input:\n" + string.Join("\n", late));
        Assert.True(reached > Length, "the probe must see outputs change, or it checks nothing");
    }

    [Fact]
    public void The_probe_sees_a_padded_pool_read_ahead()
    {
        // The control: without Causal = true the padded pool compiles, and its output t (at t) reads input t + 1.
        var (late, _) = Probe(GeneratorHarness.Build($"[Network(1, {Length})]\n[MaxPool1d(3, Stride = 1, Padding = 1)]"), channels: 1, 1.0, 0.0);
        Assert.Contains("output 4 (time 4) changed with input 5", late);
    }

    /// <summary>Raises each input in turn and lists the output steps j that changed although jump·j + offset is before it.</summary>
    private static (List<string> Late, int Reached) Probe(INetwork network, int channels, double jump, double offset)
    {
        var random = new Random(7);
        var input = Enumerable.Range(0, network.InputSize).Select(_ => (float)random.NextDouble()).ToArray();
        var baseline = new float[network.OutputSize];
        network.Forward(input, baseline, 1);
        int steps = network.OutputSize / channels;
        var late = new List<string>();
        int reached = 0;
        var output = new float[network.OutputSize];
        for (int t = 0; t < Length; t++)
        {
            var raised = (float[])input.Clone();
            raised[t] += 100f; // one channel: sample t; large enough to change every max it takes part in
            network.Forward(raised, output, 1);
            for (int i = 0; i < output.Length; i++)
            {
                if (output[i] == baseline[i])
                {
                    continue;
                }

                reached++;
                int j = i % steps;
                double time = (jump * j) + offset;
                if (time < t - 1e-9)
                {
                    late.Add(FormattableString.Invariant($"output {j} (time {time}) changed with input {t}"));
                }
            }
        }

        return (late, reached);
    }
}
