using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ConvGen.CodeFixes;

/// <summary>
/// A new kernel size written into a convolution's constructor arguments (CG0002's next odd kernel, CG0005's
/// multiple of the stride). Only integer literals are rewritten; a kernel given by a constant gets no fix.
/// </summary>
internal sealed class KernelRewrite
{
    private readonly LayerAttributeTarget _target;
    private readonly (AttributeArgumentSyntax Old, AttributeArgumentSyntax[] New)[] _replacements;

    private KernelRewrite(LayerAttributeTarget target, string size, params (AttributeArgumentSyntax Old, AttributeArgumentSyntax[] New)[] replacements)
    {
        _target = target;
        _replacements = replacements;
        Title = "Use kernel size " + size;
    }

    /// <summary>"Use kernel size 5" or, for a non-square result, "Use kernel size 4x5".</summary>
    public string Title { get; }

    /// <summary>
    /// The constructor argument for <paramref name="parameter"/> (<c>kernelSize</c> of a 1-D or square kernel,
    /// or one of <c>kernelHeight</c>/<c>kernelWidth</c>) becomes <paramref name="k"/>.
    /// </summary>
    /// <summary>The rewrite to a kH × kW kernel (1-D: kW), whatever form the kernel is written in; null when a kernel argument that must change is not a literal.</summary>
    public static KernelRewrite? To(LayerAttributeTarget target, int kH, int kW)
    {
        if (!target.IsTwoD)
        {
            return Single(target, "kernelSize", kW);
        }

        return target.HasParameter("kernelHeight")
            ? Separate(target, kH, kW)
            : kH == kW ? Single(target, "kernelSize", kW) : Expand(target, kH, kW);
    }

    public static KernelRewrite? Single(LayerAttributeTarget target, string parameter, int k)
    {
        var argument = target.ConstructorArgument(parameter);
        return LayerAttributeTarget.IntLiteral(argument) is { } old && old != k
            ? new KernelRewrite(target, Text(k), (argument!, new[] { Value(argument!, k) }))
            : null;
    }

    /// <summary><c>kernelHeight</c> and <c>kernelWidth</c> become <paramref name="kH"/> and <paramref name="kW"/>; only the ones that change must be literals.</summary>
    public static KernelRewrite? Separate(LayerAttributeTarget target, int kH, int kW)
    {
        var height = target.ConstructorArgument("kernelHeight");
        var width = target.ConstructorArgument("kernelWidth");
        if (height is null || width is null)
        {
            return null;
        }

        int? oldH = LayerAttributeTarget.IntLiteral(height), oldW = LayerAttributeTarget.IntLiteral(width);
        bool changeH = oldH != kH, changeW = oldW != kW;
        if ((changeH && oldH is null) || (changeW && oldW is null) || (!changeH && !changeW))
        {
            return null;
        }

        var replacements = new System.Collections.Generic.List<(AttributeArgumentSyntax Old, AttributeArgumentSyntax[] New)>();
        if (changeH)
        {
            replacements.Add((height, new[] { Value(height, kH) }));
        }

        if (changeW)
        {
            replacements.Add((width, new[] { Value(width, kW) }));
        }

        return new KernelRewrite(target, Size(kH, kW), replacements.ToArray());
    }

    /// <summary>A square kernel written once becomes <c>kH, kW</c> (the layer's other constructor).</summary>
    public static KernelRewrite? Expand(LayerAttributeTarget target, int kH, int kW)
    {
        var argument = target.ConstructorArgument("kernelSize");
        bool hasSeparateConstructor = target.Constructor.ContainingType.InstanceConstructors
            .Any(c => c.Parameters.Any(p => p.Name == "kernelHeight") && c.Parameters.Any(p => p.Name == "kernelWidth"));
        if (LayerAttributeTarget.IntLiteral(argument) is null || !hasSeparateConstructor)
        {
            return null;
        }

        // Positional stays positional; a named 'kernelSize:' becomes 'kernelHeight:' and 'kernelWidth:'.
        var height = SyntaxFactory.AttributeArgument(Int(kH));
        var width = SyntaxFactory.AttributeArgument(Int(kW));
        if (argument!.NameColon is { } nameColon)
        {
            height = height.WithNameColon(nameColon.WithName(SyntaxFactory.IdentifierName("kernelHeight").WithTriviaFrom(nameColon.Name)));
            width = width.WithNameColon(nameColon.WithName(SyntaxFactory.IdentifierName("kernelWidth").WithTriviaFrom(nameColon.Name)));
        }

        return new KernelRewrite(target, Size(kH, kW), (argument, new[] { height, width }));
    }

    /// <summary>The document with the new kernel.</summary>
    public Document Apply()
    {
        var editor = new ArgumentListEditor(_target.Attribute.ArgumentList!);
        foreach (var (old, replacements) in _replacements)
        {
            editor.Replace(old, replacements);
        }

        return _target.With(editor.ToSyntax());
    }

    private static string Size(int kH, int kW) => kH == kW ? Text(kW) : Text(kH) + "x" + Text(kW);

    private static string Text(int k) => k.ToString(CultureInfo.InvariantCulture);

    private static LiteralExpressionSyntax Int(int k) => ArgumentListEditor.Int(k);

    private static AttributeArgumentSyntax Value(AttributeArgumentSyntax argument, int k) => ArgumentListEditor.WithValue(argument, Int(k));
}
