using System;
using System.Linq;
using ConvGen.Kernels;
using Xunit;

namespace ConvGen.Tests.Kernels;

/// <summary>The vectorized element-wise loops of the training kernels against plain loops, on lengths with and without a tail.</summary>
public sealed class ElementOpsTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(8)]
    [InlineData(37)]
    public void Each_loop_follows_its_formula(int length)
    {
        var random = new Random(length);
        float[] x = Values(random, length), dy = Values(random, length), dx = Values(random, length), m = Values(random, length);
        x[0] = float.NaN; // ReLU keeps NaN, and its gradient passes through a NaN input (PyTorch's threshold_backward)
        if (length > 1)
        {
            x[1] = 0f; // the kink: gradient 0
        }

        var y = new float[length];
        ElementOps.Relu(x, y);
        Assert.Equal(x.Select(v => float.IsNaN(v) ? v : Math.Max(v, 0f)), y);

        float[] actual = (float[])dx.Clone();
        ElementOps.ReluBackward(x, dy, actual);
        Assert.Equal(dx.Select((d, i) => d + (x[i] <= 0f ? 0f : dy[i])), actual);

        ElementOps.Multiply(dy, m, y);
        Assert.Equal(dy.Select((v, i) => v * m[i]), y);

        actual = (float[])dx.Clone();
        ElementOps.MultiplyAdd(dy, m, actual);
        Near(dx.Select((d, i) => d + (dy[i] * m[i])), actual);

        ElementOps.Affine(dy, 0.5, 1.5f, -0.25f, y);
        Near(dy.Select(v => ((v - 0.5f) * 1.5f) - 0.25f), y);

        actual = (float[])dx.Clone();
        ElementOps.AffineAdd(dy, m, 0.5f, 2f, -3f, 0.125f, actual);
        Near(dx.Select((d, i) => d + (2f * dy[i]) - (3f * (m[i] - 0.5f)) + 0.125f), actual);

        var (sum, products) = ElementOps.Sums(dy, m, 0.25);
        Assert.Equal(dy.Sum(v => (double)v), sum, 1e-9);
        Assert.Equal(dy.Select((v, i) => (m[i] - 0.25) * v).Sum(), products, 1e-9);

        Assert.Equal(dy.Sum(v => (v - 0.25) * (v - 0.25)), ElementOps.SquaredDeviations(dy, 0.25), 1e-9);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(37)]
    public void Centring_keeps_small_deviations_far_from_zero(int length)
    {
        // x = 1000 + 0.001·u: a float centre (or x·a + (b − a·μ)) loses most of the deviation's digits; the split
        // centre and the double accumulation keep them. 37 elements run the vector loops and the scalar tail.
        var random = new Random(11);
        var x = Enumerable.Range(0, length).Select(_ => 1000f + (float)(0.001 * ((random.NextDouble() * 2) - 1))).ToArray();
        double mu = x.Sum(v => (double)v) / length;
        double squares = x.Sum(v => (v - mu) * (v - mu));

        Assert.Equal(squares, ElementOps.SquaredDeviations(x, mu), squares * 1e-12);

        var y = new float[length];
        ElementOps.Affine(x, mu, 1000f, 0.5f, y);
        for (int i = 0; i < length; i++)
        {
            double expected = ((x[i] - mu) * 1000) + 0.5;
            Assert.True(Math.Abs(y[i] - expected) < 1e-6, $"y[{i}] = {y[i]}, expected {expected}");
        }

        var dx = new float[length];
        ElementOps.AffineAdd(new float[length], x, mu, 0f, 1000f, 0f, dx);
        for (int i = 0; i < length; i++)
        {
            Assert.True(Math.Abs(dx[i] - ((x[i] - mu) * 1000)) < 1e-6, $"dx[{i}] = {dx[i]}, expected {(x[i] - mu) * 1000}");
        }
    }

    [Fact]
    public void A_short_span_is_refused_with_both_lengths()
    {
        var error = Assert.Throws<ArgumentException>(() => ElementOps.ReluBackward(new float[4], new float[4], new float[3]));
        Assert.Contains("dx holds 3 floats; it must hold at least 4", error.Message, StringComparison.Ordinal);
    }

    private static void Near(System.Collections.Generic.IEnumerable<float> expected, float[] actual)
    {
        float[] e = expected.ToArray();
        for (int i = 0; i < e.Length; i++)
        {
            Assert.True(Math.Abs(e[i] - actual[i]) <= 1e-6 * (1 + Math.Abs(e[i])), $"[{i}]: {actual[i]}, expected {e[i]}");
        }
    }

    private static float[] Values(Random random, int length)
        => Enumerable.Range(0, length).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
}
