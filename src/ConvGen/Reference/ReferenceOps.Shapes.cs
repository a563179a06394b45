using System;

namespace ConvGen.Reference;

public static partial class ReferenceOps
{
    /// <summary>
    /// Output length of a convolution along one dimension:
    /// ⌊(n + padBefore + padAfter − (d(k − 1) + 1)) / s⌋ + 1.
    /// </summary>
    /// <param name="n">Input length.</param>
    /// <param name="kernel">Kernel size k.</param>
    /// <param name="stride">Stride s.</param>
    /// <param name="padBefore">Padding before the first element (top or left).</param>
    /// <param name="padAfter">Padding after the last element (bottom or right).</param>
    /// <param name="dilation">Dilation d.</param>
    /// <returns>The output length.</returns>
    /// <exception cref="ArgumentException">A size is out of range or the output would be empty.</exception>
    public static int ConvOutputSize(int n, int kernel, int stride, int padBefore, int padAfter, int dilation)
    {
        RequirePositive(n, nameof(n));
        RequirePositive(kernel, nameof(kernel));
        RequirePositive(stride, nameof(stride));
        RequirePositive(dilation, nameof(dilation));
        RequireNonNegative(padBefore, nameof(padBefore));
        RequireNonNegative(padAfter, nameof(padAfter));
        int effectiveKernel = (dilation * (kernel - 1)) + 1;
        int padded = n + padBefore + padAfter;
        if (padded < effectiveKernel)
        {
            throw new ArgumentException(
                $"Padded input length {padded} is smaller than the effective kernel {effectiveKernel} (k={kernel}, d={dilation}).",
                nameof(kernel));
        }

        return ((padded - effectiveKernel) / stride) + 1;
    }

    /// <summary>
    /// Output length of a transposed convolution along one dimension:
    /// (n − 1)s − 2p + d(k − 1) + outputPadding + 1.
    /// </summary>
    /// <param name="n">Input length.</param>
    /// <param name="kernel">Kernel size k.</param>
    /// <param name="stride">Stride s.</param>
    /// <param name="padding">Padding p removed from both ends of the output.</param>
    /// <param name="outputPadding">Extra length at the end; PyTorch requires it to be smaller than the stride or the dilation.</param>
    /// <param name="dilation">Dilation d.</param>
    /// <returns>The output length.</returns>
    /// <exception cref="ArgumentException">A size is out of range or the output would be empty.</exception>
    public static int ConvTransposeOutputSize(int n, int kernel, int stride, int padding, int outputPadding, int dilation)
    {
        RequirePositive(n, nameof(n));
        RequirePositive(kernel, nameof(kernel));
        RequirePositive(stride, nameof(stride));
        RequirePositive(dilation, nameof(dilation));
        RequireNonNegative(padding, nameof(padding));
        RequireNonNegative(outputPadding, nameof(outputPadding));
        if (outputPadding >= stride && outputPadding >= dilation)
        {
            throw new ArgumentException(
                $"Output padding {outputPadding} must be smaller than either the stride {stride} or the dilation {dilation} (as in PyTorch).",
                nameof(outputPadding));
        }

        int size = ((n - 1) * stride) - (2 * padding) + (dilation * (kernel - 1)) + outputPadding + 1;
        if (size <= 0)
        {
            throw new ArgumentException($"Transposed convolution output length would be {size}.", nameof(padding));
        }

        return size;
    }

    /// <summary>
    /// Output length of max or average pooling along one dimension, PyTorch's <c>pooling_output_shape</c>:
    /// out = ⌊(n + 2p − d(k − 1) − 1 + (ceilMode ? s − 1 : 0)) / s⌋ + 1, and with <paramref name="ceilMode"/>
    /// the last window must start inside the input or the left padding: if (out − 1)s ≥ n + p then out − 1.
    /// </summary>
    /// <param name="n">Input length.</param>
    /// <param name="kernel">Window size k.</param>
    /// <param name="stride">Stride s.</param>
    /// <param name="padding">Symmetric implicit padding p; PyTorch requires p ≤ k/2.</param>
    /// <param name="dilation">Dilation d (1 for average pooling).</param>
    /// <param name="ceilMode">Round the division up instead of down.</param>
    /// <returns>The output length.</returns>
    /// <exception cref="ArgumentException">A size is out of range or the output would be empty.</exception>
    public static int PoolOutputSize(int n, int kernel, int stride, int padding, int dilation, bool ceilMode)
    {
        RequirePositive(n, nameof(n));
        RequirePositive(kernel, nameof(kernel));
        RequirePositive(stride, nameof(stride));
        RequirePositive(dilation, nameof(dilation));
        RequireNonNegative(padding, nameof(padding));
        if (padding > kernel / 2)
        {
            throw new ArgumentException(
                $"Pooling padding {padding} must be at most half the window {kernel} (as in PyTorch).", nameof(padding));
        }

        int numerator = n + (2 * padding) - (dilation * (kernel - 1)) - 1 + (ceilMode ? stride - 1 : 0);
        int size = FloorDiv(numerator, stride) + 1;
        if (ceilMode && (size - 1) * stride >= n + padding)
        {
            // The last window would start in the right padding: PyTorch drops it.
            size--;
        }

        if (size <= 0)
        {
            throw new ArgumentException(
                $"Pooling output length would be {size} (n={n}, k={kernel}, s={stride}, p={padding}, d={dilation}).",
                nameof(kernel));
        }

        return size;
    }
}
