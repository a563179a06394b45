using System;
using System.Collections.Generic;
using System.Linq;
using ConvGen.Tests.Training;
using Xunit;

namespace ConvGen.Tests.TrainingGolden;

/// <summary>
/// Whole-tensor comparisons for the training golden cases. A failure names the case and tensor, how many elements
/// are outside the tolerance, the largest absolute error and where it is, and the worst element (largest error
/// relative to its allowance) with its index in the tensor's shape.
/// </summary>
internal static class TrainingGoldenAssert
{
    /// <summary>numpy's allclose, element by element: |actual − expected| ≤ atol + rtol·|expected|; NaN never passes.</summary>
    public static void AllClose(string context, Tensor expected, ReadOnlySpan<float> actual, TrainingGoldenCase.Tolerance tolerance)
    {
        Assert.True(expected.ElementCount == actual.Length, $"{context}: {actual.Length} values, PyTorch has {expected.ElementCount} ({Shape(expected.Shape)}).");
        int outside = 0, worst = -1, largest = -1;
        double worstExcess = 0, maxError = 0;
        for (int i = 0; i < actual.Length; i++)
        {
            double e = expected.Data[i];
            double error = Math.Abs(actual[i] - e);
            double ordered = double.IsNaN(error) ? double.PositiveInfinity : error; // a NaN is the largest error
            if (largest < 0 || ordered > maxError)
            {
                (largest, maxError) = (i, ordered);
            }

            double allowance = tolerance.Atol + (tolerance.Rtol * Math.Abs(e));
            if (!(error <= allowance))
            {
                outside++;
                if (worst < 0 || ordered / allowance > worstExcess)
                {
                    (worst, worstExcess) = (i, ordered / allowance);
                }
            }
        }

        if (outside > 0)
        {
            // TrainingAssert words the failing element: got, expected, absolute and relative error.
            TrainingAssert.Close(
                expected.Data[worst],
                actual[worst],
                tolerance.Rtol,
                tolerance.Atol,
                $"{context}: {outside} of {actual.Length} elements outside rtol {tolerance.Rtol:G}, atol {tolerance.Atol:G}; " +
                $"max |error| {Math.Abs(actual[largest] - expected.Data[largest]):E3} at {Index(largest, expected.Shape)}; " +
                $"worst element {Index(worst, expected.Shape)}");
        }
    }

    /// <summary>
    /// A state_dict or gradient tensor: same shape and dtype; float values by <see cref="AllClose"/>, int64 values
    /// (<c>num_batches_tracked</c>) exactly.
    /// </summary>
    public static void Matches(string context, Tensor expected, Tensor actual, TrainingGoldenCase.Tolerance tolerance)
    {
        Assert.True(expected.Shape.SequenceEqual(actual.Shape), $"{context}: shape {Shape(actual.Shape)}, PyTorch has {Shape(expected.Shape)}.");
        Assert.True(expected.DType == actual.DType, $"{context}: dtype {actual.DType}, PyTorch has {expected.DType}.");
        if (expected.Int64Data is { } integers)
        {
            for (int i = 0; i < integers.Length; i++)
            {
                Assert.True(integers[i] == actual.Int64Data![i], $"{context}{Index(i, expected.Shape)}: got {actual.Int64Data[i]}, PyTorch has {integers[i]}.");
            }
        }
        else
        {
            AllClose(context, expected, actual.Data, tolerance);
        }
    }

    /// <summary>
    /// Every tensor of <paramref name="file"/> named <paramref name="prefix"/> + a state_dict name against that entry of
    /// <paramref name="state"/>; the names found must be exactly <paramref name="expectedNames"/>, so no expectation
    /// is skipped unnoticed.
    /// </summary>
    public static void StateMatches(
        TrainingGoldenCase c, ModelWeights file, string prefix, IEnumerable<string> expectedNames, ModelWeights state, string group)
    {
        Tensor[] stored = file.Where(t => t.Name.StartsWith(prefix, StringComparison.Ordinal)).ToArray();
        Assert.Equal(
            expectedNames.Order(StringComparer.Ordinal),
            stored.Select(t => t.Name[prefix.Length..]).Order(StringComparer.Ordinal));
        foreach (Tensor expected in stored)
        {
            string name = expected.Name[prefix.Length..];
            Assert.True(state.TryGet(name, out Tensor? actual), $"{c.Name}: the trainer exports no '{name}' (it has {string.Join(", ", state.Names)}).");
            Matches($"{c.Name} {expected.Name}", expected, actual, c.For(group));
        }
    }

    /// <summary>"[17] = (1, 0, 2, 1)": the flat index and, for a tensor of rank 2 or more, the index per dimension.</summary>
    private static string Index(int flat, int[] shape)
    {
        if (flat < 0 || shape.Length < 2)
        {
            return $"[{flat}]";
        }

        var index = new int[shape.Length];
        for (int d = shape.Length - 1, rest = flat; d >= 0; d--)
        {
            index[d] = rest % shape[d];
            rest /= shape[d];
        }

        return $"[{flat}] = ({string.Join(", ", index)}) of {Shape(shape)}";
    }

    private static string Shape(int[] shape) => "[" + string.Join(", ", shape) + "]";
}
