using System.Linq;
using ConvGen.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Xunit;

namespace ConvGen.Tests.TrainingReview;

/// <summary>
/// The generator nests classes of fixed names in every network class (the <c>Trainer</c>, and the inference kernels'
/// <c>ConvGenKernels</c>). A network whose own name is one of them is a valid declaration; C# forbids a member named
/// as its enclosing type (CS0542), so ConvGen must either generate code that compiles or refuse the name with a
/// diagnostic of its own, never leave the user with errors in generated code.
/// </summary>
public sealed class NetworkTypeNameTests
{
    [Theory]
    [InlineData("Trainer")]
    [InlineData("ConvGenKernels")]
    public void A_network_named_as_a_nested_generated_class_compiles_or_is_refused(string className)
    {
        var result = GeneratorHarness.Run(GeneratorHarness.Declare("[Network(1, 4, 4)]\n[Conv2d(2, 3), ReLU]", className));
        bool refused = result.GeneratorDiagnostics.Concat(result.AnalyzerDiagnostics)
            .Any(d => d.Severity == DiagnosticSeverity.Error && d.Id.StartsWith("CG", System.StringComparison.Ordinal));
        var errors = result.Compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(refused || errors.Count == 0, $"class {className}: no ConvGen diagnostic, and the generated code does not compile:\n" + string.Join("\n", errors));
    }
}
