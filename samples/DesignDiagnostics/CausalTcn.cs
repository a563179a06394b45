using ConvGen;

namespace DesignDiagnostics;

/// <summary>
/// CG0014 (information): a clean causal network. With <c>Causal = true</c> every layer that could see the future
/// would be an error; this one has none, so the analyzer reports how much past each output sees instead.
/// </summary>
/// <remarks>
/// You see (as information, in the IDE or the SARIF log, not in <c>dotnet build</c>'s output) on
/// <c>[Network]</c>: "The network is causal: each output sees 15 samples of context (1 + Σ d(k-1)·jump)", that is
/// 1 + 2·1 + 2·2 + 2·4 with dilations 1, 2, 4. Nothing to fix. Replace the first <c>Pad = Pad.Causal</c> with
/// <c>Padding = 1</c> and the message gives way to a CG0004 error: "Conv1d #0: sees the future in a causal network:
/// output t reads inputs t-1..t+1, 1 sample(s) after t (padding left 1; causal needs left d(k-1) = 2): use Pad = Pad.Causal".
/// </remarks>
[Network(1, 64, Causal = true)]
[Conv1d(8, 3, Pad = Pad.Causal), ReLU]
[Conv1d(8, 3, Dilation = 2, Pad = Pad.Causal), ReLU]
[Conv1d(8, 3, Dilation = 4, Pad = Pad.Causal), ReLU]
[Conv1d(1, 1)]
internal sealed partial class CausalTcn
{
}
