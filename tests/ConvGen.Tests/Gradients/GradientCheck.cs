using System;
using System.Linq;
using Xunit.Sdk;

namespace ConvGen.Tests.Gradients;

/// <summary>
/// Central finite differences of a forward op, the independent check of every backward op: for a
/// scalar loss L = Σ_k G[k]·y[k] (G an upstream gradient, y the forward output), ∂L/∂p[i] ≈
/// (L(p + h·e_i) − L(p − h·e_i)) / 2h, which is exactly what a backward op returns for G.
/// </summary>
/// <remarks>
/// The forward ops compute in float, so the inputs live on a 1/64 grid and the step is a power of
/// two: p ± h is exact, and for linear ops (convolution, pooling, padding, resampling) the outputs
/// are exact or rounded once, so the difference quotient is exact up to that rounding. Piecewise
/// ops need inputs at least h away from their kinks (no max-pool ties, no ReLU input at 0).
/// </remarks>
internal static class GradientCheck
{
    /// <summary>The default step: 2^-4, exact on the 1/64 grid and large enough to drown float rounding.</summary>
    public const double LinearStep = 1.0 / 16;

    /// <summary>A smaller step for smooth nonlinear ops, where the O(h²) truncation error matters.</summary>
    public const double SmoothStep = 1.0 / 128;

    /// <summary>
    /// ∂L/∂parameter by central differences, L = Σ gradOutput·forward(), accumulated in double.
    /// <paramref name="forward"/> must read <paramref name="parameter"/> (captured); each element is
    /// perturbed in place and restored.
    /// </summary>
    public static double[] NumericGradient(float[] parameter, Func<float[]> forward, float[] gradOutput, double step)
    {
        var gradient = new double[parameter.Length];
        for (int i = 0; i < parameter.Length; i++)
        {
            float original = parameter[i];
            float plus = (float)(original + step);
            float minus = (float)(original - step);
            parameter[i] = plus;
            double lossPlus = Loss(forward(), gradOutput);
            parameter[i] = minus;
            double lossMinus = Loss(forward(), gradOutput);
            parameter[i] = original;

            // Divide by the step actually taken, in case p ± h rounded.
            gradient[i] = (lossPlus - lossMinus) / ((double)plus - minus);
        }

        return gradient;
    }

    /// <summary>
    /// Asserts that <paramref name="analytic"/> matches the central-difference gradient of
    /// <paramref name="forward"/> with respect to <paramref name="parameter"/>:
    /// |analytic − numeric| ≤ tolerance·(|numeric| + max|numeric|) element by element.
    /// </summary>
    public static void Matches(
        string what, float[] analytic, float[] parameter, Func<float[]> forward, float[] gradOutput,
        double step = LinearStep, double tolerance = 1e-4)
    {
        double[] numeric = NumericGradient(parameter, forward, gradOutput, step);
        if (analytic.Length != numeric.Length)
        {
            throw new XunitException($"{what}: expected {numeric.Length} gradient elements, got {analytic.Length}.");
        }

        double scale = numeric.Max(Math.Abs);
        if (scale == 0)
        {
            // A zero numeric gradient means the forward ignores the parameter: the check would prove nothing.
            throw new XunitException($"{what}: the numeric gradient is zero everywhere.");
        }

        for (int i = 0; i < numeric.Length; i++)
        {
            if (!(Math.Abs(analytic[i] - numeric[i]) <= tolerance * (Math.Abs(numeric[i]) + scale)))
            {
                throw new XunitException(
                    $"{what}, element {i}: backward gives {analytic[i]:R}, finite differences {numeric[i]:R}.\n" +
                    $"Backward: [{string.Join(", ", analytic)}]\nNumeric:  [{string.Join(", ", numeric.Select(v => v.ToString("G6")))}]");
            }
        }
    }

    private static double Loss(float[] y, float[] gradOutput)
    {
        if (y.Length != gradOutput.Length)
        {
            throw new XunitException($"The forward output has {y.Length} elements, the upstream gradient {gradOutput.Length}.");
        }

        double loss = 0;
        for (int k = 0; k < y.Length; k++)
        {
            loss += (double)gradOutput[k] * y[k];
        }

        return loss;
    }
}
