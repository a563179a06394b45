using System;

namespace ConvGen.Reference;

public static partial class ReferenceOps
{
    /// <summary>
    /// Backward pass of <see cref="ReLU"/> (PyTorch's <c>threshold_backward(grad, x, 0)</c>):
    /// x ≤ 0 ? 0 : g, so the gradient at x = 0 is 0.
    /// </summary>
    /// <param name="gradOutput">Upstream gradient, same shape as <paramref name="x"/>.</param>
    /// <param name="x">Forward input of any shape.</param>
    /// <returns>grad_input, a new array of the same length.</returns>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static float[] ReLUBackward(float[] gradOutput, float[] x) =>
        MapBackward(gradOutput, x, static (g, v) => v <= 0.0 ? 0.0 : g);

    /// <summary>
    /// Backward pass of <see cref="LeakyReLU"/> (PyTorch's <c>leaky_relu_backward</c>):
    /// x &gt; 0 ? g : slope·g, so the gradient at x = 0 is slope·g.
    /// </summary>
    /// <param name="gradOutput">Upstream gradient, same shape as <paramref name="x"/>.</param>
    /// <param name="x">Forward input of any shape.</param>
    /// <param name="negativeSlope">Slope for non-positive inputs (PyTorch's default 0.01).</param>
    /// <returns>grad_input, a new array of the same length.</returns>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static float[] LeakyReLUBackward(float[] gradOutput, float[] x, double negativeSlope = 0.01) =>
        MapBackward(gradOutput, x, (g, v) => v > 0.0 ? g : g * negativeSlope);

    /// <summary>
    /// Backward pass of <see cref="ReLU6"/> (PyTorch's <c>hardtanh_backward(grad, x, 0, 6)</c>):
    /// x ≤ 0 or x ≥ 6 ? 0 : g, so the gradient is 0 at both edges.
    /// </summary>
    /// <param name="gradOutput">Upstream gradient, same shape as <paramref name="x"/>.</param>
    /// <param name="x">Forward input of any shape.</param>
    /// <returns>grad_input, a new array of the same length.</returns>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static float[] ReLU6Backward(float[] gradOutput, float[] x) =>
        MapBackward(gradOutput, x, static (g, v) => v <= 0.0 || v >= 6.0 ? 0.0 : g);

    /// <summary>Backward pass of <see cref="Sigmoid"/>: g·σ(x)·(1 − σ(x)), in double.</summary>
    /// <param name="gradOutput">Upstream gradient, same shape as <paramref name="x"/>.</param>
    /// <param name="x">Forward input of any shape.</param>
    /// <returns>grad_input, a new array of the same length.</returns>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static float[] SigmoidBackward(float[] gradOutput, float[] x) =>
        MapBackward(gradOutput, x, static (g, v) =>
        {
            double s = 1.0 / (1.0 + Math.Exp(-v));
            return g * s * (1.0 - s);
        });

    /// <summary>Backward pass of <see cref="Tanh"/>: g·(1 − tanh²(x)), in double.</summary>
    /// <param name="gradOutput">Upstream gradient, same shape as <paramref name="x"/>.</param>
    /// <param name="x">Forward input of any shape.</param>
    /// <returns>grad_input, a new array of the same length.</returns>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static float[] TanhBackward(float[] gradOutput, float[] x) =>
        MapBackward(gradOutput, x, static (g, v) =>
        {
            double t = Math.Tanh(v);
            return g * (1.0 - (t * t));
        });

    /// <summary>
    /// Backward pass of <see cref="SiLU"/> (PyTorch's <c>silu_backward</c>):
    /// d(x·σ(x))/dx = σ(x)·(1 + x·(1 − σ(x))), times g, in double.
    /// </summary>
    /// <param name="gradOutput">Upstream gradient, same shape as <paramref name="x"/>.</param>
    /// <param name="x">Forward input of any shape.</param>
    /// <returns>grad_input, a new array of the same length.</returns>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static float[] SiLUBackward(float[] gradOutput, float[] x) =>
        MapBackward(gradOutput, x, static (g, v) =>
        {
            double s = 1.0 / (1.0 + Math.Exp(-v));
            return g * s * (1.0 + (v * (1.0 - s)));
        });

    private static float[] MapBackward(float[] gradOutput, float[] x, Func<double, double, double> f)
    {
        ArgumentNullException.ThrowIfNull(x);
        RequireLength(gradOutput, x.LongLength, nameof(gradOutput), $"of x ({x.LongLength} elements)");
        var gradInput = new float[x.LongLength];
        for (long i = 0; i < x.LongLength; i++)
        {
            gradInput[i] = (float)f(gradOutput[i], x[i]);
        }

        return gradInput;
    }
}
