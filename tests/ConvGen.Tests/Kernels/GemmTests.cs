using System;
using ConvGen.Kernels;
using Xunit;

namespace ConvGen.Tests.Kernels;

/// <summary><see cref="Gemm.Multiply"/> against the triple loop, over the shapes its blocking splits differently.</summary>
public sealed class GemmTests
{
    public static TheoryData<int, int, int> Shapes() => new()
    {
        { 1, 1, 1 }, { 4, 3, 16 }, { 5, 7, 17 }, { 8, 150, 100 }, { 3, 2, 33 }, { 13, 9, 7 }, { 4, 1, 64 }, { 7, 0, 9 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Row_major_and_transposed_A_match_the_naive_product(int m, int k, int n)
    {
        var random = new Random((m * 1000) + (k * 10) + n);
        float[] a = Random(random, (m * k) + 3);
        float[] b = Random(random, (k * (n + 2)) + 5);
        foreach (bool transposed in new[] { false, true })
        {
            foreach (bool accumulate in new[] { false, true })
            {
                // C sits at offset 2 with row stride n + 1; A at offset 3 (row-major m × k, or k × m read transposed); B at 5 with row stride n + 2.
                float[] c = Random(random, 2 + (m * (n + 1)));
                float[] expected = (float[])c.Clone();
                int aRow = transposed ? 1 : k, aCol = transposed ? m : 1;
                for (int i = 0; i < m; i++)
                {
                    for (int j = 0; j < n; j++)
                    {
                        double sum = 0;
                        for (int p = 0; p < k; p++)
                        {
                            sum += (double)a[3 + (i * aRow) + (p * aCol)] * b[5 + (p * (n + 2)) + j];
                        }

                        int at = 2 + (i * (n + 1)) + j;
                        expected[at] = (float)((accumulate ? expected[at] : 0) + sum);
                    }
                }

                Gemm.Multiply(a, 3, aRow, aCol, b, 5, n + 2, c, 2, n + 1, m, k, n, accumulate);
                for (int i = 0; i < c.Length; i++)
                {
                    Assert.True(Math.Abs(c[i] - expected[i]) <= 1e-5 * (1 + Math.Abs(expected[i])), $"m {m} k {k} n {n} transposed {transposed} accumulate {accumulate}: c[{i}] = {c[i]}, expected {expected[i]}");
                }
            }
        }
    }

    [Fact]
    public void A_matrix_outside_its_span_is_refused_with_the_reach()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.Multiply(new float[6], 0, 3, 1, new float[9], 0, 3, new float[3], 0, 3, 2, 3, 3, false));
        Assert.Contains("2 × 3 matrix", error.Message, StringComparison.Ordinal);
        Assert.Contains("outside a span of 3 floats", error.Message, StringComparison.Ordinal);
    }

    private static float[] Random(Random random, int length)
    {
        var values = new float[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = (float)((random.NextDouble() * 2) - 1);
        }

        return values;
    }
}
