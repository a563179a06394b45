using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using ConvGen.Analyzers;
using Microsoft.CodeAnalysis;
using Xunit;

namespace ConvGen.Tests.Analyzers;

/// <summary>
/// The descriptor table: the rules CG0001–CG0014, each with a title, the right default severity, the
/// design category, and a help link to its page under docs/diagnostics/ that exists in the repository.
/// </summary>
public sealed class DescriptorTests
{
    private static readonly Dictionary<string, DiagnosticSeverity> DefaultSeverities = new(System.StringComparer.Ordinal)
    {
        ["CG0001"] = DiagnosticSeverity.Error,
        ["CG0002"] = DiagnosticSeverity.Warning,
        ["CG0003"] = DiagnosticSeverity.Error,
        ["CG0004"] = DiagnosticSeverity.Error,
        ["CG0005"] = DiagnosticSeverity.Warning,
        ["CG0006"] = DiagnosticSeverity.Error,
        ["CG0007"] = DiagnosticSeverity.Error,
        ["CG0008"] = DiagnosticSeverity.Error,
        ["CG0009"] = DiagnosticSeverity.Warning,
        ["CG0010"] = DiagnosticSeverity.Error,
        ["CG0011"] = DiagnosticSeverity.Info,
        ["CG0012"] = DiagnosticSeverity.Error,
        ["CG0013"] = DiagnosticSeverity.Warning,
        ["CG0014"] = DiagnosticSeverity.Info,
    };

    public static TheoryData<string> Ids
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var id in DefaultSeverities.Keys)
            {
                data.Add(id);
            }

            return data;
        }
    }

    [Fact]
    public void TheTable_HoldsExactlyTheRules_AndTheAnalyzerSupportsThemAll()
    {
        Assert.Equal(DefaultSeverities.Keys.Order(System.StringComparer.Ordinal), DiagnosticDescriptors.ById.Keys.Order(System.StringComparer.Ordinal));
        Assert.Equal(
            DiagnosticDescriptors.ById.Values.OrderBy(d => d.Id, System.StringComparer.Ordinal),
            new NetworkDeclarationAnalyzer().SupportedDiagnostics.OrderBy(d => d.Id, System.StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Descriptor_HasItsSeverityCategoryAndTitle(string id)
    {
        var descriptor = DiagnosticDescriptors.ById[id];

        Assert.Equal(id, descriptor.Id);
        Assert.Equal(DefaultSeverities[id], descriptor.DefaultSeverity);
        Assert.True(descriptor.IsEnabledByDefault);
        Assert.Equal("ConvGen.Design", descriptor.Category);
        Assert.False(string.IsNullOrWhiteSpace(descriptor.Title.ToString(CultureInfo.InvariantCulture)));

        // Messages are computed by the shape module: the format only places them.
        Assert.Equal("{0}", descriptor.MessageFormat.ToString(CultureInfo.InvariantCulture));
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void HelpLink_IsTheRulesPage_AndThePageExists(string id)
    {
        var descriptor = DiagnosticDescriptors.ById[id];

        Assert.Equal($"docs/diagnostics/{id}.md", descriptor.HelpLinkUri);
        string page = Path.Combine(RepositoryRoot(), "docs", "diagnostics", id + ".md");
        Assert.True(File.Exists(page), $"{descriptor.HelpLinkUri} does not exist (looked for {page})");
    }

    /// <summary>The directory holding ConvGen.sln, found from this source file's path at compile time.</summary>
    private static string RepositoryRoot([CallerFilePath] string thisFile = "")
    {
        for (var directory = Path.GetDirectoryName(thisFile); directory is not null; directory = Path.GetDirectoryName(directory))
        {
            if (File.Exists(Path.Combine(directory, "ConvGen.sln")))
            {
                return directory;
            }
        }

        throw new DirectoryNotFoundException("no ConvGen.sln above " + thisFile);
    }
}
