using System;

namespace ConvGen.Reference;

public static partial class ReferenceOps
{
    /// <summary>PyTorch's <c>ReLU</c>: max(x, 0), elementwise; NaN stays NaN.</summary>
    /// <param name="x">Input of any shape.</param>
    /// <returns>A new array of the same length.</returns>
    public static float[] ReLU(float[] x) => Map(x, static v => v > 0f || float.IsNaN(v) ? v : 0f);

    /// <summary>PyTorch's <c>LeakyReLU</c>: x for x &gt; 0, else slope·x, elementwise.</summary>
    /// <param name="x">Input of any shape.</param>
    /// <param name="negativeSlope">Slope for non-positive inputs (PyTorch's default 0.01).</param>
    /// <returns>A new array of the same length.</returns>
    public static float[] LeakyReLU(float[] x, double negativeSlope = 0.01) =>
        Map(x, v => v > 0f ? v : (float)(v * negativeSlope));

    /// <summary>PyTorch's <c>ReLU6</c>: min(max(x, 0), 6), elementwise; NaN stays NaN.</summary>
    /// <param name="x">Input of any shape.</param>
    /// <returns>A new array of the same length.</returns>
    public static float[] ReLU6(float[] x) => Map(x, static v => v <= 0f ? 0f : v >= 6f ? 6f : v);

    /// <summary>PyTorch's <c>Sigmoid</c>: 1 / (1 + e^−x), elementwise, computed in double.</summary>
    /// <param name="x">Input of any shape.</param>
    /// <returns>A new array of the same length.</returns>
    public static float[] Sigmoid(float[] x) => Map(x, static v => (float)(1.0 / (1.0 + Math.Exp(-(double)v))));

    /// <summary>PyTorch's <c>Tanh</c>, elementwise, computed in double.</summary>
    /// <param name="x">Input of any shape.</param>
    /// <returns>A new array of the same length.</returns>
    public static float[] Tanh(float[] x) => Map(x, static v => (float)Math.Tanh(v));

    /// <summary>PyTorch's <c>SiLU</c> (swish): x·sigmoid(x) = x / (1 + e^−x), elementwise, computed in double.</summary>
    /// <param name="x">Input of any shape.</param>
    /// <returns>A new array of the same length.</returns>
    public static float[] SiLU(float[] x) => Map(x, static v => (float)(v / (1.0 + Math.Exp(-(double)v))));

    private static float[] Map(float[] x, Func<float, float> f)
    {
        ArgumentNullException.ThrowIfNull(x);
        var y = new float[x.LongLength];
        for (long i = 0; i < x.LongLength; i++)
        {
            y[i] = f(x[i]);
        }

        return y;
    }
}
