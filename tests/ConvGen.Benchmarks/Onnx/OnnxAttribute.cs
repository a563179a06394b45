using System.Collections.Generic;

namespace ConvGen.Benchmarks.Onnx;

/// <summary>A node attribute: an int, a list of ints or a float.</summary>
public sealed record OnnxAttribute(string Name, OnnxAttributeKind Kind, long Int, IReadOnlyList<long> Ints, float Float)
{
    /// <summary>An INT attribute.</summary>
    public static OnnxAttribute FromInt(string name, long value) => new(name, OnnxAttributeKind.Int, value, [], 0f);

    /// <summary>An INTS attribute.</summary>
    public static OnnxAttribute FromInts(string name, params IReadOnlyList<long> values) => new(name, OnnxAttributeKind.Ints, 0, values, 0f);

    /// <summary>A FLOAT attribute.</summary>
    public static OnnxAttribute FromFloat(string name, float value) => new(name, OnnxAttributeKind.Float, 0, [], value);
}
