using System;
using System.Collections.Generic;
using System.Linq;
using BenchmarkDotNet.Running;

namespace ConvGen.Benchmarks;

/// <summary>
/// Entry point. <c>verify-onnx [--save DIR]</c> checks the ONNX Runtime peer, <c>verify-convgen</c> checks ConvGen
/// against it on the zoo networks, <c>first-call</c> and <c>per-layer NETWORK</c> time the first calls and the layers, <c>quick-ratio</c> estimates
/// the ratios while tuning, <c>parallel</c> the speed-up of a batch split across cores
/// (README.md); anything else goes to BenchmarkDotNet, e.g. <c>--filter '*'</c> or <c>--job short --filter '*Onnx*'</c>.
/// </summary>
public static class Program
{
    // The commands that are not BenchmarkDotNet's, each with the arguments after its name.
    private static readonly Dictionary<string, Func<string[], int>> Commands = new(StringComparer.Ordinal)
    {
        ["verify-onnx"] = OnnxVerification.Run,
        ["verify-convgen"] = _ => VerifyConvGen(),
        ["first-call"] = FirstCallLatency.Run,
        [FirstCallLatency.ChildCommand] = FirstCallLatency.RunChild,
        ["per-layer"] = LayerProfile.Run,
        [LayerProfile.ChildCommand] = LayerProfile.RunChild,
        ["training-step-save"] = TrainingStepExport.Run,
        ["quick-ratio"] = QuickRatio.Run,
        ["parallel"] = QuickRatio.RunParallel,
    };

    /// <summary>Dispatches to a command of <see cref="Commands"/> or to BenchmarkDotNet.</summary>
    public static int Main(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length > 0 && Commands.TryGetValue(args[0], out Func<string[], int>? command))
        {
            return command(args.Skip(1).ToArray());
        }

        _ = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }

    // The check ConvGenVsOrtBenchmarks' [GlobalSetup] runs, without BenchmarkDotNet, at every benchmarked batch size:
    // throws on a mismatch.
    private static int VerifyConvGen()
    {
        foreach (int batch in (int[])[1, 32])
        {
            var benchmarks = new ConvGenVsOrtBenchmarks { Batch = batch };
            benchmarks.Setup();
            benchmarks.Cleanup();
        }

        Console.WriteLine("verify-convgen: ConvGen matches ONNX Runtime on every zoo network");
        return 0;
    }
}
