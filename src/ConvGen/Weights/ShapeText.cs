using System;
using System.Globalization;
using System.Text;

namespace ConvGen;

/// <summary>Shape arithmetic and formatting shared by the weight types; shapes print as PyTorch's <c>list(t.shape)</c> does.</summary>
internal static class ShapeText
{
    /// <summary>"[16, 6, 5, 5]"; a scalar is "[]".</summary>
    public static string Format(ReadOnlySpan<int> shape)
    {
        var text = new StringBuilder("[");
        for (int i = 0; i < shape.Length; i++)
        {
            if (i > 0)
            {
                text.Append(", ");
            }

            text.Append(shape[i].ToString(CultureInfo.InvariantCulture));
        }

        return text.Append(']').ToString();
    }

    /// <summary>
    /// The number of elements (1 for a scalar), or -1 when a dimension is negative or the product does not fit
    /// in an <see cref="int"/> (the length limit of the arrays that hold the values). A shape with a zero dimension
    /// holds no elements, whatever its other dimensions (as in PyTorch and the safetensors reference: [65536, 65536, 0]).
    /// </summary>
    public static int ElementCount(ReadOnlySpan<int> shape)
    {
        if (shape.IndexOf(0) >= 0)
        {
            return shape.IndexOfAnyInRange(int.MinValue, -1) >= 0 ? -1 : 0;
        }

        long count = 1;
        foreach (int dim in shape)
        {
            if (dim < 0)
            {
                return -1;
            }

            count *= dim;
            if (count > Array.MaxLength)
            {
                return -1;
            }
        }

        return (int)count;
    }

    /// <summary>Throws <see cref="ArgumentException"/> unless <paramref name="shape"/> is a valid shape; returns its element count.</summary>
    public static int CheckedElementCount(int[] shape, string tensorName, string paramName)
    {
        int count = ElementCount(shape);
        if (count >= 0)
        {
            return count;
        }

        string problem = Array.Exists(shape, d => d < 0) ? "has a negative dimension" : "has more elements than an array can hold";
        throw new ArgumentException($"The shape {Format(shape)} of tensor '{tensorName}' {problem}.", paramName);
    }

    public static bool Equal(ReadOnlySpan<int> a, ReadOnlySpan<int> b) => a.SequenceEqual(b);
}
