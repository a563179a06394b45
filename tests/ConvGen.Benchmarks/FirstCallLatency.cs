using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using ConvGen.Benchmarks.Onnx;

namespace ConvGen.Benchmarks;

/// <summary>
/// <c>first-call [NETWORK ...]</c>: how long the first calls take before the code is warm. The JIT's tiering state
/// belongs to a process, so every (network, engine) pair is measured in a fresh process (this program, started again as
/// <c>first-call-child NETWORK ENGINE</c>) that builds the engine, then times call 1, 2, ..., 10 one by one and the
/// steady state: the median of single calls after about a second of warm-up. Batch 1, one thread. The harness's lambda
/// and timing method are compiled before call 1, so that call 1 holds only the engine's own first-call cost.
/// </summary>
public static class FirstCallLatency
{
    /// <summary>The child's command name.</summary>
    public const string ChildCommand = "first-call-child";

    private const string ResultTag = "first-call:";
    private static readonly string[] Engines = ["ConvGen", "ORT"];

    /// <summary>Measures every named network (all zoo networks without names) and prints the table.</summary>
    public static int Run(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        IReadOnlyList<ZooNetwork> networks = args.Count == 0 ? ZooNetwork.All : [.. args.Select(ZooNetwork.Find)];
        Console.WriteLine("First-call latency, batch 1, one thread; each row is a fresh process. Times in microseconds.");
        Console.WriteLine("Build: ConvGen's constructor (checks and copies the weights, folds BatchNorm) or ORT's session creation from the model bytes.");
        Console.WriteLine();
        Console.WriteLine("| Network | Engine | Build | Call 1 | Call 2 | Call 10 | Steady (median) | Call 1 / steady |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|");
        foreach (ZooNetwork network in networks)
        {
            foreach (string engine in Engines)
            {
                string output = ChildProcess.Run([ChildCommand, network.Name, engine]);
                string line = output.Split('\n').Single(l => l.StartsWith(ResultTag, StringComparison.Ordinal));
                double[] t = [.. line[ResultTag.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(v => double.Parse(v, CultureInfo.InvariantCulture))];
                Console.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"| {network.Name} | {engine} | {t[0]:N1} | {t[1]:N1} | {t[2]:N1} | {t[3]:N1} | {t[4]:N1} | {t[1] / t[4]:N1}x |"));
            }
        }

        return 0;
    }

    /// <summary>
    /// The child: one engine of one network. Prints <c>first-call: build call1 call2 call10 steady</c> in microseconds.
    /// </summary>
    public static int RunChild(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        ZooNetwork network = ZooNetwork.Find(args[0]);
        ModelWeights weights = network.CreateWeights(EnginePair.WeightSeed);
        bool convGen = string.Equals(args[1], "ConvGen", StringComparison.Ordinal);

        // Everything the timed part needs is made first, so the timings hold only building and calling the engine.
        var input = SeededWeights.Uniform(ReferenceNetworks.DefaultSeed, "input", network.Spec.InputShape.Aggregate(1, (a, d) => a * d), 1f);
        byte[]? model = convGen ? null : network.CreateOnnx(weights, batch: 1);
        long start = Stopwatch.GetTimestamp();
        (Action call, IDisposable? owned) = convGen ? BuildConvGen(network, weights, input) : BuildOrt(model!, input);
        double build = Stopwatch.GetElapsedTime(start).TotalMicroseconds;

        // The harness's own call path (the delegate's lambda, Time) is compiled before the first timed call: JIT-compiling
        // the lambda alone took 0.1-0.7 ms here, which is the caller's cost, not the engine's.
        System.Runtime.CompilerServices.RuntimeHelpers.PrepareMethod(call.Method.MethodHandle);
        Time(static () => { });
        var first = new double[10];
        for (int i = 0; i < first.Length; i++)
        {
            first[i] = Time(call);
        }

        double steady = Steady(call);
        owned?.Dispose();
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{ResultTag} {build:R} {first[0]:R} {first[1]:R} {first[9]:R} {steady:R}"));
        return 0;
    }

    // Separate methods, so that the ConvGen child never touches ONNX Runtime's types.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static (Action Call, IDisposable? Owned) BuildConvGen(ZooNetwork network, ModelWeights weights, float[] input)
    {
        INetwork net = network.CreateConvGen(weights);
        var output = new float[net.OutputSize];
        return (() => net.Forward(input, output, 1), null);
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static (Action Call, IDisposable? Owned) BuildOrt(byte[] model, float[] input)
    {
        var session = new OrtSession(model);
        input.CopyTo(session.Input, 0);
        return (session.Run, session);
    }

    // About a second of calls (at least 50) to let tiered compilation finish, then the median of single calls over about
    // another second (at least 50).
    private static double Steady(Action call)
    {
        long warmUp = Stopwatch.GetTimestamp();
        for (int n = 0; n < 50 || Stopwatch.GetElapsedTime(warmUp).TotalSeconds < 1; n++)
        {
            call();
        }

        var times = new List<double>();
        long measure = Stopwatch.GetTimestamp();
        while (times.Count < 50 || Stopwatch.GetElapsedTime(measure).TotalSeconds < 1)
        {
            times.Add(Time(call));
        }

        times.Sort();
        return times[times.Count / 2];
    }

    private static double Time(Action call)
    {
        long start = Stopwatch.GetTimestamp();
        call();
        return Stopwatch.GetElapsedTime(start).TotalMicroseconds;
    }
}
