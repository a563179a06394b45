using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using ConvGen.Benchmarks.Onnx;

namespace ConvGen.Benchmarks;

/// <summary>
/// <c>per-layer NETWORK [--batch B] [--seconds S]</c>: where the time of one Forward goes, per generated kernel, next to
/// ONNX Runtime's per-node times for the same slots.
/// <list type="bullet">
/// <item>ConvGen: a child process (<c>per-layer-child</c>, with <c>DOTNET_PerfMapEnabled=1</c> so that perf can name
/// JIT-compiled methods) warms up, then runs Forward in a loop while <c>perf record -e cpu-clock -g</c> samples it for
/// S seconds. A sample counts for the first <c>ConvGenKernels.Layer{i}_{Kind}</c> method on its call stack, leaf first,
/// so runtime helpers a kernel calls (Gemm, copies) count for that kernel. Time per kernel = its share of the samples
/// inside Forward × the mean time per Forward measured in the same loop.</item>
/// <item>ORT: a session with <c>EnableProfiling</c>, run for about S seconds; the JSON trace's kernel times are
/// averaged per node over the runs after the first fifth, and each node is charged to the kernel whose slots created it:
/// ORT names a fused node after the first node, or (NCHWc layout) after the value the fused group produces, so a fused
/// Conv + BatchNormalization + Relu counts for the slot of its last op. Layout reorders belong to no slot.</item>
/// </list>
/// </summary>
public static class LayerProfile
{
    /// <summary>The child's command name.</summary>
    public const string ChildCommand = "per-layer-child";

    private const string ResultTag = "per-layer:";
    private static readonly Regex KernelFrame = new(@"ConvGenKernels(?:::|\.|\+)(Layer(\d+)_(\w+))", RegexOptions.CultureInvariant);
    private static readonly Regex KernelName = new(@"^Layer(\d+)_(\w+)$", RegexOptions.CultureInvariant);

    /// <summary>Profiles both engines on one network and prints the table.</summary>
    public static int Run(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Count == 0)
        {
            Console.Error.WriteLine("usage: per-layer NETWORK [--batch B] [--seconds S]; networks: " + string.Join(", ", ZooNetwork.All.Select(n => n.Name)));
            return 2;
        }

        ZooNetwork network = ZooNetwork.Find(args[0]);
        int batch = Option(args, "--batch", 1);
        int seconds = Option(args, "--seconds", 5);
        ModelWeights weights = network.CreateWeights(EnginePair.WeightSeed);
        List<Kernel> kernels = KernelsOf(network, network.CreateConvGen(weights).GetType());

        string dir = Directory.CreateTempSubdirectory("convgen-per-layer-").FullName;
        (double convGenUs, string perfNote) = ProfileConvGen(network, batch, seconds, kernels, Path.Combine(dir, "perf.data"));
        (double ortUs, double ortNodeUs, List<OrtNode> unattributed) = ProfileOrt(network, weights, batch, seconds, kernels, Path.Combine(dir, "ort"));

        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{network.Name}, batch {batch}, one thread. ConvGen: {convGenUs:N1} µs per Forward ({perfNote}). ORT: {ortUs:N1} µs per run (profiled; its node times add up to {ortNodeUs:N1} µs)."));
        Console.WriteLine();
        Console.WriteLine("| Kernel | Slots | Output | MACs | ConvGen share | ConvGen µs | ConvGen GFLOP/s | ORT nodes | ORT µs | ORT GFLOP/s | ConvGen/ORT |");
        Console.WriteLine("|---|---|---|---:|---:|---:|---:|---|---:|---:|---:|");
        foreach (Kernel k in kernels)
        {
            double us = k.Share * convGenUs;
            string ortNodes = k.OrtNodes.Count == 0 ? "-" : string.Join(" ", k.OrtNodes.Select(n => $"{n.Name}:{n.OpType}"));
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"| {k.Method} | {k.Slots} | {k.Output} | {k.Macs * batch:N0} | {k.Share:P1} | {us:N1} | {Gflops(k.Macs * batch, us)} | {ortNodes} | {k.OrtMicroseconds:N1} | {Gflops(k.Macs * batch, k.OrtMicroseconds)} | {Ratio(us, k.OrtMicroseconds)} |"));
        }

        foreach (OrtNode node in unattributed)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| (ORT only) | - | - | - | - | - | - | {node.Name}:{node.OpType} | {node.Microseconds:N1} | - | - |"));
        }

        Console.WriteLine();
        Console.WriteLine("Shares are of the perf samples inside ConvGen's Forward; \"(rest of Forward)\" is Forward's own code and whatever the JIT inlined into it.");
        Console.WriteLine("Files: " + dir);
        return 0;
    }

    /// <summary>
    /// The child: warm up, start perf on this process, run Forward until perf exits. Prints
    /// <c>per-layer: forwards seconds</c>.
    /// </summary>
    public static int RunChild(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        ZooNetwork network = ZooNetwork.Find(args[0]);
        int batch = int.Parse(args[1], CultureInfo.InvariantCulture);
        string seconds = args[2];
        string perfData = args[3];
        INetwork net = network.CreateConvGen(network.CreateWeights(EnginePair.WeightSeed));
        float[] input = SeededWeights.Uniform(ReferenceNetworks.DefaultSeed, "input", batch * net.InputSize, 1f);
        var output = new float[batch * net.OutputSize];

        long warmUp = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(warmUp).TotalSeconds < 1.5)
        {
            net.Forward(input, output, batch);
        }

        var perf = new ProcessStartInfo("perf") { UseShellExecute = false, RedirectStandardError = true };
        foreach (string a in (string[])["record", "-e", "cpu-clock", "-F", "2999", "-g", "-p", Environment.ProcessId.ToString(CultureInfo.InvariantCulture), "-o", perfData, "--", "sleep", seconds])
        {
            perf.ArgumentList.Add(a);
        }

        using Process recorder = Process.Start(perf) ?? throw new InvalidOperationException("Could not start perf.");
        long forwards = 0;
        long start = Stopwatch.GetTimestamp();
        while (!recorder.HasExited)
        {
            net.Forward(input, output, batch);
            forwards++;
        }

        double elapsed = Stopwatch.GetElapsedTime(start).TotalSeconds;
        Console.Error.Write(recorder.StandardError.ReadToEnd());
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{ResultTag} {forwards} {elapsed:R}"));
        return recorder.ExitCode;
    }

    // Runs the child under perf, reads the samples back and sets each kernel's share; returns µs per Forward and a note.
    private static (double MicrosecondsPerForward, string Note) ProfileConvGen(ZooNetwork network, int batch, int duration, List<Kernel> kernels, string perfData)
    {
        string stdout = ChildProcess.Run(
            [ChildCommand, network.Name, batch.ToString(CultureInfo.InvariantCulture), duration.ToString(CultureInfo.InvariantCulture), perfData],
            new Dictionary<string, string> { ["DOTNET_PerfMapEnabled"] = "1", ["DOTNET_EnableWriteXorExecute"] = "0" });
        string[] result = stdout.Split('\n').Single(l => l.StartsWith(ResultTag, StringComparison.Ordinal))[ResultTag.Length..]
            .Split(' ', StringSplitOptions.RemoveEmptyEntries);
        long forwards = long.Parse(result[0], CultureInfo.InvariantCulture);
        double seconds = double.Parse(result[1], CultureInfo.InvariantCulture);

        var script = new ProcessStartInfo("perf") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in (string[])["script", "-i", perfData, "-F", "ip,sym"])
        {
            script.ArgumentList.Add(a);
        }

        using Process reader = Process.Start(script) ?? throw new InvalidOperationException("Could not start perf script.");
        _ = reader.StandardError.ReadToEndAsync();
        var byMethod = new Dictionary<string, int>(StringComparer.Ordinal);
        int inForward = 0, total = 0;
        foreach (List<string> stack in Stacks(reader.StandardOutput))
        {
            total++;
            if (!stack.Any(f => f.Contains("ForwardSample", StringComparison.Ordinal)))
            {
                continue;
            }

            inForward++;
            Match? kernel = stack.Select(f => KernelFrame.Match(f)).FirstOrDefault(m => m.Success);
            string key = kernel?.Groups[1].Value ?? "(rest of Forward)";
            byMethod[key] = byMethod.GetValueOrDefault(key) + 1;
        }

        reader.WaitForExit();
        if (inForward == 0)
        {
            throw new InvalidOperationException($"No perf sample inside ForwardSample ({total} samples in all): is perf allowed to sample (perf_event_paranoid) and DOTNET_PerfMapEnabled honoured?");
        }

        kernels.Add(new Kernel("(rest of Forward)", int.MaxValue, "-", "-", 0));
        foreach (Kernel k in kernels)
        {
            k.Share = (double)byMethod.GetValueOrDefault(k.Method) / inForward;
        }

        return (seconds * 1e6 / forwards, string.Create(CultureInfo.InvariantCulture, $"{forwards:N0} Forwards in {seconds:N1} s; {inForward:N0} of {total:N0} perf samples inside Forward"));
    }

    // perf script's output: a header line per sample, then one indented line per frame, leaf first; a blank line ends it.
    private static IEnumerable<List<string>> Stacks(StreamReader output)
    {
        var frames = new List<string>();
        while (output.ReadLine() is { } line)
        {
            if (line.Length == 0)
            {
                if (frames.Count > 0)
                {
                    yield return frames;
                    frames = [];
                }
            }
            else if (char.IsWhiteSpace(line[0]))
            {
                frames.Add(line);
            }
        }

        if (frames.Count > 0)
        {
            yield return frames;
        }
    }

    // Profiles ORT and charges each node's mean time to the kernel whose slots created it; returns µs per run, the sum of
    // the node means, and the nodes no slot created.
    private static (double RunMicroseconds, double NodeMicroseconds, List<OrtNode> Unattributed) ProfileOrt(
        ZooNetwork network, ModelWeights weights, int batch, int seconds, List<Kernel> kernels, string prefix)
    {
        var nodeSlots = new Dictionary<string, int>(StringComparer.Ordinal);
        byte[] model = network.CreateOnnx(weights, batch, nodeSlots);
        string trace;
        using (var session = new OrtSession(model, prefix))
        {
            SeededWeights.Uniform(ReferenceNetworks.DefaultSeed, "input", session.Input.Length, 1f).CopyTo(session.Input, 0);
            long start = Stopwatch.GetTimestamp();
            for (int n = 0; n < 20 || (Stopwatch.GetElapsedTime(start).TotalSeconds < seconds && n < 5000); n++)
            {
                session.Run();
            }

            trace = session.EndProfiling();
        }

        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(trace));
        var events = json.RootElement.EnumerateArray().ToList();
        var runStarts = events.Where(e => Text(e, "name") == "model_run").Select(e => e.GetProperty("ts").GetInt64()).Order().ToList();
        long from = runStarts[runStarts.Count / 5];
        var runs = events.Where(e => Text(e, "name") == "model_run" && e.GetProperty("ts").GetInt64() >= from).Select(e => e.GetProperty("dur").GetDouble()).ToList();
        var nodes = events
            .Where(e => Text(e, "cat") == "Node" && Text(e, "name").EndsWith("_kernel_time", StringComparison.Ordinal) && e.GetProperty("ts").GetInt64() >= from)
            .GroupBy(e => Text(e, "name")[..^"_kernel_time".Length], StringComparer.Ordinal)
            .Select(g => new OrtNode(
                g.Key,
                g.First().TryGetProperty("args", out JsonElement a) && a.TryGetProperty("op_name", out JsonElement op) ? op.GetString() ?? "?" : "?",
                g.Sum(e => e.GetProperty("dur").GetDouble()) / runs.Count))
            .ToList();

        var unattributed = new List<OrtNode>();
        foreach (OrtNode node in nodes)
        {
            Kernel? owner = SlotOf(node.Name, nodeSlots) is int slot
                ? kernels.Where(k => k.MacsCarrier && k.FirstSlot <= slot).MaxBy(k => k.FirstSlot)
                : null;
            if (owner is null)
            {
                unattributed.Add(node);
                continue;
            }

            owner.OrtNodes.Add(node);
            owner.OrtMicroseconds += node.Microseconds;
        }

        return (runs.Average(), nodes.Sum(n => n.Microseconds), unattributed);
    }

    // The slot behind an ORT node: its own name, or for a node ORT's NCHWc pass rewrote ("Relu_3_out_nchwc"), the builder's
    // node that produced that value ("Relu_3", whose output is "Relu_3_out"): the last op of the fused group.
    private static int? SlotOf(string ortNode, Dictionary<string, int> nodeSlots)
    {
        string name = ortNode.EndsWith("_nchwc", StringComparison.Ordinal) ? ortNode[..^"_nchwc".Length] : ortNode;
        name = name.EndsWith("_out", StringComparison.Ordinal) ? name[..^"_out".Length] : name;
        return nodeSlots.TryGetValue(name, out int slot) ? slot : null;
    }

    // The generated kernels of the network, in slot order, each with the slots it computes (up to the next kernel's slot)
    // and their MACs; a padding copy shares its convolution's slot and carries no MACs.
    private static List<Kernel> KernelsOf(ZooNetwork network, Type generated)
    {
        Type kernelClass = generated.GetNestedType("ConvGenKernels", BindingFlags.NonPublic)
            ?? throw new InvalidOperationException($"{generated} has no nested ConvGenKernels class.");
        var methods = kernelClass.GetMethods(BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public)
            .Select(m => KernelName.Match(m.Name))
            .Where(m => m.Success)
            .Select(m => (Name: m.Value, Slot: int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), IsPad: m.Groups[2].Value == "Pad"))
            .DistinctBy(m => m.Name)
            .OrderBy(m => m.Slot).ThenBy(m => !m.IsPad)
            .ToList();
        var computing = methods.Where(m => !m.IsPad).ToList();
        var kernels = new List<Kernel>();
        foreach (var m in methods)
        {
            int next = computing.Where(c => c.Slot > m.Slot).Select(c => c.Slot).DefaultIfEmpty(network.Layers.Count).Min();
            IEnumerable<LayerInfo> covered = network.Layers.Skip(m.Slot).Take(next - m.Slot);
            kernels.Add(m.IsPad
                ? new Kernel(m.Name, m.Slot, m.Slot.ToString(CultureInfo.InvariantCulture), "padded copy", 0)
                : new Kernel(m.Name, m.Slot, next - 1 > m.Slot ? $"{m.Slot}-{next - 1}" : m.Slot.ToString(CultureInfo.InvariantCulture), network.Layers[next - 1].OutputShape, covered.Sum(l => l.Macs)) { MacsCarrier = true });
        }

        return kernels;
    }

    private static string Text(JsonElement e, string property) =>
        e.TryGetProperty(property, out JsonElement v) && v.ValueKind == JsonValueKind.String ? v.GetString() ?? string.Empty : string.Empty;

    private static string Gflops(long macs, double microseconds) =>
        macs > 0 && microseconds > 0 ? (2.0 * macs / (microseconds * 1000)).ToString("F1", CultureInfo.InvariantCulture) : "-";

    private static string Ratio(double convGen, double ort) =>
        convGen > 0 && ort > 0 ? (convGen / ort).ToString("F2", CultureInfo.InvariantCulture) : "-";

    private static int Option(IReadOnlyList<string> args, string name, int fallback)
    {
        int i = args.ToList().IndexOf(name);
        return i >= 0 && i + 1 < args.Count ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private sealed record OrtNode(string Name, string OpType, double Microseconds);

    private sealed class Kernel(string method, int firstSlot, string slots, string output, long macs)
    {
        public string Method { get; } = method;

        public int FirstSlot { get; } = firstSlot;

        public string Slots { get; } = slots;

        public string Output { get; } = output;

        public long Macs { get; } = macs;

        // Whether ORT nodes of this kernel's slots are charged to it (not to the padding copy that shares its slot).
        public bool MacsCarrier { get; init; }

        public double Share { get; set; }

        public List<OrtNode> OrtNodes { get; } = [];

        public double OrtMicroseconds { get; set; }
    }
}
