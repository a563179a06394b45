using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;

namespace ConvGen.Benchmarks;

/// <summary>
/// <c>quick-ratio [NETWORK...] [--batch N]</c>: a fast estimate of ConvGen time / ORT time per zoo network while a
/// kernel is being tuned, not a published number (that is BenchmarkDotNet's). Both engines run in alternating rounds
/// of about 50 ms each, so a burst of load on a shared machine hits both; each engine's time is the median of its
/// rounds' means.
/// </summary>
internal static class QuickRatio
{
    private const int Rounds = 15;

    public static int Run(string[] args)
    {
        var (networks, batch) = Arguments(args, defaultBatch: 1);
        Console.WriteLine($"{"network",-22} {"ORT us",10} {"ConvGen us",11} {"ratio",6}   (batch {batch}, median of {Rounds} alternating rounds)");
        foreach (ZooNetwork network in networks)
        {
            using var pair = new EnginePair(network, batch);
            _ = pair.Verify();
            double ort = Median(pair.RunOrt, pair.RunConvGen, out double convGen);
            Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "{0,-22} {1,10:F1} {2,11:F1} {3,6:F2}", network.Name, ort, convGen, convGen / ort));
        }

        return 0;
    }

    /// <summary>
    /// <c>parallel [NETWORK...] [--batch N]</c>: ConvGen alone, the batch (32 by default) on one core against the same
    /// batch split across every core, in alternating rounds; prints both times, the speed-up and the cores the split run
    /// kept busy (process CPU time / wall time).
    /// </summary>
    public static int RunParallel(string[] args)
    {
        var (networks, batch) = Arguments(args, defaultBatch: 32);
        int cores = Environment.ProcessorCount;
        Console.WriteLine($"{"network",-30} {"1 core us",10} {cores + " cores us",10} {"speed-up",8} {"busy",5}   (batch {batch}, median of {Rounds} alternating rounds)");
        foreach (ZooNetwork network in networks)
        {
            var weights = network.CreateWeights(EnginePair.WeightSeed);
            INetwork one = network.CreateConvGen(weights, 1), all = network.CreateConvGen(weights, cores);
            var input = new float[batch * one.InputSize];
            for (int i = 0; i < input.Length; i++)
            {
                input[i] = (i % 13) * 0.07f;
            }

            var output = new float[batch * one.OutputSize];
            float RunOne()
            {
                one.Forward(input, output, batch);
                return output[0];
            }

            float RunAll()
            {
                all.Forward(input, output, batch);
                return output[0];
            }

            double single = Median(RunOne, RunAll, out double split);
            var process = Process.GetCurrentProcess();
            TimeSpan cpu = process.TotalProcessorTime;
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < 20; i++)
            {
                _ = RunAll();
            }

            double wall = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            process.Refresh();
            double busy = (process.TotalProcessorTime - cpu).TotalMilliseconds / wall;
            Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "{0,-30} {1,10:F1} {2,10:F1} {3,8:F2} {4,5:F2}", network.Name, single, split, single / split, busy));
        }

        return 0;
    }

    // The networks named (all when none is) and the --batch value.
    private static (IReadOnlyList<ZooNetwork> Networks, int Batch) Arguments(string[] args, int defaultBatch)
    {
        int batch = defaultBatch;
        var names = new List<string>();
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--batch" && i + 1 < args.Length)
            {
                batch = int.Parse(args[++i], CultureInfo.InvariantCulture);
            }
            else
            {
                names.Add(args[i]);
            }
        }

        return (names.Count == 0 ? ZooNetwork.All : names.Select(ZooNetwork.Find).ToList(), batch);
    }

    // Median microseconds per call of a and (through other) of b, measured in alternating rounds.
    private static double Median(Func<float> a, Func<float> b, out double other)
    {
        int callsA = Calibrate(a), callsB = Calibrate(b);
        var timesA = new double[Rounds];
        var timesB = new double[Rounds];
        for (int r = 0; r < Rounds; r++)
        {
            timesA[r] = Time(a, callsA);
            timesB[r] = Time(b, callsB);
        }

        Array.Sort(timesA);
        Array.Sort(timesB);
        other = timesB[Rounds / 2];
        return timesA[Rounds / 2];
    }

    // Calls per round of about 50 ms, after a warm-up.
    private static int Calibrate(Func<float> run)
    {
        var watch = Stopwatch.StartNew();
        int calls = 0;
        while (watch.ElapsedMilliseconds < 200)
        {
            _ = run();
            calls++;
        }

        return Math.Max(1, calls / 4);
    }

    private static double Time(Func<float> run, int calls)
    {
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < calls; i++)
        {
            _ = run();
        }

        return Stopwatch.GetElapsedTime(start).TotalMicroseconds / calls;
    }
}
