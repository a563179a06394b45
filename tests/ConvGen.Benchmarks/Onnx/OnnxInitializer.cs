using System.Collections.Generic;

namespace ConvGen.Benchmarks.Onnx;

/// <summary>A float constant of the graph (an ONNX TensorProto initializer, stored as raw_data).</summary>
public sealed record OnnxInitializer(string Name, IReadOnlyList<long> Dims, float[] Data);
