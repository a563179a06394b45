using System;

namespace ConvGen.Reference;

public static partial class ReferenceOps
{
    /// <summary>
    /// PyTorch's <c>Linear</c>: y[b, o] = bias[o] + Σ_i weight[o, i]·x[b, i].
    /// </summary>
    /// <param name="x">Input [N, in].</param>
    /// <param name="n">Batch size N.</param>
    /// <param name="inFeatures">Input features.</param>
    /// <param name="weight">Weights [out, in].</param>
    /// <param name="bias">Bias [out], or null for none.</param>
    /// <param name="outFeatures">Output features.</param>
    /// <returns>The output [N, out].</returns>
    /// <exception cref="ArgumentException">Sizes are inconsistent.</exception>
    public static float[] Linear(float[] x, int n, int inFeatures, float[] weight, float[]? bias, int outFeatures)
    {
        RequirePositive(n, nameof(n));
        RequirePositive(inFeatures, nameof(inFeatures));
        RequirePositive(outFeatures, nameof(outFeatures));
        RequireLength(x, (long)n * inFeatures, nameof(x), $"[N={n}, in={inFeatures}]");
        RequireLength(weight, (long)outFeatures * inFeatures, nameof(weight), $"[out={outFeatures}, in={inFeatures}]");
        if (bias is not null)
        {
            RequireLength(bias, outFeatures, nameof(bias), $"[out={outFeatures}]");
        }

        var y = new float[(long)n * outFeatures];
        for (int b = 0; b < n; b++)
        {
            for (int o = 0; o < outFeatures; o++)
            {
                double acc = bias is null ? 0.0 : bias[o];
                for (int i = 0; i < inFeatures; i++)
                {
                    acc += (double)weight[((long)o * inFeatures) + i] * x[((long)b * inFeatures) + i];
                }

                y[((long)b * outFeatures) + o] = (float)acc;
            }
        }

        return y;
    }
}
