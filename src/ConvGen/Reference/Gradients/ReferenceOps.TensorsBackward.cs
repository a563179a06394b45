using System;

namespace ConvGen.Reference;

public static partial class ReferenceOps
{
    /// <summary>
    /// Backward pass of <see cref="Concat"/>: the upstream gradient [N, Ca + Cb, H, W] is split along
    /// the channels into the gradients of the two operands.
    /// </summary>
    /// <param name="gradOutput">Upstream gradient [N, Ca + Cb, H, W].</param>
    /// <param name="n">Batch size N.</param>
    /// <param name="ca">Channels of the first operand.</param>
    /// <param name="cb">Channels of the second operand.</param>
    /// <param name="h">Height H.</param>
    /// <param name="w">Width W.</param>
    /// <returns>grad_a [N, Ca, H, W] and grad_b [N, Cb, H, W].</returns>
    /// <exception cref="ArgumentException">Sizes are inconsistent.</exception>
    public static (float[] GradA, float[] GradB) ConcatBackward(float[] gradOutput, int n, int ca, int cb, int h, int w)
    {
        RequirePositive(ca, nameof(ca));
        RequirePositive(cb, nameof(cb));
        int c = ca + cb;
        RequireTensor(gradOutput, n, c, h, w, nameof(gradOutput));
        long plane = (long)h * w;
        var gradA = new float[(long)n * ca * plane];
        var gradB = new float[(long)n * cb * plane];
        for (int bi = 0; bi < n; bi++)
        {
            for (int ch = 0; ch < c; ch++)
            {
                for (long p = 0; p < plane; p++)
                {
                    float g = gradOutput[((((long)bi * c) + ch) * plane) + p];
                    if (ch < ca)
                    {
                        gradA[((((long)bi * ca) + ch) * plane) + p] = g;
                    }
                    else
                    {
                        gradB[((((long)bi * cb) + (ch - ca)) * plane) + p] = g;
                    }
                }
            }
        }

        return (gradA, gradB);
    }

    /// <summary>
    /// Backward pass of <see cref="Add"/>: ∂(a + b)/∂a = ∂(a + b)/∂b = 1, so both operands receive a
    /// copy of the upstream gradient. Where one tensor feeds several consumers (the skip path of a
    /// residual block), its gradient is the sum of theirs: <see cref="SumGradients"/>.
    /// </summary>
    /// <param name="gradOutput">Upstream gradient, any shape.</param>
    /// <returns>grad_a and grad_b, two new arrays equal to <paramref name="gradOutput"/>.</returns>
    public static (float[] GradA, float[] GradB) AddBackward(float[] gradOutput)
    {
        ArgumentNullException.ThrowIfNull(gradOutput);
        return ((float[])gradOutput.Clone(), (float[])gradOutput.Clone());
    }

    /// <summary>
    /// The gradient of a tensor used by several consumers: the elementwise sum of the gradients each
    /// consumer sends back, accumulated in double and rounded once.
    /// </summary>
    /// <param name="gradients">One gradient per consumer, all of the same length (at least one).</param>
    /// <returns>A new array with their sum.</returns>
    /// <exception cref="ArgumentException">No gradient is given, or the lengths differ.</exception>
    public static float[] SumGradients(params float[][] gradients)
    {
        ArgumentNullException.ThrowIfNull(gradients);
        if (gradients.Length == 0)
        {
            throw new ArgumentException("Expected at least one gradient.", nameof(gradients));
        }

        ArgumentNullException.ThrowIfNull(gradients[0], nameof(gradients));
        long length = gradients[0].LongLength;
        var sum = new double[length];
        foreach (float[] g in gradients)
        {
            RequireLength(g, length, nameof(gradients), $"of the first gradient ({length} elements)");
            for (long i = 0; i < length; i++)
            {
                sum[i] += g[i];
            }
        }

        return ToFloat(sum);
    }
}
