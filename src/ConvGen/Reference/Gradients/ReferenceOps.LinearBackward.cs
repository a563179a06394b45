namespace ConvGen.Reference;

public static partial class ReferenceOps
{
    /// <summary>
    /// Backward pass of <see cref="Linear"/> for an upstream gradient G [N, out]:
    /// grad_input[b, i] = Σ_o G[b, o]·weight[o, i], grad_weight[o, i] = Σ_b G[b, o]·x[b, i],
    /// grad_bias[o] = Σ_b G[b, o].
    /// </summary>
    /// <param name="gradOutput">Upstream gradient [N, out].</param>
    /// <param name="x">Forward input [N, in].</param>
    /// <param name="n">Batch size N.</param>
    /// <param name="inFeatures">Input features.</param>
    /// <param name="weight">Weights [out, in].</param>
    /// <param name="outFeatures">Output features.</param>
    /// <returns>grad_input [N, in], grad_weight [out, in] and grad_bias [out].</returns>
    /// <exception cref="System.ArgumentException">Sizes are inconsistent.</exception>
    public static (float[] GradInput, float[] GradWeight, float[] GradBias) LinearBackward(
        float[] gradOutput, float[] x, int n, int inFeatures, float[] weight, int outFeatures)
    {
        RequirePositive(n, nameof(n));
        RequirePositive(inFeatures, nameof(inFeatures));
        RequirePositive(outFeatures, nameof(outFeatures));
        RequireLength(x, (long)n * inFeatures, nameof(x), $"[N={n}, in={inFeatures}]");
        RequireLength(weight, (long)outFeatures * inFeatures, nameof(weight), $"[out={outFeatures}, in={inFeatures}]");
        RequireLength(gradOutput, (long)n * outFeatures, nameof(gradOutput), $"[N={n}, out={outFeatures}]");
        var gradInput = new double[x.LongLength];
        var gradWeight = new double[weight.LongLength];
        var gradBias = new double[outFeatures];
        for (int b = 0; b < n; b++)
        {
            for (int o = 0; o < outFeatures; o++)
            {
                double gy = gradOutput[((long)b * outFeatures) + o];
                gradBias[o] += gy;
                for (int i = 0; i < inFeatures; i++)
                {
                    gradInput[((long)b * inFeatures) + i] += gy * weight[((long)o * inFeatures) + i];
                    gradWeight[((long)o * inFeatures) + i] += gy * x[((long)b * inFeatures) + i];
                }
            }
        }

        return (ToFloat(gradInput), ToFloat(gradWeight), ToFloat(gradBias));
    }
}
