using System;
using Xunit;

namespace ConvGen.Tests.Training;

/// <summary>Element-wise float comparison with a relative tolerance and a small absolute floor for values near zero.</summary>
internal static class TrainingAssert
{
    public static void Close(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, double relative, double absolute, string context)
    {
        Assert.True(expected.Length == actual.Length, $"{context}: {actual.Length} values, expected {expected.Length}.");
        for (int i = 0; i < expected.Length; i++)
        {
            Close(expected[i], actual[i], relative, absolute, $"{context}[{i}]");
        }
    }

    public static void Close(double expected, double actual, double relative, double absolute, string context)
    {
        double error = Math.Abs(actual - expected);
        Assert.True(
            error <= (relative * Math.Abs(expected)) + absolute,
            $"{context}: got {actual:R}, expected {expected:R} (error {error:E2}, relative {error / Math.Abs(expected):E2}).");
    }
}
