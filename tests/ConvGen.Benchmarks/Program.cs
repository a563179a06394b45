using System;
using System.Linq;
using BenchmarkDotNet.Running;

namespace ConvGen.Benchmarks;

/// <summary>
/// Entry point. <c>verify-onnx [--save DIR]</c> checks the ONNX Runtime peer, <c>verify-convgen</c> checks ConvGen
/// against it on the benchmark networks; anything else goes to
/// BenchmarkDotNet, e.g. <c>--filter '*'</c> or <c>--job short --filter '*Onnx*'</c>.
/// </summary>
public static class Program
{
    /// <summary>Dispatches to the ONNX verification, the training-step export or BenchmarkDotNet.</summary>
    public static int Main(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length > 0 && string.Equals(args[0], "verify-onnx", StringComparison.Ordinal))
        {
            return OnnxVerification.Run(args.Skip(1).ToArray());
        }

        if (args.Length > 0 && string.Equals(args[0], "verify-convgen", StringComparison.Ordinal))
        {
            // The check ConvGenVsOrtBenchmarks' [GlobalSetup] runs, without BenchmarkDotNet, at every benchmarked batch size:
            // throws on a mismatch.
            foreach (int batch in (int[])[1, 32])
            {
                var benchmarks = new ConvGenVsOrtBenchmarks { Batch = batch };
                benchmarks.Setup();
                benchmarks.Cleanup();
            }

            Console.WriteLine("verify-convgen: ConvGen matches ONNX Runtime on every zoo network");
            return 0;
        }

        if (args.Length > 0 && string.Equals(args[0], "training-step-save", StringComparison.Ordinal))
        {
            return TrainingStepExport.Run(args.Skip(1).ToArray());
        }

        _ = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
