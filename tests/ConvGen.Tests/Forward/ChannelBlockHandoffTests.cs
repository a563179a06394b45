using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using ConvGen.Reference;
using ConvGen.Tests.Infrastructure;
using Xunit;

namespace ConvGen.Tests.Forward;

/// <summary>
/// A channel tile whose only reader is a depthwise lanes kernel writes that kernel's zero-framed channel blocks instead
/// of [C, H, W] (generator/Emit/Strategies/ChannelBlocks.cs). Random chains (a 1×1 or 3×3 convolution with a lane-wise
/// activation or none, a depthwise convolution with any kernel, stride, dilation, padding and activation, and in two of
/// three a pointwise convolution reading the depthwise output as [C, H, W]) are forced onto the two strategies,
/// compiled, run on two samples (the second reuses the frames the first left) and compared with naive reference
/// convolutions; at 8 lanes in the test process and at 4 and 16 in a child process.
/// </summary>
public sealed class ChannelBlockHandoffTests
{
    private const int Seeds = 16;

    public static TheoryData<int> SeedCases() => new(Enumerable.Range(1, Seeds));

    [Theory]
    [MemberData(nameof(SeedCases))]
    public void The_pair_matches_the_reference(int seed)
    {
        var pair = Pair.Draw(seed);
        string source;
        Type type;
        using (Force())
        {
            source = GeneratorHarness.Run(GeneratorHarness.Declare(pair.Declaration)).Sources.Values.Single();
            type = GeneratorHarness.CompileAndLoad(GeneratorHarness.Declare(pair.Declaration)).GetType("Tests.Net", throwOnError: true)!;
        }

        var (weights, x, y) = TiledConvolutionTests.RunTwoSamples(type, seed);
        TiledConvolutionTests.AssertClose(pair.Reference(x, 2, weights), y, $"{pair.Declaration}\nhanded off: {HandsOff(source)}");
    }

    [Fact]
    public void Most_random_chains_hand_off_and_the_comments_say_so()
    {
        int handed = 0;
        for (int seed = 1; seed <= Seeds; seed++)
        {
            using (Force())
            {
                handed += HandsOff(GeneratorHarness.Run(GeneratorHarness.Declare(Pair.Draw(seed).Declaration)).Sources.Values.Single()) ? 1 : 0;
            }
        }

        Assert.True(handed >= Seeds * 3 / 4, $"only {handed} of {Seeds} chains handed channel blocks to the depthwise kernel");
    }

    [Fact]
    public void A_pointwise_layer_the_cost_model_gave_the_row_tile_switches_to_the_channel_tile_to_hand_off()
    {
        // MobileNet's second block: pointwise 8 -> 16 on 48×48 (the row tile on its own), then a stride-2 depthwise layer.
        const string Declaration = "[Network(8, 48, 48)]\n[Conv2d(16, 1, Padding = 0, Name = \"0\"), ReLU]\n"
            + "[Conv2d(16, 3, 3, StrideH = 2, StrideW = 2, DilationH = 1, DilationW = 1, Groups = 16, PadTop = 1, PadBottom = 1, PadLeft = 1, PadRight = 1, Name = \"1\"), ReLU]\n";
        var pair = new Pair(Declaration, 8, 48, 48, 16, 1, "ReLU", 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, "ReLU", 0, null);
        string source = GeneratorHarness.Run(GeneratorHarness.Declare(Declaration)).Sources.Values.Single();
        Assert.Contains("taken over the row tile", source, StringComparison.Ordinal);
        Assert.True(HandsOff(source), "the switched channel tile does not hand off");

        var type = GeneratorHarness.CompileAndLoad(GeneratorHarness.Declare(Declaration)).GetType("Tests.Net", throwOnError: true)!;
        var (weights, x, y) = TiledConvolutionTests.RunTwoSamples(type, 7);
        TiledConvolutionTests.AssertClose(pair.Reference(x, 2, weights), y, Declaration);
    }

    [Fact]
    public void A_tensor_that_another_layer_also_reads_stays_channels_first()
    {
        const string Declaration = "[Network(8, 6, 6)]\n[Conv2d(16, 1), ReLU, Save(\"a\"), Conv2d(16, 3, Padding = 1, Groups = 16), Add(\"a\")]";
        using (Force())
        {
            Assert.False(HandsOff(GeneratorHarness.Run(GeneratorHarness.Declare(Declaration)).Sources.Values.Single()));
        }
    }

    [Theory]
    [InlineData("DOTNET_EnableAVX=0")]
    [InlineData("DOTNET_MaxVectorTBitWidth=512")]
    public void The_pairs_match_the_reference_at_another_vector_width(string setting)
    {
        var jobs = new List<ChildProcessNetworks.Job>();
        var expected = new List<float[]>();
        const int Batch = 2;
        for (int seed = 1; seed <= 4; seed++)
        {
            var pair = Pair.Draw(seed + 50);
            var type = GeneratorHarness.CompileAndLoad(GeneratorHarness.Declare(pair.Declaration)).GetType("Tests.Net", throwOnError: true)!;
            var weights = GeneratorHarness.CreateWeights(type, seed);
            var x = ReferenceNetwork.RandomInput(seed, Batch * ((INetwork)Activator.CreateInstance(type, weights)!).InputSize);
            jobs.Add(new ChildProcessNetworks.Job(pair.Declaration, weights, x));
            expected.Add(pair.Reference(x, Batch, weights));
        }

        string[] kv = setting.Split('=');
        (float[][] Outputs, int Lanes) run;
        using (Force())
        {
            run = ChildProcessNetworks.Run(jobs, new Dictionary<string, string> { [kv[0]] = kv[1] });
        }

        for (int j = 0; j < jobs.Count; j++)
        {
            TiledConvolutionTests.AssertClose(expected[j], run.Outputs[j], $"{run.Lanes} lanes ({setting}):\n{jobs[j].Attributes}");
        }
    }

    /// <summary>Only the channel tile and the depthwise lanes kernel are candidates.</summary>
    private static IDisposable Force() => TiledConvolutionTests.ForceStrategy(
        d => d.Contains("Strategy: channel tile", StringComparison.Ordinal) || d.Contains("Strategy: depthwise lanes", StringComparison.Ordinal));

    private static bool HandsOff(string source) => source.Contains("zero-framed channel blocks", StringComparison.Ordinal)
        && source.Contains("channel blocks that Layer", StringComparison.Ordinal);

    /// <summary>A convolution and the depthwise convolution after it.</summary>
    private sealed record Pair(
        string Declaration, int InChannels, int Height, int Width, int Channels, int Kernel1, string? Activation1,
        int KernelH, int KernelW, int StrideH, int StrideW, int DilationH, int DilationW, int PadTop, int PadBottom, int PadLeft, int PadRight, string? Activation2,
        int Pointwise, string? Activation3)
    {
        private static readonly string?[] LaneWise = { null, "ReLU", "ReLU6", "LeakyReLU(NegativeSlope = 0.2)" };
        private static readonly string?[] Any = { null, "ReLU", "ReLU6", "LeakyReLU(NegativeSlope = 0.2)", "Sigmoid", "Tanh", "SiLU" };

        public static Pair Draw(int seed)
        {
            var random = new Random(seed * 7919);
            while (true)
            {
                int cin = new[] { 3, 8, 12, 16, 24 }[random.Next(5)], c = new[] { 4, 8, 12, 16, 20, 32 }[random.Next(6)];
                int h = random.Next(1, 15), w = random.Next(1, 15), k1 = random.Next(2) == 0 ? 1 : 3;
                int kh = random.Next(1, 5), kw = random.Next(1, 5), sh = random.Next(1, 3), sw = random.Next(1, 3);
                int dh = random.Next(3) == 0 ? 2 : 1, dw = random.Next(3) == 0 ? 2 : 1;
                int effH = (dh * (kh - 1)) + 1, effW = (dw * (kw - 1)) + 1;
                int pt = random.Next(effH), pb = random.Next(effH), pl = random.Next(effW), pr = random.Next(effW);
                if (h * w < 2 || h + pt + pb < effH || w + pl + pr < effW)
                {
                    continue;
                }

                string? a1 = LaneWise[random.Next(LaneWise.Length)], a2 = (random.Next(2) == 0 ? LaneWise : Any)[random.Next(LaneWise.Length)];
                int pointwise = random.Next(3) == 0 ? 0 : new[] { 5, 8, 16, 24 }[random.Next(4)];
                string? a3 = Any[random.Next(Any.Length)];
                string Act(string? a) => a is null ? "" : ", " + a;
                string declaration = string.Create(CultureInfo.InvariantCulture, $"[Network({cin}, {h}, {w})]\n[Conv2d({c}, {k1}, Padding = {k1 / 2}, Name = \"0\"){Act(a1)}]\n")
                    + string.Create(CultureInfo.InvariantCulture, $"[Conv2d({c}, {kh}, {kw}, StrideH = {sh}, StrideW = {sw}, DilationH = {dh}, DilationW = {dw}, Groups = {c}, PadTop = {pt}, PadBottom = {pb}, PadLeft = {pl}, PadRight = {pr}, Name = \"1\"){Act(a2)}]\n")
                    + (pointwise == 0 ? "" : string.Create(CultureInfo.InvariantCulture, $"[Conv2d({pointwise}, 1, Name = \"2\"){Act(a3)}]\n"));
                return new Pair(declaration, cin, h, w, c, k1, a1, kh, kw, sh, sw, dh, dw, pt, pb, pl, pr, a2, pointwise, a3);
            }
        }

        public float[] Reference(float[] x, int batch, ModelWeights weights)
        {
            var (y1, _, _) = ReferenceOps.Conv2d(
                x, batch, InChannels, Height, Width, weights["0.weight"].Data, weights["0.bias"].Data, Channels, Kernel1, Kernel1,
                padTop: Kernel1 / 2, padBottom: Kernel1 / 2, padLeft: Kernel1 / 2, padRight: Kernel1 / 2);
            y1 = TiledConvolutionTests.RandomConv.Activate(y1, Activation1);
            var (y2, oh, ow) = ReferenceOps.Conv2d(
                y1, batch, Channels, Height, Width, weights["1.weight"].Data, weights["1.bias"].Data, Channels, KernelH, KernelW,
                StrideH, StrideW, DilationH, DilationW, Channels, PadTop, PadBottom, PadLeft, PadRight);
            y2 = TiledConvolutionTests.RandomConv.Activate(y2, Activation2);
            if (Pointwise == 0)
            {
                return y2;
            }

            var (y3, _, _) = ReferenceOps.Conv2d(y2, batch, Channels, oh, ow, weights["2.weight"].Data, weights["2.bias"].Data, Pointwise, 1, 1);
            return TiledConvolutionTests.RandomConv.Activate(y3, Activation3);
        }
    }
}
