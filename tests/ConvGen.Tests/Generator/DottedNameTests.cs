using System.Linq;
using ConvGen.Tests.Infrastructure;
using Xunit;

namespace ConvGen.Tests.Generator;

/// <summary>A dotted Name maps a layer onto a nested PyTorch module's state_dict keys.</summary>
public sealed class DottedNameTests
{
    [Fact]
    public void A_dotted_name_becomes_the_state_dict_prefix()
    {
        var type = GeneratorHarness.CompileAndLoad(GeneratorHarness.Declare(
            "[Network(2, 6, 6)]\n[Conv2d(4, 3, Padding = 1, Bias = false, Name = \"layer1.0.conv1\"), BatchNorm2d(Name = \"layer1.0.bn1\"), ReLU]"))
            .GetType("Tests.Net", throwOnError: true)!;

        var names = GeneratorHarness.Specs(type).Select(s => s.Name).ToArray();

        Assert.Equal(
            new[] { "layer1.0.conv1.weight", "layer1.0.bn1.weight", "layer1.0.bn1.bias", "layer1.0.bn1.running_mean", "layer1.0.bn1.running_var", "layer1.0.bn1.num_batches_tracked" },
            names);
    }
}
