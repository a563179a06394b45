using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Xunit;

namespace ConvGen.Tests.Infrastructure;

/// <summary>
/// Runs generated networks in a child process whose JIT sees other environment variables than the test process:
/// <c>DOTNET_MaxVectorTBitWidth=512</c> (16-lane <c>Vector&lt;float&gt;</c> on AVX-512 hardware) or
/// <c>DOTNET_EnableAVX=0</c> (4 lanes on any x64 machine), so vector kernels run at widths the test process never has.
/// The networks (classes Tests.Net0, Tests.Net1, …) and a small Main are compiled into one console application; each
/// network reads its weights (safetensors) and batch input from files and writes its output to a file.
/// </summary>
internal static class ChildProcessNetworks
{
    /// <summary>One network to run: its attribute lines, weights and input (batch inferred from the input length).</summary>
    public sealed record Job(string Attributes, ModelWeights Weights, float[] Input);

    /// <summary>Runs every job in one child process; returns each job's output and the child's <c>Vector&lt;float&gt;.Count</c>.</summary>
    public static (float[][] Outputs, int Lanes) Run(IReadOnlyList<Job> jobs, IReadOnlyDictionary<string, string> environment)
    {
        string dir = Path.Combine(Path.GetTempPath(), "convgen-child-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            string app = Path.Combine(dir, "ChildNet.dll");
            Emit(jobs, app);
            File.Copy(typeof(NetworkAttribute).Assembly.Location, Path.Combine(dir, Path.GetFileName(typeof(NetworkAttribute).Assembly.Location)));
            string release = string.Create(CultureInfo.InvariantCulture, $"{Environment.Version.Major}.{Environment.Version.Minor}");
            File.WriteAllText(
                Path.Combine(dir, "ChildNet.runtimeconfig.json"),
                "{\"runtimeOptions\":{\"tfm\":\"net" + release + "\",\"framework\":{\"name\":\"Microsoft.NETCore.App\",\"version\":\"" + release + ".0\"}}}");

            var start = new ProcessStartInfo(DotnetHost())
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add(app);
            for (int j = 0; j < jobs.Count; j++)
            {
                string weights = Path.Combine(dir, $"weights{j}.safetensors"), input = Path.Combine(dir, $"input{j}.bin");
                jobs[j].Weights.SaveSafetensors(weights);
                File.WriteAllBytes(input, System.Runtime.InteropServices.MemoryMarshal.AsBytes(jobs[j].Input.AsSpan()).ToArray());
                start.ArgumentList.Add(weights);
                start.ArgumentList.Add(input);
                start.ArgumentList.Add(Path.Combine(dir, $"output{j}.bin"));
            }

            foreach (var (name, value) in environment)
            {
                start.Environment[name] = value;
            }

            using var child = Process.Start(start)!;
            var stderr = child.StandardError.ReadToEndAsync();
            string stdout = child.StandardOutput.ReadToEnd();
            Assert.True(child.WaitForExit(120_000), "the child process did not finish");
            Assert.True(child.ExitCode == 0, $"the child process failed ({child.ExitCode}):\n{stdout}\n{stderr.Result}");

            var outputs = new float[jobs.Count][];
            for (int j = 0; j < jobs.Count; j++)
            {
                byte[] bytes = File.ReadAllBytes(Path.Combine(dir, $"output{j}.bin"));
                outputs[j] = new float[bytes.Length / 4];
                Buffer.BlockCopy(bytes, 0, outputs[j], 0, bytes.Length);
            }

            return (outputs, int.Parse(stdout.Trim(), CultureInfo.InvariantCulture));
        }
        finally
        {
            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }

    /// <summary>Compiles the networks and a Main that runs each on its three file arguments into a console application.</summary>
    private static void Emit(IReadOnlyList<Job> jobs, string path)
    {
        var program = new StringBuilder("""
            public static class Program
            {
                public static int Main(string[] args)
                {

            """);
        for (int j = 0; j < jobs.Count; j++)
        {
            program.Append(CultureInfo.InvariantCulture, $"        Run(new Tests.Net{j}(Tests.Net{j}.LoadWeights(args[{3 * j}])), args[{(3 * j) + 1}], args[{(3 * j) + 2}]);\n");
        }

        program.Append("""
                    System.Console.WriteLine(System.Numerics.Vector<float>.Count);
                    return 0;
                }

                private static void Run(ConvGen.INetwork net, string inputPath, string outputPath)
                {
                    byte[] raw = System.IO.File.ReadAllBytes(inputPath);
                    var input = new float[raw.Length / 4];
                    System.Buffer.BlockCopy(raw, 0, input, 0, raw.Length);
                    int batch = input.Length / net.InputSize;
                    var output = new float[batch * net.OutputSize];
                    net.Forward(input, output, batch);
                    var bytes = new byte[output.Length * 4];
                    System.Buffer.BlockCopy(output, 0, bytes, 0, bytes.Length);
                    System.IO.File.WriteAllBytes(outputPath, bytes);
                }
            }
            """);
        var sources = jobs.Select((job, j) => GeneratorHarness.Declare(job.Attributes, "Net" + j.ToString(CultureInfo.InvariantCulture))).Append(program.ToString()).ToArray();
        var result = GeneratorHarness.Run(sources);
        var errors = result.GeneratorDiagnostics.AddRange(result.AnalyzerDiagnostics).Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
        var compilation = result.Compilation
            .WithAssemblyName("ChildNet")
            .WithOptions(result.Compilation.Options.WithOutputKind(OutputKind.ConsoleApplication));
        using var file = File.Create(path);
        var emit = compilation.Emit(file);
        Assert.True(emit.Success, string.Join("\n", emit.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
    }

    /// <summary>The dotnet host running this process (or the one the SDK names), else the one on the PATH.</summary>
    private static string DotnetHost()
    {
        string? host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(host) && File.Exists(host))
        {
            return host;
        }

        string? process = Environment.ProcessPath;
        return process is not null && Path.GetFileNameWithoutExtension(process).Equals("dotnet", StringComparison.OrdinalIgnoreCase) ? process : "dotnet";
    }
}
