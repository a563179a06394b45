using System;
using ConvGen.Kernels;
using Xunit;

namespace ConvGen.Tests.Kernels;

/// <summary>The strided block primitives of the training kernels against plain loops.</summary>
public sealed class RowOpsTests
{
    [Theory]
    [InlineData(1, 1, 1, 1)]
    [InlineData(3, 8, 1, 1)]
    [InlineData(4, 19, 1, 1)]
    [InlineData(5, 6, 2, 1)]
    [InlineData(2, 9, 1, 3)]
    public void Axpy_Dot_and_Copy_follow_their_index_formulas(int rows, int cols, int xStep, int yStep)
    {
        var random = new Random((rows * 100) + cols);
        int xRow = (cols * xStep) + 2, yRow = (cols * yStep) + 1;
        float[] x = Values(random, 4 + (rows * xRow));
        float[] y = Values(random, 3 + (rows * yRow));
        float[] axpy = (float[])y.Clone(), copy = (float[])y.Clone();
        double dot = 0;
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < cols; c++)
            {
                int xi = 4 + (r * xRow) + (c * xStep), yi = 3 + (r * yRow) + (c * yStep);
                axpy[yi] += 0.5f * x[xi];
                copy[yi] = x[xi];
                dot += (double)x[xi] * y[yi];
            }
        }

        float dotActual = RowOps.Dot(x, 4, xRow, xStep, y, 3, yRow, yStep, rows, cols);
        Assert.True(Math.Abs(dotActual - dot) <= 1e-5 * (1 + Math.Abs(dot)), $"Dot: {dotActual}, expected {dot}");
        float[] actual = (float[])y.Clone();
        RowOps.Axpy(0.5f, x, 4, xRow, xStep, actual, 3, yRow, yStep, rows, cols);
        Assert.Equal(axpy, actual);
        actual = (float[])y.Clone();
        RowOps.Copy(x, 4, xRow, xStep, actual, 3, yRow, yStep, rows, cols);
        Assert.Equal(copy, actual);
    }

    [Fact]
    public void A_block_outside_its_span_is_refused_with_the_reach()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => RowOps.Axpy(1f, new float[10], 0, 5, 1, new float[10], 2, 5, 1, 2, 4));
        Assert.Contains("reaches index 10, outside a span of 10 floats", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => RowOps.Axpy(1f, new float[4], new float[3]));
    }

    [Fact]
    public void Sum_accumulates_in_double()
    {
        var values = new float[10_001];
        values[0] = 1e8f;
        for (int i = 1; i < values.Length; i++)
        {
            values[i] = 1f;
        }

        // Float accumulation would stay at 1e8 (each +1 rounds away); double gets 100,010,000.
        Assert.Equal(100_010_000f, RowOps.Sum(values));
    }

    private static float[] Values(Random random, int length)
    {
        var values = new float[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = (float)((random.NextDouble() * 2) - 1);
        }

        return values;
    }
}
