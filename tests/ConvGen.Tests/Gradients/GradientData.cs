using System;
using System.Linq;

namespace ConvGen.Tests.Gradients;

/// <summary>Small random test tensors whose values are exact in float32.</summary>
internal static class GradientData
{
    /// <summary>Values k/64 in [−2, 2].</summary>
    public static float[] Grid(Random rng, long count) => Grid(rng, count, -2.0, 2.0);

    /// <summary>Values k/64 in [lo, hi].</summary>
    public static float[] Grid(Random rng, long count, double lo, double hi)
    {
        int kLo = (int)Math.Ceiling(lo * 64);
        int kHi = (int)Math.Floor(hi * 64);
        var values = new float[count];
        for (long i = 0; i < count; i++)
        {
            values[i] = rng.Next(kLo, kHi + 1) / 64f;
        }

        return values;
    }

    /// <summary>
    /// Pairwise distinct values k/8 in random order: no max-pool ties, and a finite-difference step
    /// below 1/16 cannot change which element of a window is the largest.
    /// </summary>
    public static float[] Distinct(Random rng, int count)
    {
        float[] values = Enumerable.Range(0, count).Select(k => (k - (count / 2)) / 8f).ToArray();
        rng.Shuffle(values);
        return values;
    }

    /// <summary>Values k/64 in [lo, hi] at least <paramref name="margin"/> away from every kink.</summary>
    public static float[] AwayFrom(Random rng, long count, double lo, double hi, double margin, params double[] kinks)
    {
        var values = new float[count];
        for (long i = 0; i < count; i++)
        {
            float v;
            do
            {
                v = Grid(rng, 1, lo, hi)[0];
            }
            while (kinks.Any(k => Math.Abs(v - k) < margin));
            values[i] = v;
        }

        return values;
    }
}
