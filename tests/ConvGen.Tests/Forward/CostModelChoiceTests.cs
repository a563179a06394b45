using System;
using System.Linq;
using ConvGen.Tests.Infrastructure;
using Xunit;

namespace ConvGen.Tests.Forward;

/// <summary>
/// The cost model (generator/Emit/Strategies/CostModel.cs) picks each convolution's and linear layer's kernel. These
/// pin its choice on the layer shapes the strategies exist for, and that the choice and its reason are written into
/// the kernel's comment; <see cref="TiledConvolutionTests"/> checks every strategy's results against the reference.
/// </summary>
public sealed class CostModelChoiceTests
{
    public static TheoryData<string, string> Cases() => new()
    {
        // Stride-1 3×3 layers with enough channels: Winograd F(2×2, 3×3), measured 1.5-1.7× faster than the direct kernels here.
        { "[Network(64, 56, 56)]\n[Conv2d(64, 3, Padding = 1)]", "Strategy: Winograd F(2×2, 3×3): 28 rows of 28 tiles" },
        { "[Network(32, 16, 16)]\n[Conv2d(32, 3, Padding = 1)]", "Strategy: Winograd F(2×2, 3×3): 8 rows of 8 tiles" },
        // Few channels: the transforms outweigh the saved multiply-adds (measured 0.9×), so the direct row tile stays.
        { "[Network(8, 32, 32)]\n[Conv2d(8, 3, Padding = 1)]", "Strategy: row tile, direct:" },
        // An 8×8 map fills half the lanes of a row of tiles (measured 0.8×): output channels on the lanes instead.
        { "[Network(64, 8, 8)]\n[Conv2d(64, 3, Padding = 1)]", "Strategy: channel tile, direct: 6 position(s) × 2 vector(s) of output channels = 12 accumulators" },
        // Depthwise on a narrow map (DS-CNN's 25×5): channels on the lanes, no lane idle (measured 4.8 µs against the row
        // tile's 10.3 with its padded copy), positions flattened; a strided one on a wider map (MobileNet's) row by row
        // (4.8 against 7.8 µs with phase planes).
        { "[Network(64, 25, 5)]\n[Conv2d(64, 3, Padding = 1, Groups = 64)]", "Strategy: depthwise lanes:" },
        { "[Network(32, 24, 24)]\n[Conv2d(32, 3, Stride = 2, Padding = 1, Groups = 32)]", "Strategy: depthwise lanes:" },
        // Few channels on a wide map: still channels on the lanes, each frame column loaded once for the three taps that
        // read it (measured 9.2 µs against the row tile's 10.7); with reflect padding, which the frame does not hold, the row tile.
        { "[Network(8, 48, 48)]\n[Conv2d(8, 3, Padding = 1, Groups = 8)]", "Strategy: depthwise lanes:" },
        { "[Network(8, 48, 48)]\n[Conv2d(8, 3, Padding = 1, Groups = 8, PaddingMode = PaddingMode.Reflect)]", "Strategy: row tile, depthwise:" },
        // A dense layer on a small map: output channels on the lanes.
        { "[Network(6, 14, 14)]\n[Conv2d(16, 5)]", "Strategy: channel tile, direct:" },
        // A strided layer with 16 output columns and 32 channels: output channels on the lanes, each position addressed on its own.
        { "[Network(16, 32, 32)]\n[Conv2d(32, 3, Stride = 2, Padding = 1)]", "Strategy: channel tile, direct: 6 position(s) × 2 vector(s)" },
        // Few output channels on a wide map: positions on the lanes.
        { "[Network(16, 32, 32)]\n[Conv2d(4, 3, Padding = 1)]", "Strategy: row tile, direct:" },
        // The same on a small map: output channels on the lanes, each position addressed on its own.
        { "[Network(32, 8, 8)]\n[Conv2d(64, 3, Stride = 2, Padding = 1)]", "Strategy: channel tile, direct:" },
        // Pointwise on a 3×3 map (MobileNet's last blocks).
        { "[Network(128, 3, 3)]\n[Conv2d(256, 1)]", "Strategy: channel tile, pointwise:" },
        // A small linear layer: few accumulators, so the reduction is split.
        { "[Network(1, 84)]\n[Flatten, Linear(10)]", "Strategy: channel tile, linear: 1 position(s) × 2 vector(s) of output channels = 8 accumulators, the reduction split 4 ways" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_cost_model_picks_the_expected_kernel_and_says_why(string declaration, string expected)
    {
        string source = GeneratorHarness.Run(GeneratorHarness.Declare(declaration)).Sources.Values.Single();
        // The whole-layer kernel's comment: a layer split for several cores has its part kernel's after it.
        string comment = source.Split('\n').Select(l => l.Trim()).First(TiledConvolutionTests.IsConvolutionStrategy);
        Assert.Contains(expected, comment, StringComparison.Ordinal);
        Assert.Contains("Cost model: about", comment, StringComparison.Ordinal);
    }

    [Fact]
    public void A_projection_shortcut_is_a_convolution_that_adds_the_residual()
    {
        const string Declaration = "[Network(16, 8, 8)]\n[Save(\"x\"), Conv2d(32, 3, Stride = 2, Padding = 1, Bias = false), BatchNorm2d, Add(\"x\", Projection = true), ReLU]";
        string source = GeneratorHarness.Run(GeneratorHarness.Declare(Declaration)).Sources.Values.Single();
        Assert.Contains("run as a convolution of 'x' whose epilogue adds the current tensor + ReLU #4", source, StringComparison.Ordinal);
        Assert.Contains("Strategy: row tile, pointwise:", source, StringComparison.Ordinal);
    }

    [Fact]
    public void An_identity_shortcut_is_added_in_the_convolution_epilogue()
    {
        const string Declaration = "[Network(8, 10, 10)]\n[ReLU, Save(\"x\"), Conv2d(8, 3, Padding = 1), BatchNorm2d, Add(\"x\"), ReLU]";
        string source = GeneratorHarness.Run(GeneratorHarness.Declare(Declaration)).Sources.Values.Single();
        Assert.Contains("Fused: BatchNorm2d #3 (folded) + Add #4 (adds 'x' in the epilogue) + ReLU #5.", source, StringComparison.Ordinal);
        Assert.DoesNotContain("Layer4_Add(", source, StringComparison.Ordinal);
    }
}
