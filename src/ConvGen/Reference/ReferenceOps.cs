using System;

namespace ConvGen.Reference;

/// <summary>
/// Naive reference implementations of every layer ConvGen compiles, written straight from the
/// formulas (plain nested loops, double accumulation) and matching PyTorch's semantics. Tests use
/// them as the independent oracle for generated kernels; they are deliberately slow and simple.
/// </summary>
/// <remarks>
/// Tensors are <see cref="float"/> arrays in NCHW order with an explicit batch N. 1-D layers are the
/// 2-D ones with H = 1 (kernel height 1, no vertical padding). Inconsistent sizes throw
/// <see cref="ArgumentException"/>. The output-size formulas are restated here on purpose rather
/// than shared with the generator, so that the oracle stays independent of the code it checks.
/// </remarks>
public static partial class ReferenceOps
{
    private static void RequirePositive(int value, string paramName)
    {
        if (value <= 0)
        {
            throw new ArgumentException($"Expected a positive value, got {value}.", paramName);
        }
    }

    private static void RequireNonNegative(int value, string paramName)
    {
        if (value < 0)
        {
            throw new ArgumentException($"Expected a non-negative value, got {value}.", paramName);
        }
    }

    private static void RequireLength(float[] array, long expected, string paramName, string shape)
    {
        ArgumentNullException.ThrowIfNull(array, paramName);
        if (array.LongLength != expected)
        {
            throw new ArgumentException(
                $"Expected {expected} elements for shape {shape}, got {array.LongLength}.", paramName);
        }
    }

    private static void RequireTensor(float[] x, int n, int c, int h, int w, string paramName)
    {
        RequirePositive(n, nameof(n));
        RequirePositive(c, nameof(c));
        RequirePositive(h, nameof(h));
        RequirePositive(w, nameof(w));
        RequireLength(x, (long)n * c * h * w, paramName, $"[N={n}, C={c}, H={h}, W={w}]");
    }

    /// <summary>Floor division (rounds towards −∞), PyTorch's <c>div_rtn</c>.</summary>
    private static int FloorDiv(int a, int b)
    {
        int q = a / b;
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
    }
}
