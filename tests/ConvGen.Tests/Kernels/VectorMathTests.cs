using System;
using System.Collections.Generic;
using System.Globalization;
using System.Numerics;
using ConvGen.Kernels;
using Xunit;

namespace ConvGen.Tests.Kernels;

/// <summary>
/// <see cref="VectorMath"/> against the same functions in double precision, rounded to float: a dense sweep of float bit
/// patterns over [−110, 110] (every 257th float, so every binade from the subnormals up, and the inputs whose results
/// are subnormal or saturate) within 3 ulp, the special values PyTorch's definitions give, and the scalar forms equal to
/// a vector lane bit for bit wherever the value sits in the vector.
/// </summary>
public sealed class VectorMathTests
{
    private const int MaxUlps = 3;

    public static TheoryData<string> Functions() => new() { "Exp", "Sigmoid", "SiLU", "Tanh" };

    [Theory]
    [MemberData(nameof(Functions))]
    public void Every_swept_input_is_within_3_ulp_of_double_precision(string name)
    {
        var (vector, exact) = Function(name);
        var inputs = Sweep();
        var output = new float[inputs.Length];
        int lanes = Vector<float>.Count;
        for (int i = 0; i + lanes <= inputs.Length; i += lanes)
        {
            vector(new Vector<float>(inputs, i)).CopyTo(output, i);
        }

        long worst = 0;
        float worstInput = 0;
        for (int i = 0; i < inputs.Length - (inputs.Length % lanes); i++)
        {
            float expected = (float)exact(inputs[i]);
            long ulps = UlpDistance(output[i], expected);
            if (ulps > worst)
            {
                worst = ulps;
                worstInput = inputs[i];
            }
        }

        Assert.True(worst <= MaxUlps, string.Create(CultureInfo.InvariantCulture, $"{name}({worstInput:R}) is {worst} ulp from double precision"));
    }

    [Theory]
    [MemberData(nameof(Functions))]
    public void The_scalar_form_equals_every_lane(string name)
    {
        if (name == "Exp")
        {
            return; // the generated kernels call only the activations' scalar forms
        }

        var (vector, _) = Function(name);
        Func<float, float> scalar = name switch
        {
            "Sigmoid" => VectorMath.Sigmoid,
            "SiLU" => VectorMath.SiLU,
            _ => VectorMath.Tanh,
        };
        var inputs = Sweep();
        int lanes = Vector<float>.Count;
        var values = new float[lanes];
        for (int i = 0; i < inputs.Length; i += 61)
        {
            // The value at a different lane each time, among neighbours.
            for (int lane = 0; lane < lanes; lane++)
            {
                values[lane] = inputs[(i + lane) % inputs.Length];
            }

            int at = (i / 61) % lanes;
            float lane0 = vector(new Vector<float>(values))[at];
            Assert.Equal(BitConverter.SingleToInt32Bits(lane0), BitConverter.SingleToInt32Bits(scalar(values[at])));
        }
    }

    [Theory]
    [InlineData("Exp", float.NaN, float.NaN)]
    [InlineData("Exp", float.PositiveInfinity, float.PositiveInfinity)]
    [InlineData("Exp", float.NegativeInfinity, 0f)]
    [InlineData("Exp", 0f, 1f)]
    [InlineData("Exp", 88.8f, float.PositiveInfinity)]
    [InlineData("Exp", -104f, 0f)]
    [InlineData("Exp", 1e30f, float.PositiveInfinity)]
    [InlineData("Exp", -1e30f, 0f)]
    [InlineData("Sigmoid", float.NaN, float.NaN)]
    [InlineData("Sigmoid", float.PositiveInfinity, 1f)]
    [InlineData("Sigmoid", float.NegativeInfinity, 0f)]
    [InlineData("Sigmoid", 0f, 0.5f)]
    [InlineData("Sigmoid", 100f, 1f)]
    [InlineData("Sigmoid", -200f, 0f)]
    [InlineData("Sigmoid", -3e38f, 0f)]
    [InlineData("SiLU", float.NaN, float.NaN)]
    [InlineData("SiLU", float.PositiveInfinity, float.PositiveInfinity)]
    [InlineData("SiLU", float.NegativeInfinity, float.NaN)] // PyTorch: −∞ / (1 + ∞)
    [InlineData("SiLU", 0f, 0f)]
    [InlineData("SiLU", -200f, -0f)]
    [InlineData("SiLU", -3e38f, -0f)]
    [InlineData("SiLU", 3e38f, 3e38f)]
    [InlineData("Tanh", float.NaN, float.NaN)]
    [InlineData("Tanh", float.PositiveInfinity, 1f)]
    [InlineData("Tanh", float.NegativeInfinity, -1f)]
    [InlineData("Tanh", 0f, 0f)]
    [InlineData("Tanh", 20f, 1f)]
    [InlineData("Tanh", -20f, -1f)]
    [InlineData("Tanh", 1e-45f, 1e-45f)]
    [InlineData("Tanh", -3e38f, -1f)]
    public void Special_values_give_what_PyTorch_gives(string name, float input, float expected)
    {
        var (vector, exact) = Function(name);
        float actual = vector(new Vector<float>(input))[0];
        Assert.Equal(BitConverter.SingleToInt32Bits(expected), BitConverter.SingleToInt32Bits(actual));
        if (!float.IsNaN(expected))
        {
            // The double-precision definition agrees, so the expectation is not only this implementation's.
            Assert.Equal(BitConverter.SingleToInt32Bits(expected), BitConverter.SingleToInt32Bits((float)exact(input)));
        }
    }

    [Fact]
    public void Negative_zero_keeps_its_sign_where_PyTorch_keeps_it()
    {
        // (xunit's InlineData counts −0 and 0 as one case.)
        Assert.Equal(1f, VectorMath.Exp(new Vector<float>(-0f))[0]);
        Assert.Equal(0.5f, VectorMath.Sigmoid(-0f));
        Assert.True(float.IsNegative(VectorMath.SiLU(-0f)) && VectorMath.SiLU(-0f) == 0f);
        Assert.True(float.IsNegative(VectorMath.Tanh(-0f)) && VectorMath.Tanh(-0f) == 0f);
        Assert.False(float.IsNegative(VectorMath.SiLU(0f)) || float.IsNegative(VectorMath.Tanh(0f)));
    }

    [Fact]
    public void Subnormal_results_keep_their_value()
    {
        // σ(−100) = 3.72e−44 and SiLU(−95) = −5.3e−40 are subnormal floats; exp(−100) too.
        foreach (var (name, input) in new[] { ("Exp", -100f), ("Sigmoid", -100f), ("Sigmoid", -87.5f), ("SiLU", -95f), ("SiLU", -106f) })
        {
            var (vector, exact) = Function(name);
            float expected = (float)exact(input);
            Assert.True(expected != 0f && Math.Abs(expected) < 1.17549435e-38f, $"{name}({input}) is not subnormal");
            Assert.True(UlpDistance(vector(new Vector<float>(input))[0], expected) <= 1, $"{name}({input})");
        }
    }

    private static (Func<Vector<float>, Vector<float>> Vector, Func<double, double> Exact) Function(string name) => name switch
    {
        "Exp" => (VectorMath.Exp, Math.Exp),
        "Sigmoid" => (VectorMath.Sigmoid, static x => 1.0 / (1.0 + Math.Exp(-x))),
        "SiLU" => (VectorMath.SiLU, static x => x / (1.0 + Math.Exp(-x))),
        "Tanh" => (VectorMath.Tanh, Math.Tanh),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    /// <summary>Every 257th float of [−110, 110] by bit pattern (both signs, each binade from the subnormals up), and ±0.</summary>
    private static float[] Sweep()
    {
        var values = new List<float> { 0f, -0f };
        int top = BitConverter.SingleToInt32Bits(110f);
        for (int bits = 1; bits <= top; bits += 257)
        {
            float v = BitConverter.Int32BitsToSingle(bits);
            values.Add(v);
            values.Add(-v);
        }

        return values.ToArray();
    }

    /// <summary>Floats between <paramref name="a"/> and <paramref name="b"/> (0 for equal values or two NaNs; ±0 are 0 apart).</summary>
    private static long UlpDistance(float a, float b)
    {
        if (float.IsNaN(a) || float.IsNaN(b))
        {
            return float.IsNaN(a) && float.IsNaN(b) ? 0 : long.MaxValue;
        }

        static long Ordered(float v)
        {
            int bits = BitConverter.SingleToInt32Bits(v);
            return bits < 0 ? -(long)(bits & int.MaxValue) : bits;
        }

        return Math.Abs(Ordered(a) - Ordered(b));
    }
}
