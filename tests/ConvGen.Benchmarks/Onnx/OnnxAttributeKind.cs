namespace ConvGen.Benchmarks.Onnx;

/// <summary>The kinds of node attribute the builder writes (values of onnx.proto's AttributeProto.AttributeType).</summary>
public enum OnnxAttributeKind
{
    /// <summary>A single float (AttributeProto.f).</summary>
    Float = 1,

    /// <summary>A single int64 (AttributeProto.i).</summary>
    Int = 2,

    /// <summary>A list of int64 (AttributeProto.ints).</summary>
    Ints = 7,
}
