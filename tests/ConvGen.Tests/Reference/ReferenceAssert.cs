using System;
using Xunit.Sdk;

namespace ConvGen.Tests.Reference;

/// <summary>Element-by-element comparison of float tensors with a relative tolerance.</summary>
internal static class ReferenceAssert
{
    /// <summary>
    /// Passes when |actual − expected| ≤ atol + rtol·|expected| everywhere. The small absolute floor
    /// keeps values that should be zero from failing on a last-bit difference.
    /// </summary>
    public static void Close(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, double rtol = 1e-5, double atol = 1e-6)
    {
        if (expected.Length != actual.Length)
        {
            throw new XunitException($"Expected {expected.Length} elements, got {actual.Length}.");
        }

        for (int i = 0; i < expected.Length; i++)
        {
            double e = expected[i];
            double a = actual[i];
            bool bothNaN = double.IsNaN(e) && double.IsNaN(a);
            bool equalInfinities = double.IsInfinity(e) && e == a;
            if (!bothNaN && !equalInfinities && !(Math.Abs(a - e) <= atol + (rtol * Math.Abs(e))))
            {
                throw new XunitException(
                    $"Element {i}: expected {e:R}, got {a:R} (difference {Math.Abs(a - e):R}).\n" +
                    $"Expected: [{string.Join(", ", expected.ToArray())}]\nActual:   [{string.Join(", ", actual.ToArray())}]");
            }
        }
    }
}
