using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.Loader;
using ConvGen.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Xunit;

namespace ConvGen.Tests.Generator;

/// <summary>
/// For a declaration with errors the generator emits a stub: the members a compiled network has, each throwing,
/// so that the user's code keeps compiling and the only errors are the analyzer's, on the declaration. The stub
/// has exactly the real network's public surface, follows the generated-code conventions and says why at run time.
/// </summary>
public sealed class GeneratorStubTests
{
    public static TheoryData<string> BrokenDeclarations => new()
    {
        "[Network(6, 8, 8)]\n[Conv2d(8, 3, Groups = 4)]",
        "[Network(1, 8, 8)]",
        "[Network(0, 8, 8)]\n[ReLU]",
        "[Network(2, 16)]\n[Conv1d(4, 3, Name = \"a..b\")]",
        "[Network(2, 8, 8, Layout = (TensorLayout)5)]\n[ReLU]",
        "[Network(1, 50000, 50000)]\n[Conv2d(1, 1)]",
        "[Network(3, 8, 8, Causal = true)]\n[Conv2d(4, 3, Padding = 1)]",
    };

    [Theory]
    [MemberData(nameof(BrokenDeclarations))]
    public void UserCodeUsingEveryMember_CompilesAgainstTheStub_WithOnlyTheAnalyzersErrors(string attributes)
    {
        var result = GeneratorHarness.Run(GeneratorHarness.Declare(attributes), GeneratorRuns.Usage());

        Assert.Empty(result.GeneratorDiagnostics);
        Assert.True(GeneratorRuns.IsStub(Assert.Single(result.Sources).Value));
        Assert.Contains(result.AnalyzerDiagnostics, d => d.Severity == DiagnosticSeverity.Error);
        Assert.All(result.AnalyzerDiagnostics, d => Assert.StartsWith("CG", d.Id, StringComparison.Ordinal));

        // Errors anywhere, and warnings (documentation comments included) in the stub.
        var problems = GeneratorRuns.CompileProblems(result.Compilation);
        Assert.True(problems.Count == 0, string.Join("\n", problems) + "\n\n" + result.Sources.Values.Single());
    }

    [Fact]
    public void TheSameUserCode_CompilesAgainstRealKernels()
    {
        // The usage file is the contract both sides meet: it must not lean on a stub-only member.
        var result = GeneratorHarness.Run(GeneratorHarness.Declare("[Network(1, 6, 6)]\n[Conv2d(2, 3), ReLU]"), GeneratorRuns.Usage());

        Assert.Empty(result.AnalyzerDiagnostics);
        Assert.True(GeneratorRuns.IsKernels(Assert.Single(result.Sources).Value));
        Assert.Empty(GeneratorRuns.CompileProblems(result.Compilation));
    }

    [Theory]
    [InlineData("public")]
    [InlineData("internal")]
    public void Stub_HasThePublicSurfaceOfACompiledNetwork(string accessibility)
    {
        // Same members, same signatures, same constness and staticness, same interfaces, same accessibility.
        string Declare(string ns, string attributes)
            => $"using ConvGen;\n\nnamespace {ns};\n\n{attributes}\n{accessibility} partial class Net\n{{\n}}\n";
        var result = GeneratorHarness.Run(
            Declare("Valid", "[Network(2, 8, 8)]\n[Conv2d(4, 3, Padding = 1), BatchNorm2d, ReLU, MaxPool2d(2), Flatten, Linear(10)]"),
            Declare("Broken", "[Network(2, 8, 8)]\n[Conv2d(4, 3, Groups = 3)]"));
        var valid = result.Compilation.GetTypeByMetadataName("Valid.Net")!;
        var stub = result.Compilation.GetTypeByMetadataName("Broken.Net")!;

        Assert.True(GeneratorRuns.IsStub(result.Sources["Broken.Net.g.cs"]));
        Assert.Equal(Surface(valid), Surface(stub));
        Assert.Equal(valid.AllInterfaces.Select(i => i.ToDisplayString()), stub.AllInterfaces.Select(i => i.ToDisplayString()));
        Assert.Equal(valid.DeclaredAccessibility, stub.DeclaredAccessibility);
        var validTrainer = valid.GetTypeMembers("Trainer").Single();
        var stubTrainer = stub.GetTypeMembers("Trainer").Single();
        Assert.Equal(Surface(validTrainer), Surface(stubTrainer));
        Assert.Equal(validTrainer.AllInterfaces.Select(i => i.ToDisplayString()), stubTrainer.AllInterfaces.Select(i => i.ToDisplayString()));
    }

    [Fact]
    public void Stub_ThrowsWithTheReason_AtRunTime()
    {
        // The analyzer's errors do not stop Emit in this test; in a build they would. If the user silences them
        // (severity = none), the stub still fails loudly rather than computing garbage.
        var result = GeneratorHarness.Run(GeneratorHarness.Declare("[Network(6, 8, 8)]\n[Conv2d(8, 3, Groups = 4)]"));
        using var stream = new MemoryStream();
        Assert.True(result.Compilation.Emit(stream).Success);
        stream.Position = 0;
        var context = new AssemblyLoadContext("ConvGenStubTest", isCollectible: true);
        try
        {
            var type = context.LoadFromStream(stream).GetType("Tests.Net", throwOnError: true)!;
            string reason = (string)type.GetField("Summary")!.GetValue(null)!;
            Assert.StartsWith("Network 'Net' has declaration errors", reason, StringComparison.Ordinal);

            var construct = Assert.Throws<System.Reflection.TargetInvocationException>(() => Activator.CreateInstance(type, new ModelWeights()));
            Assert.Equal(reason, Assert.IsType<InvalidOperationException>(construct.InnerException).Message);
            var create = Assert.Throws<System.Reflection.TargetInvocationException>(() => type.GetMethod("CreateWeights")!.Invoke(null, new object[] { 1, KaimingMode.PyTorchDefault }));
            Assert.Equal(reason, Assert.IsType<InvalidOperationException>(create.InnerException).Message);
            var network = (INetwork)System.Runtime.CompilerServices.RuntimeHelpers.GetUninitializedObject(type);
            Assert.Equal(reason, Assert.Throws<InvalidOperationException>(() => network.Forward(Array.Empty<float>(), Array.Empty<float>(), 1)).Message);
            Assert.Equal(0, network.InputSize);
            Assert.Empty(network.LayerTable);
            Assert.Empty(GeneratorHarness.Specs(type));
        }
        finally
        {
            context.Unload();
        }
    }

    [Theory]
    [InlineData("namespace @event;", "@class", "event.class.g.cs", "Network 'class' has declaration errors")]
    [InlineData("", "GlobalNet", "GlobalNet.g.cs", "Network 'GlobalNet' has declaration errors")]
    [InlineData("namespace Outer.Inner;", "Net", "Outer.Inner.Net.g.cs", "Network 'Net' has declaration errors")]
    public void Stub_CompilesForAnyNamespaceAndClassName(string namespaceLine, string className, string hint, string reason)
    {
        string source = $"using ConvGen;\n\n{namespaceLine}\n\n[Network(1, 6, 6)]\n[Conv2d(2, 3, Groups = 2)]\ninternal partial class {className}\n{{\n}}\n";

        var result = GeneratorHarness.Run(source);

        Assert.Equal("CG0001", Assert.Single(result.AnalyzerDiagnostics).Id);
        Assert.Equal(new[] { hint }, result.Sources.Keys);
        Assert.Contains(reason, result.Sources[hint], StringComparison.Ordinal);
        Assert.Empty(GeneratorRuns.CompileProblems(result.Compilation));
    }

    [Fact]
    public void Stub_FollowsTheGeneratedCodeConventions()
    {
        // Marked generated, nullable-aware, and immune to user types that shadow System and ConvGen.
        var source = "using ConvGen;\n\nnamespace Tests;\n\npublic class System { }\npublic class ConvGen { }\npublic class INetwork { }\n"
            + "[Network(1, 8, 8)]\n[Conv2d(2, 3, Groups = 2)]\npublic partial class Net\n{\n}\n";

        var result = GeneratorHarness.Run(source);
        string stub = result.Sources["Tests.Net.g.cs"];

        Assert.True(GeneratorRuns.IsStub(stub));
        Assert.StartsWith("// <auto-generated/>\n", stub, StringComparison.Ordinal);
        Assert.Contains("#nullable enable\n", stub, StringComparison.Ordinal);
        Assert.Contains("[global::System.CodeDom.Compiler.GeneratedCode(\"ConvGen.Generator\", ", stub, StringComparison.Ordinal);
        Assert.Empty(GeneratorRuns.CompileProblems(result.Compilation));
    }

    [Fact]
    public void Stub_DiffersOnlyInTheErrorItNames()
    {
        // The stub depends on the class; only its message names the first error, so that a throw still explains
        // itself when an error rule was turned off in .editorconfig.
        string Stub(string attributes) => GeneratorHarness.Run(GeneratorHarness.Declare(attributes)).Sources["Tests.Net.g.cs"];
        var groups = Stub("[Network(6, 8, 8)]\n[Conv2d(8, 3, Groups = 4)]").Split('\n');
        var kernel = Stub("[Network(1, 4, 4)]\n[ReLU, Conv2d(8, 5)]").Split('\n');

        Assert.Equal(groups.Length, kernel.Length);
        var different = Enumerable.Range(0, groups.Length).Where(i => groups[i] != kernel[i]).ToList();
        var line = Assert.Single(different);
        Assert.Contains("in_channels 6 is not divisible by groups 4", groups[line], StringComparison.Ordinal);
        Assert.Contains("the output is empty along the height and the width", kernel[line], StringComparison.Ordinal);
    }

    /// <summary>How a member is compared: its type, name, parameters with defaults and accessors, not its constant value.</summary>
    private static readonly SymbolDisplayFormat MemberFormat = new(
        typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameAndContainingTypesAndNamespaces,
        genericsOptions: SymbolDisplayGenericsOptions.IncludeTypeParameters,
        memberOptions: SymbolDisplayMemberOptions.IncludeType | SymbolDisplayMemberOptions.IncludeParameters | SymbolDisplayMemberOptions.IncludeRef,
        parameterOptions: SymbolDisplayParameterOptions.IncludeType | SymbolDisplayParameterOptions.IncludeName | SymbolDisplayParameterOptions.IncludeDefaultValue | SymbolDisplayParameterOptions.IncludeParamsRefOut,
        propertyStyle: SymbolDisplayPropertyStyle.ShowReadWriteDescriptor,
        miscellaneousOptions: SymbolDisplayMiscellaneousOptions.UseSpecialTypes);

    /// <summary>Every public member as "static const Field int InputLength" or "Method void Forward(System.ReadOnlySpan&lt;float&gt; input, ...)", sorted.</summary>
    private static List<string> Surface(INamedTypeSymbol type)
        => type.GetMembers()
            .Where(m => m.DeclaredAccessibility == Accessibility.Public && !m.IsImplicitlyDeclared)
            .Where(m => m is not IMethodSymbol { AssociatedSymbol: not null })
            .Select(m => (m.IsStatic ? "static " : "") + (m is IFieldSymbol { IsConst: true } ? "const " : "") + m.Kind + " " + (m is INamedTypeSymbol ? m.Name : m.ToDisplayString(MemberFormat)))
            .Order(StringComparer.Ordinal)
            .ToList();
}
