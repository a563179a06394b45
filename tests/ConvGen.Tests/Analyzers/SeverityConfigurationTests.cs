using System.Threading.Tasks;
using Xunit;
using static ConvGen.Tests.Analyzers.AnalyzerVerifier;

namespace ConvGen.Tests.Analyzers;

/// <summary>
/// Every rule's severity can be changed per project in .editorconfig (<c>dotnet_diagnostic.CGnnnn.severity</c>),
/// and an info can be raised or turned off like a warning.
/// </summary>
public sealed class SeverityConfigurationTests
{
    private const string DroppedRows = "[Network(2, 9, 9)]\n[Conv2d(4, 3, StrideH = 4)]";
    private const string DroppedRowsMarked = "[Network(2, 9, 9)]\n[Conv2d(4, 3, {|CG0009:StrideH = 4|})]";
    private const string DroppedRowsMessage = "Conv2d #0: the last input rows are never read along the height (stride 4: (n + p_before + p_after - k_eff) mod s = (9 + 0 + 0 - 3) mod 4 = 2 position(s) after the last window, 2 of them input): they never affect the output, and the output grid sits off-centre on the input; pad the end: PadBottom = 2";

    [Fact]
    public Task Warning_ByDefault() => VerifyAsync(Net(DroppedRowsMarked), Warning(0, DroppedRowsMessage));

    [Fact]
    public Task Warning_RaisedToError() => VerifyAsync(
        Net(DroppedRowsMarked),
        "dotnet_diagnostic.CG0009.severity = error",
        Error(0, DroppedRowsMessage));

    [Fact]
    public Task Warning_TurnedOff() => VerifyAsync(Net(DroppedRows), "dotnet_diagnostic.CG0009.severity = none");

    [Fact]
    public Task OtherRulesSettings_DoNotTouchIt() => VerifyAsync(
        Net(DroppedRowsMarked),
        "dotnet_diagnostic.CG0002.severity = none\ndotnet_diagnostic.CG0011.severity = error",
        Warning(0, DroppedRowsMessage));

    [Fact]
    public Task Info_RaisedToWarning() => VerifyAsync(
        Net("[Network(2, 8, 8)]\n[{|CG0011:Conv2d(4, 3, Padding = 1)|}, BatchNorm2d]"),
        "dotnet_diagnostic.CG0011.severity = warning",
        Warning(0, "Conv2d #0: its bias is redundant: BatchNorm2d #1 right after it subtracts the per-channel mean, which cancels any per-channel constant; set Bias = false (saves 4 parameters)"));

    [Fact]
    public Task CausalContextInfo_TurnedOff() => VerifyAsync(
        Net("[Network(2, 16, Causal = true)]\n[Conv1d(4, 3, Pad = Pad.Causal)]"),
        "dotnet_diagnostic.CG0014.severity = none");

    [Fact]
    public Task Error_LoweredToWarning() => VerifyAsync(
        Net("[Network(6, 8, 8)]\n[Conv2d(8, 3, {|CG0001:Groups = 4|})]"),
        "dotnet_diagnostic.CG0001.severity = warning",
        Warning(0, "Conv2d #0: in_channels 6 is not divisible by groups 4 (6 / 4 = 1.5), so the channels cannot be split into equal groups; use Groups = 2 (valid: 1, 2)"));

    [Fact]
    public Task WholeCategory_RaisedToError() => VerifyAsync(
        Net(DroppedRowsMarked),
        "dotnet_analyzer_diagnostic.category-ConvGen.Design.severity = error",
        Error(0, DroppedRowsMessage));
}
