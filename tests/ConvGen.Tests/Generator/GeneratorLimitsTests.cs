using System;
using System.Linq;
using ConvGen.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Xunit;

namespace ConvGen.Tests.Generator;

/// <summary>
/// Declarations whose numbers would overflow 32-bit index arithmetic, file names that differ only in case,
/// and attributes that only look like ConvGen layers: each gets a diagnostic and never wrong code.
/// </summary>
public sealed class GeneratorLimitsTests
{
    [Theory]
    [InlineData("[Network(1, 8, 8)]\n[Conv2d(1, 5, Dilation = 1073741824)]", "Dilation = 1073741824")]
    [InlineData("[Network(1, 8, 8)]\n[Conv2d(1, 3, Padding = 20000, Dilation = 20000)]", "Conv2d(1, 3, Padding = 20000, Dilation = 20000)")]
    [InlineData("[Network(1, 8, 8)]\n[MaxPool2d(2, Dilation = 1073741824)]", "Dilation = 1073741824")]
    [InlineData("[Network(2, 100000)]\n[ConvTranspose1d(2, 3, Stride = 100000)]", "Stride = 100000")]
    [InlineData("[Network(4, 8, 8)]\n[PixelShuffle(65536)]", "65536")]
    public void Extents_beyond_32_bit_arithmetic_are_CG0012(string attributes, string blamed)
    {
        var result = GeneratorHarness.Run(GeneratorHarness.Declare(attributes));

        var error = Assert.Single(result.AnalyzerDiagnostics, d => d.Severity == DiagnosticSeverity.Error);
        Assert.Equal("CG0012", error.Id);
        Assert.Equal(blamed, GeneratorRuns.SpanText(error, result.Compilation));
        Assert.True(GeneratorRuns.IsStub(result.Sources["Tests.Net.g.cs"]), "an out-of-range declaration must get the stub, not kernels");
    }

    [Fact]
    public void Type_names_that_differ_only_in_case_get_distinct_files()
    {
        string source = "using ConvGen;\nnamespace A;\n[Network(1, 4, 4)]\n[ReLU]\npublic partial class Net { }\n[Network(1, 4, 4)]\n[Tanh]\npublic partial class NET { }\n";

        var result = GeneratorHarness.Run(source);

        Assert.Equal(2, result.Sources.Count);
        Assert.Equal(2, result.Sources.Keys.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.Empty(result.Compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
    }

    [Fact]
    public void A_look_alike_layer_attribute_is_CG0012_not_a_silent_identity()
    {
        // Users cannot derive from LayerAttribute (its constructor is private protected), so the only way to get a
        // foreign layer attribute is a ConvGen build of their own; the parser still refuses anything it does not know.
        var result = GeneratorHarness.Run(GeneratorHarness.Declare("[Network(1, 4, 4)]\n[MyLayer]") + "\npublic sealed class MyLayerAttribute : LayerAttribute { }\n");

        Assert.Contains(result.Compilation.GetDiagnostics(), d => d.Id == "CS0122" || d.Id == "CS1729");
    }
}
