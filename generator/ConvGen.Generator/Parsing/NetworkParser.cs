using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using ConvGen.Generator.Model;
using ConvGen.Shapes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ConvGen.Generator.Parsing;

/// <summary>
/// Turns a class carrying <c>[Network]</c> and its layer attributes into a <see cref="NetworkModel"/>.
/// Reads only attribute data and syntax locations; all shape rules live in the shared shape module.
/// </summary>
internal static class NetworkParser
{
    public const string NetworkAttributeName = "ConvGen.NetworkAttribute";
    private const string LayerAttributeName = "ConvGen.LayerAttribute";

    /// <summary>
    /// Reads one network declaration. Returns null for all but the first declaration carrying
    /// <c>[Network]</c> (the compiler already reports a duplicate attribute), so a type gets one file.
    /// </summary>
    public static NetworkModel? Parse(INamedTypeSymbol type, AttributeData networkAttribute, TypeDeclarationSyntax declaration, CancellationToken cancellationToken)
    {
        var firstNetwork = type.GetAttributes()
            .Where(a => a.AttributeClass?.ToDisplayString() == NetworkAttributeName && a.ApplicationSyntaxReference is not null)
            .OrderBy(a => a.ApplicationSyntaxReference!.SyntaxTree.FilePath, System.StringComparer.Ordinal)
            .ThenBy(a => a.ApplicationSyntaxReference!.Span.Start)
            .FirstOrDefault();
        var reference = networkAttribute.ApplicationSyntaxReference;
        if (firstNetwork is not null && (firstNetwork.ApplicationSyntaxReference!.SyntaxTree != reference?.SyntaxTree || firstNetwork.ApplicationSyntaxReference.Span != reference.Span))
        {
            return null;
        }

        var diagnostics = new List<DiagnosticInfo>();
        var network = ReadNetwork(networkAttribute);
        var classLocation = LocationInfo.From(declaration.Identifier.GetLocation());
        var networkLocation = LocationInfo.From(networkAttribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken).GetLocation()) ?? classLocation;
        CheckType(type, declaration, classLocation, diagnostics);
        bool typeUsable = diagnostics.Count == 0;
        if (new AttributeArguments(networkAttribute).Int("Layout", 0) is not (0 or 1))
        {
            var layoutLocation = ArgumentLocation(networkAttribute, "Layout", cancellationToken) ?? networkLocation;
            diagnostics.Add(new DiagnosticInfo("CG0012", layoutLocation, $"Network '{type.Name}': Layout has the undefined value {new AttributeArguments(networkAttribute).Int("Layout", 0).ToString(System.Globalization.CultureInfo.InvariantCulture)}; use TensorLayout.Nchw or TensorLayout.Nhwc"));
        }

        var layerAttributes = LayerAttributes(type, diagnostics, classLocation, cancellationToken);
        var layers = layerAttributes.Select(a => ReadLayer(a)).ToImmutableArray();
        cancellationToken.ThrowIfCancellationRequested();

        var result = ShapeInference.Infer(network, layers);
        foreach (var finding in result.Findings)
        {
            var location = finding.LayerIndex < 0
                ? ArgumentLocation(networkAttribute, finding.Argument, cancellationToken) ?? networkLocation
                : ArgumentLocation(layerAttributes[finding.LayerIndex], finding.Argument, cancellationToken);
            var info = new DiagnosticInfo(finding.Id, location ?? classLocation, finding.Message, finding.Severity) { FixData = finding.FixData };
            if (!diagnostics.Contains(info))
            {
                diagnostics.Add(info); // one mistake (say Padding = -1, read for four sides) is reported once
            }
        }

        string ns = type.ContainingNamespace.IsGlobalNamespace ? "" : type.ContainingNamespace.ToDisplayString();
        string accessibility = type.DeclaredAccessibility == Accessibility.Public ? "public" : "internal";
        string hint = (ns.Length == 0 ? "" : ns + ".") + type.Name;
        return new NetworkModel(
            ns,
            Identifier(type.Name),
            hint.Replace("@", "") + ".g.cs",
            accessibility,
            network,
            new EquatableArray<LayerDecl>(layers),
            new EquatableArray<DiagnosticInfo>(diagnostics.ToImmutableArray()))
        {
            TypeUsable = typeUsable,
            HasErrors = diagnostics.Exists(d => d.Severity == FindingSeverity.Error),
            FirstError = diagnostics.Find(d => d.Severity == FindingSeverity.Error)?.Message,
        };
    }

    /// <summary>A name as C# source: keywords get their '@'.</summary>
    private static string Identifier(string name)
        => SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None || SyntaxFacts.GetContextualKeywordKind(name) is SyntaxKind.RecordKeyword
            ? "@" + name
            : name;

    private static void CheckType(INamedTypeSymbol type, TypeDeclarationSyntax declaration, LocationInfo? location, List<DiagnosticInfo> diagnostics)
    {
        string name = type.Name;
        if (declaration is RecordDeclarationSyntax || type.IsRecord)
        {
            diagnostics.Add(new DiagnosticInfo("CG0012", location, $"Network '{name}' is a record; declare networks as 'partial class'"));
        }

        if (type.IsFileLocal)
        {
            diagnostics.Add(new DiagnosticInfo("CG0012", location, $"Network '{name}' is file-local; ConvGen adds its members from another file, so declare it 'public' or 'internal'"));
        }

        bool isPartial = type.DeclaringSyntaxReferences.All(r => r.GetSyntax() is TypeDeclarationSyntax c && c.Modifiers.Any(SyntaxKind.PartialKeyword));
        if (!isPartial)
        {
            diagnostics.Add(new DiagnosticInfo("CG0012", location, $"Network '{name}' must be declared 'partial' so that ConvGen can add its generated members"));
        }

        if (type.ContainingType is not null)
        {
            diagnostics.Add(new DiagnosticInfo("CG0012", location, $"Network '{name}' is nested in '{type.ContainingType.Name}'; declare networks as top-level classes"));
        }

        if (type.IsGenericType)
        {
            diagnostics.Add(new DiagnosticInfo("CG0012", location, $"Network '{name}' is generic; a network's shapes are fixed, so it cannot have type parameters"));
        }

        if (name is "Trainer" or "ConvGenKernels" or "ConvGenWorkspace")
        {
            // A member may not share its enclosing type's name (CS0542), and every network nests all three.
            diagnostics.Add(new DiagnosticInfo("CG0012", location, $"Network '{name}' has the name of a type ConvGen nests in every network (Trainer, ConvGenKernels, ConvGenWorkspace); rename the class"));
        }

        if (type.IsStatic || type.IsAbstract)
        {
            diagnostics.Add(new DiagnosticInfo("CG0012", location, $"Network '{name}' must be a non-static, non-abstract class: ConvGen creates instances of it; remove 'static' or 'abstract'"));
        }

        if ((declaration is StructDeclarationSyntax || type.TypeKind == TypeKind.Struct) && !type.IsRecord)
        {
            diagnostics.Add(new DiagnosticInfo("CG0012", location, $"Network '{name}' is a struct; declare networks as 'partial class'"));
        }

        if (declaration is ClassDeclarationSyntax { ParameterList: not null })
        {
            diagnostics.Add(new DiagnosticInfo("CG0012", location, $"Network '{name}' has a primary constructor; ConvGen generates the constructor {name}(ModelWeights), so remove the parameter list"));
        }

        foreach (var member in type.GetMembers())
        {
            // Only the user's members: the analyzers see the generated file's too.
            if (member.IsImplicitlyDeclared || member.DeclaringSyntaxReferences.IsEmpty
                || member.DeclaringSyntaxReferences.All(r => r.SyntaxTree.FilePath.Contains(GeneratedPathMarker)))
            {
                continue;
            }

            if (member is IMethodSymbol { MethodKind: MethodKind.Constructor } constructor
                && constructor.Parameters.Length == 1 && constructor.Parameters[0].Type.ToDisplayString() == "ConvGen.ModelWeights")
            {
                diagnostics.Add(new DiagnosticInfo("CG0012", location, $"Network '{name}' declares the constructor {name}(ModelWeights), which ConvGen generates; remove it (or give it other parameters and call this one)"));
            }
            else if (Generated(member))
            {
                diagnostics.Add(new DiagnosticInfo("CG0012", location, $"Network '{name}' declares '{member.Name}', a member ConvGen generates in every network; rename it"));
            }
        }

        // The generated code (and its stub) uses C# 10 (file-scoped namespaces, global::-qualified patterns...): with an
        // older language version it would only add raw compiler errors, so nothing is generated and this says why.
        if (declaration.SyntaxTree.Options is CSharpParseOptions { LanguageVersion: var version } && version < LanguageVersion.CSharp10)
        {
            diagnostics.Add(new DiagnosticInfo("CG0012", location, $"Network '{name}': ConvGen's generated code needs C# 10 or later, but this project compiles C# {version.ToDisplayString()}; set <LangVersion> to 10 or later, or remove it (.NET 6 and later default to C# 10 or later)"));
        }
    }

    /// <summary>Part of the path Roslyn gives the files this generator adds ("ConvGen.Generator.NetworkGenerator/Tests.Net.g.cs").</summary>
    private const string GeneratedPathMarker = "ConvGen.Generator.NetworkGenerator";

    /// <summary>Members every generated network (or its stub) declares, besides its constructor.</summary>
    private static readonly HashSet<string> GeneratedMembers = new(System.StringComparer.Ordinal)
    {
        "InputLength", "OutputLength", "InputShape", "OutputShape", "InputSize", "OutputSize", "Layers", "LayerTable", "Summary",
        "ParameterSpecs", "CreateWeights", "LoadWeights", "Forward", "ForwardSample", "ConvGenKernels", "ConvGenWorkspace", "Trainer", "DeclarationErrors",
        "MaxDegreeOfParallelism", "_workspaces", "_maxDegreeOfParallelism", "EnsureWorkspaces",
    };

    /// <summary>Prefixes of the generated fields, each followed by a number (_buffer0, _weight3...).</summary>
    private static readonly string[] GeneratedFields = { "_weight", "_bias", "_projection", "_projectionBias", "_scale", "_shift", "_partWeight", "_partBias" };

    /// <summary>
    /// A user member the generated code would clash with: a field, property, event or nested type with a generated
    /// member's name, or a method with a generated method's name and parameter types (other overloads are fine).
    /// </summary>
    private static bool Generated(ISymbol member)
    {
        if (GeneratedFields.Any(prefix => member.Name.Length > prefix.Length && member.Name.StartsWith(prefix, System.StringComparison.Ordinal)
            && member.Name.Substring(prefix.Length).All(char.IsDigit)))
        {
            return true;
        }

        if (!GeneratedMembers.Contains(member.Name))
        {
            return false;
        }

        if (member is not IMethodSymbol method)
        {
            return true;
        }

        string parameters = string.Join(",", method.Parameters.Select(p => p.Type.ToDisplayString()));
        return (method.Name, parameters) switch
        {
            ("Forward", "System.ReadOnlySpan<float>,System.Span<float>,int") => true,
            ("CreateWeights", "int,ConvGen.KaimingMode") => true,
            ("LoadWeights", "string") => true,
            ("EnsureWorkspaces", "int") => true,
            _ => false,
        };
    }

    /// <summary>The layer attributes in source order (lists top to bottom, attributes left to right).</summary>
    private static List<AttributeData> LayerAttributes(
        INamedTypeSymbol type,
        List<DiagnosticInfo> diagnostics,
        LocationInfo? classLocation,
        CancellationToken cancellationToken)
    {
        var layers = type.GetAttributes()
            .Where(a => a.ApplicationSyntaxReference is not null && IsLayer(a.AttributeClass))
            .ToList();
        var trees = layers.Select(a => a.ApplicationSyntaxReference!.SyntaxTree).Distinct().Count();
        var declarations = layers.Select(a => a.ApplicationSyntaxReference!.GetSyntax(cancellationToken).Parent?.Parent).Distinct().Count();
        if (trees > 1 || declarations > 1)
        {
            diagnostics.Add(new DiagnosticInfo("CG0012", classLocation, $"Network '{type.Name}' declares layers on more than one partial declaration; their order would be ambiguous, so keep all layer attributes on one declaration"));
        }

        layers.Sort((a, b) =>
        {
            var ra = a.ApplicationSyntaxReference!;
            var rb = b.ApplicationSyntaxReference!;
            int byFile = string.CompareOrdinal(ra.SyntaxTree.FilePath, rb.SyntaxTree.FilePath);
            return byFile != 0 ? byFile : ra.Span.Start.CompareTo(rb.Span.Start);
        });
        return layers;
    }

    private static bool IsLayer(INamedTypeSymbol? attributeClass)
    {
        for (var t = attributeClass?.BaseType; t is not null; t = t.BaseType)
        {
            if (t.ToDisplayString() == LayerAttributeName)
            {
                return true;
            }
        }

        return false;
    }

    private static NetworkDecl ReadNetwork(AttributeData attribute)
    {
        var args = new AttributeArguments(attribute);
        var ctor = attribute.ConstructorArguments;
        int rank = ctor.Length == 2 ? 1 : 2;
        int channels = ctor.Length > 0 ? args.Positional(0) : 0;
        int height = rank == 2 ? args.Positional(1) : 1;
        int width = args.Positional(rank == 2 ? 2 : 1);
        return new NetworkDecl(channels, height, width, rank, args.Int("Layout", 0) == 1, args.Int("UnrollBudget", 20000))
        {
            Causal = args.Bool("Causal", false),
            DensePrediction = args.Bool("DensePrediction", false),
        };
    }

    private static LayerDecl ReadLayer(AttributeData attribute)
    {
        var args = new AttributeArguments(attribute);
        string attributeName = attribute.AttributeClass!.Name;
        string spelling = attributeName.EndsWith("Attribute", System.StringComparison.Ordinal)
            ? attributeName.Substring(0, attributeName.Length - "Attribute".Length)
            : attributeName;
        var decl = new LayerDecl { AttributeName = spelling, Name = args.String("Name"), UndefinedEnum = UndefinedEnum(args) };
        if (attribute.AttributeClass.ToDisplayString() != "ConvGen." + attributeName)
        {
            return decl with { Kind = LayerKind.Identity, Unknown = true }; // a look-alike from another namespace
        }

        return spelling switch
        {
            "Conv1d" => Convolution(decl with { Kind = LayerKind.Conv, Rank = 1 }, args, twoD: false),
            "Conv2d" => Convolution(decl with { Kind = LayerKind.Conv, Rank = 2 }, args, twoD: true),
            "ConvTranspose1d" => Convolution(decl with { Kind = LayerKind.ConvTranspose, Rank = 1 }, args, twoD: false),
            "ConvTranspose2d" => Convolution(decl with { Kind = LayerKind.ConvTranspose, Rank = 2 }, args, twoD: true),
            "MaxPool1d" => Pool(decl with { Kind = LayerKind.MaxPool, Rank = 1 }, args, twoD: false),
            "MaxPool2d" => Pool(decl with { Kind = LayerKind.MaxPool, Rank = 2 }, args, twoD: true),
            "AvgPool1d" => Pool(decl with { Kind = LayerKind.AvgPool, Rank = 1 }, args, twoD: false),
            "AvgPool2d" => Pool(decl with { Kind = LayerKind.AvgPool, Rank = 2 }, args, twoD: true),
            "GlobalAvgPool" => decl with { Kind = LayerKind.GlobalAvgPool },
            "BatchNorm1d" or "BatchNorm2d" => decl with
            {
                Kind = LayerKind.BatchNorm,
                Rank = spelling == "BatchNorm1d" ? 1 : 2,
                Eps = args.Double("Eps", 1e-5),
                Momentum = args.Double("Momentum", 0.1),
                Affine = args.Bool("Affine", true),
            },
            "ReLU" => decl with { Kind = LayerKind.ReLU },
            "LeakyReLU" => decl with { Kind = LayerKind.LeakyReLU, NegativeSlope = args.Double("NegativeSlope", 0.01) },
            "ReLU6" => decl with { Kind = LayerKind.ReLU6 },
            "Sigmoid" => decl with { Kind = LayerKind.Sigmoid },
            "Tanh" => decl with { Kind = LayerKind.Tanh },
            "SiLU" => decl with { Kind = LayerKind.SiLU },
            "Identity" => decl with { Kind = LayerKind.Identity },
            "Dropout" => decl with { Kind = LayerKind.Dropout, DropoutP = args.Double("P", 0.5) },
            "Flatten" => decl with { Kind = LayerKind.Flatten },
            "Linear" => decl with { Kind = LayerKind.Linear, OutChannels = args.Positional(0), Bias = args.Bool("Bias", true) },
            "Upsample" => decl with
            {
                Kind = LayerKind.Upsample,
                Factor = args.Positional(0),
                LinearInterpolation = args.Int("Mode", 0) == 1,
            },
            "PixelShuffle" => decl with { Kind = LayerKind.PixelShuffle, Rank = 2, Factor = args.Positional(0) },
            "PixelUnshuffle" => decl with { Kind = LayerKind.PixelUnshuffle, Rank = 2, Factor = args.Positional(0) },
            "Save" => decl with { Kind = LayerKind.Save, TensorName = args.PositionalString(0) },
            "Add" => decl with { Kind = LayerKind.Add, TensorName = args.PositionalString(0), Projection = args.Bool("Projection", false) },
            "Concat" => decl with { Kind = LayerKind.Concat, TensorName = args.PositionalString(0) },
            _ => decl with { Kind = LayerKind.Identity, Unknown = true },
        };
    }

    /// <summary>The first enum argument whose value the enum does not define (e.g. (Pad)42), or null.</summary>
    private static string? UndefinedEnum(AttributeArguments args)
    {
        if (!System.Enum.IsDefined(typeof(PadRule), args.Int("Pad", 0)))
        {
            return "Pad";
        }

        if (!System.Enum.IsDefined(typeof(BorderMode), args.Int("PaddingMode", 0)))
        {
            return "PaddingMode";
        }

        int mode = args.Int("Mode", 0);
        return mode is 0 or 1 ? null : "Mode";
    }

    private static LayerDecl Convolution(LayerDecl decl, AttributeArguments args, bool twoD)
    {
        int kh = twoD ? args.Positional(1) : 1;
        int kw = twoD ? args.Positional(args.PositionalCount > 2 ? 2 : 1) : args.Positional(1);
        bool transposed = decl.Kind == LayerKind.ConvTranspose;
        var withPadding = Padding(decl, args, twoD);
        int outputPadding = args.Int("OutputPadding", 0);
        return withPadding with
        {
            OutChannels = args.Positional(0),
            KernelH = kh,
            KernelW = kw,
            StrideH = twoD ? args.Int("StrideH", args.Int("Stride", 1)) : 1,
            StrideW = args.Int(twoD ? "StrideW" : "Stride", args.Int("Stride", 1)),
            DilationH = twoD ? args.Int("DilationH", args.Int("Dilation", 1)) : 1,
            DilationW = args.Int(twoD ? "DilationW" : "Dilation", args.Int("Dilation", 1)),
            Groups = args.Int("Groups", 1),
            Bias = args.Bool("Bias", true),
            PadRule = transposed ? PadRule.Explicit : (PadRule)args.Int("Pad", 0),
            BorderMode = (BorderMode)args.Int("PaddingMode", 0),
            OutputPaddingH = twoD ? args.Int("OutputPaddingH", outputPadding) : 0,
            OutputPaddingW = args.Int(twoD ? "OutputPaddingW" : "OutputPadding", outputPadding),
        };
    }

    private static LayerDecl Pool(LayerDecl decl, AttributeArguments args, bool twoD)
    {
        int kh = twoD ? args.Positional(0) : 1;
        int kw = twoD ? args.Positional(args.PositionalCount > 1 ? 1 : 0) : args.Positional(0);
        var padded = Padding(decl, args, twoD);
        return padded with
        {
            KernelH = kh,
            KernelW = kw,
            StrideH = twoD ? args.Int("StrideH", args.Int("Stride", kh)) : 1,
            StrideW = args.Int(twoD ? "StrideW" : "Stride", args.Int("Stride", kw)),
            DilationH = twoD ? args.Int("DilationH", args.Int("Dilation", 1)) : 1,
            DilationW = args.Int(twoD ? "DilationW" : "Dilation", args.Int("Dilation", 1)),
            CeilMode = args.Bool("CeilMode", false),
            CountIncludePad = args.Bool("CountIncludePad", true),
        };
    }

    /// <summary>Padding = all sides; PaddingH/PaddingW = one axis; PadLeft… = one side; the narrower wins.</summary>
    private static LayerDecl Padding(LayerDecl decl, AttributeArguments args, bool twoD)
    {
        int all = args.Int("Padding", 0);
        int vertical = twoD ? args.Int("PaddingH", all) : 0;
        int horizontal = args.Int("PaddingW", all);
        return decl with
        {
            PadTop = twoD ? args.Int("PadTop", vertical) : 0,
            PadBottom = twoD ? args.Int("PadBottom", vertical) : 0,
            PadLeft = args.Int("PadLeft", horizontal),
            PadRight = args.Int("PadRight", horizontal),
            PaddingGiven = args.AnyNamed("Padding", "PaddingH", "PaddingW", "PadLeft", "PadRight", "PadTop", "PadBottom"),
        };
    }

    /// <summary>The syntax of the argument a shape error blames, or the whole attribute.</summary>
    private static LocationInfo? ArgumentLocation(AttributeData attribute, string? argument, CancellationToken cancellationToken)
    {
        if (attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) is not AttributeSyntax syntax)
        {
            return null;
        }

        if (argument is not null && syntax.ArgumentList is { } list)
        {
            var parameters = attribute.AttributeConstructor?.Parameters ?? ImmutableArray<IParameterSymbol>.Empty;
            var named = new List<(string Name, AttributeArgumentSyntax Syntax)>();
            int position = 0;
            foreach (var arg in list.Arguments)
            {
                string? name = arg.NameEquals?.Name.Identifier.ValueText
                    ?? arg.NameColon?.Name.Identifier.ValueText
                    ?? (position < parameters.Length ? parameters[position].Name : null);
                if (arg.NameEquals is null)
                {
                    position++;
                }

                if (name is not null)
                {
                    named.Add((name, arg));
                }
            }

            // The argument named exactly as blamed wins; only then a related one (StrideH for Stride...).
            var match = named.FirstOrDefault(n => string.Equals(n.Name, argument, System.StringComparison.OrdinalIgnoreCase)).Syntax
                ?? named.FirstOrDefault(n => Related(n.Name, argument)).Syntax;
            if (match is not null)
            {
                return LocationInfo.From(match.GetLocation());
            }
        }

        return LocationInfo.From(syntax.GetLocation());
    }

    /// <summary>
    /// A written argument that sets what the blamed one names: Stride for StrideH, Padding or PaddingH for
    /// PadTop, kernelSize for KernelWidth. Never a prefix match on "Pad" itself (PaddingMode is not Pad).
    /// </summary>
    private static bool Related(string written, string blamed)
    {
        if (blamed is "Pad" or "PaddingMode" or "Mode")
        {
            return false;
        }

        if (blamed.StartsWith("Kernel", System.StringComparison.Ordinal))
        {
            return string.Equals(written, "kernelSize", System.StringComparison.OrdinalIgnoreCase);
        }

        if (blamed is "PadTop" or "PadBottom")
        {
            return written is "PaddingH" or "Padding";
        }

        if (blamed is "PadLeft" or "PadRight")
        {
            return written is "PaddingW" or "Padding";
        }

        string stem = blamed.EndsWith("H", System.StringComparison.Ordinal) || blamed.EndsWith("W", System.StringComparison.Ordinal)
            ? blamed.Substring(0, blamed.Length - 1)
            : blamed;
        return written == stem;
    }
}
