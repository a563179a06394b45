using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using ConvGen.Shapes;
using ConvGen.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Xunit;

namespace ConvGen.Tests.Forward;

/// <summary>
/// The vector convolution falls back to one column at a time when <c>Vector&lt;float&gt;</c> is wider than a row's
/// interior (16 lanes and 8 to 15 interior columns). <c>Vector&lt;float&gt;</c> is 8 lanes in the test process
/// even on AVX-512 hardware, so that path never runs there. This test compiles a network into a small program and
/// runs it in a child process with <c>DOTNET_MaxVectorTBitWidth=512</c>; on AVX-512 hardware the child has 16 lanes
/// and every convolution below takes the fallback (elsewhere it checks the ordinary vector path once more).
/// </summary>
public sealed class WideVectorForwardTests
{
    /// <summary>Every convolution has 10 interior columns (stride 1) and a different fused activation.</summary>
    private const string Attributes = """
        [Network(2, 4, 12)]
        [Conv2d(4, 3), Tanh]
        [Conv2d(4, 1, Groups = 2), LeakyReLU(NegativeSlope = 0.2)]
        [Conv2d(3, 1), Sigmoid]
        [Conv2d(4, 3, Padding = 1), ReLU6]
        [Conv2d(4, 1), SiLU]
        [Conv2d(2, 1), ReLU]
        """;

    private const string Program = """
        public static class Program
        {
            public static int Main(string[] args)
            {
                var net = new Tests.Net(Tests.Net.LoadWeights(args[0]));
                byte[] raw = System.IO.File.ReadAllBytes(args[1]);
                var input = new float[raw.Length / 4];
                System.Buffer.BlockCopy(raw, 0, input, 0, raw.Length);
                int batch = input.Length / Tests.Net.InputLength;
                var output = new float[batch * Tests.Net.OutputLength];
                net.Forward(input, output, batch);
                var bytes = new byte[output.Length * 4];
                System.Buffer.BlockCopy(output, 0, bytes, 0, bytes.Length);
                System.IO.File.WriteAllBytes(args[2], bytes);
                System.Console.WriteLine(System.Numerics.Vector<float>.Count);
                return 0;
            }
        }
        """;

    [Fact]
    public void Vector_convolutions_match_the_reference_with_512_bit_vectors()
    {
        var network = new NetworkDecl(2, 4, 12, 2, false, 20000);
        var layers = new[]
        {
            Conv(4, 3, 0), Act(LayerKind.Tanh),
            Conv(4, 1, 0) with { Groups = 2 }, Act(LayerKind.LeakyReLU) with { NegativeSlope = 0.2 },
            Conv(3, 1, 0), Act(LayerKind.Sigmoid),
            Conv(4, 3, 1), Act(LayerKind.ReLU6),
            Conv(4, 1, 0), Act(LayerKind.SiLU),
            Conv(2, 1, 0), Act(LayerKind.ReLU),
        };
        var plans = ReferenceNetwork.Plan(network, layers);
        var weights = ReferenceNetwork.CreateWeights(plans, 23);
        const int Batch = 2;
        var input = ReferenceNetwork.RandomInput(23, Batch * network.InputShape.Size);
        var expected = ReferenceNetwork.Run(network, plans, weights, input, Batch);

        string dir = Path.Combine(Path.GetTempPath(), "convgen-wide-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            string app = Path.Combine(dir, "WideNet.dll");
            Emit(app);
            File.Copy(typeof(NetworkAttribute).Assembly.Location, Path.Combine(dir, Path.GetFileName(typeof(NetworkAttribute).Assembly.Location)));
            string release = string.Create(CultureInfo.InvariantCulture, $"{Environment.Version.Major}.{Environment.Version.Minor}");
            File.WriteAllText(
                Path.Combine(dir, "WideNet.runtimeconfig.json"),
                "{\"runtimeOptions\":{\"tfm\":\"net" + release + "\",\"framework\":{\"name\":\"Microsoft.NETCore.App\",\"version\":\"" + release + ".0\"}}}");
            string weightsPath = Path.Combine(dir, "weights.safetensors"), inputPath = Path.Combine(dir, "input.bin"), outputPath = Path.Combine(dir, "output.bin");
            weights.SaveSafetensors(weightsPath);
            File.WriteAllBytes(inputPath, System.Runtime.InteropServices.MemoryMarshal.AsBytes(input.AsSpan()).ToArray());

            var start = new ProcessStartInfo(DotnetHost())
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (string arg in new[] { app, weightsPath, inputPath, outputPath })
            {
                start.ArgumentList.Add(arg);
            }

            start.Environment["DOTNET_MaxVectorTBitWidth"] = "512";
            using var child = Process.Start(start)!;
            string stdout = child.StandardOutput.ReadToEnd();
            string stderr = child.StandardError.ReadToEnd();
            Assert.True(child.WaitForExit(60_000), "the child process did not finish");
            Assert.True(child.ExitCode == 0, $"the child process failed ({child.ExitCode}):\n{stdout}\n{stderr}");
            string lanes = stdout.Trim();

            var bytes = File.ReadAllBytes(outputPath);
            Assert.Equal(expected.Length * 4, bytes.Length);
            for (int i = 0; i < expected.Length; i++)
            {
                float actual = BitConverter.ToSingle(bytes, i * 4);
                double e = expected[i];
                Assert.True(
                    Math.Abs(actual - e) <= 1e-4 * Math.Max(1.0, Math.Abs(e)),
                    string.Create(CultureInfo.InvariantCulture, $"output[{i}] = {actual:R}, reference {e:R} (Vector<float> with {lanes} lanes in the child process)"));
            }
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

    /// <summary>Compiles the network and <see cref="Program"/> into a console application at <paramref name="path"/>.</summary>
    private static void Emit(string path)
    {
        var result = GeneratorHarness.Run(GeneratorHarness.Declare(Attributes), Program);
        var errors = result.GeneratorDiagnostics.AddRange(result.AnalyzerDiagnostics).Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
        var compilation = result.Compilation
            .WithAssemblyName("WideNet")
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

    private static LayerDecl Conv(int outChannels, int kernel, int padding) => ContractDecls.Conv2d(outChannels, kernel, padding) with { PaddingGiven = padding > 0 };

    private static LayerDecl Act(LayerKind kind) => new() { Kind = kind, AttributeName = kind.ToString() };
}
