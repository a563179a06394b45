using System.Collections.Generic;

namespace ConvGen.Benchmarks.Onnx;

/// <summary>One graph node (an ONNX NodeProto in the default domain).</summary>
public sealed record OnnxNode(
    string Name,
    string OpType,
    IReadOnlyList<string> Inputs,
    IReadOnlyList<string> Outputs,
    IReadOnlyList<OnnxAttribute> Attributes);
