using System;

namespace ConvGen;

/// <summary>
/// A named tensor of a network's weights: its shape and its values in row-major (C) order, as PyTorch stores them.
/// Generated code reads <see cref="Data"/>; the arrays are shared, not copied, so edits to them are seen everywhere.
/// </summary>
public sealed class Tensor
{
    /// <summary>A float tensor. <paramref name="data"/> is kept, not copied.</summary>
    /// <param name="name">The state_dict name, such as <c>"0.weight"</c>.</param>
    /// <param name="shape">The shape, outermost dimension first; empty for a scalar. The array is copied.</param>
    /// <param name="data">The values, row-major; as many as the shape's element count.</param>
    /// <exception cref="ArgumentException">The name is empty, the shape has a negative dimension, or <paramref name="data"/> has the wrong length.</exception>
    public Tensor(string name, int[] shape, float[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        (Name, Shape, ElementCount) = CheckShape(name, shape, data.Length, nameof(data));
        DType = TensorDType.F32;
        Data = data;
    }

    /// <summary>
    /// An int64 tensor such as batch-norm's <c>num_batches_tracked</c>. <paramref name="data"/> is kept, not copied,
    /// and is what gets saved; <see cref="Data"/> receives a float copy made now.
    /// </summary>
    /// <param name="name">The state_dict name, such as <c>"1.num_batches_tracked"</c>.</param>
    /// <param name="shape">The shape; empty for a scalar. The array is copied.</param>
    /// <param name="data">The values, row-major; as many as the shape's element count.</param>
    /// <exception cref="ArgumentException">The name is empty, the shape has a negative dimension, or <paramref name="data"/> has the wrong length.</exception>
    public Tensor(string name, int[] shape, long[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        (Name, Shape, ElementCount) = CheckShape(name, shape, data.Length, nameof(data));
        DType = TensorDType.I64;
        Int64Data = data;
        Data = new float[data.Length];
        for (int i = 0; i < data.Length; i++)
        {
            Data[i] = data[i];
        }
    }

    /// <summary>The state_dict name.</summary>
    public string Name { get; }

    /// <summary>The shape, outermost dimension first; empty for a scalar. Treat it as read-only.</summary>
    public int[] Shape { get; }

    /// <summary>The number of elements: the product of <see cref="Shape"/>, 1 for a scalar.</summary>
    public int ElementCount { get; }

    /// <summary>How the values are stored and saved.</summary>
    public TensorDType DType { get; }

    /// <summary>
    /// The values as floats, row-major. For an <see cref="TensorDType.I64"/> tensor this is a copy made when the
    /// tensor was built (int64 values above 2^24 are rounded): edit <see cref="Int64Data"/> instead, which is what is saved.
    /// </summary>
    public float[] Data { get; }

    /// <summary>The exact values of an <see cref="TensorDType.I64"/> tensor, saved as I64; null for a float tensor.</summary>
    public long[]? Int64Data { get; }

    /// <summary>"0.weight F32 [6, 1, 5, 5]".</summary>
    public override string ToString() => $"{Name} {DType} {ShapeText.Format(Shape)}";

    private static (string Name, int[] Shape, int Count) CheckShape(string name, int[] shape, int dataLength, string dataParamName)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(shape);
        int[] copy = (int[])shape.Clone();
        int count = ShapeText.CheckedElementCount(copy, name, nameof(shape));
        if (count != dataLength)
        {
            throw new ArgumentException(
                $"Tensor '{name}' has shape {ShapeText.Format(copy)}, which holds {count} elements, but {dataLength} values were given.",
                dataParamName);
        }

        return (name, copy, count);
    }
}
