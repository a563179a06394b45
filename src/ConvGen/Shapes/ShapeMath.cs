namespace ConvGen.Shapes;

/// <summary>
/// The formulas of the design notes, once. Compiled into the runtime, the generator and the analyzers,
/// so all three agree on every size. Integer division here always floors toward −∞, as Python's //.
/// </summary>
internal static class ShapeMath
{
    /// <summary>k_eff = d(k − 1) + 1.</summary>
    public static int EffectiveKernel(int kernel, int dilation) => (dilation * (kernel - 1)) + 1;

    /// <summary>
    /// Convolution output size ⌊(n + before + after − k_eff)/s⌋ + 1; zero or negative when the kernel does not
    /// fit the padded input.
    /// </summary>
    public static int ConvOutput(int n, int kernel, int stride, int padBefore, int padAfter, int dilation)
        => FloorDiv(n + padBefore + padAfter - EffectiveKernel(kernel, dilation), stride) + 1;

    /// <summary>Transposed convolution output size (n − 1)s − 2p + d(k − 1) + output_padding + 1.</summary>
    public static int ConvTransposeOutput(int n, int kernel, int stride, int padding, int dilation, int outputPadding)
        => ((n - 1) * stride) - (2 * padding) + (dilation * (kernel - 1)) + outputPadding + 1;

    /// <summary>
    /// Pooling output size with PyTorch's ceil_mode rule: with ceil_mode, a last window that would start in
    /// the right padding is dropped ((out − 1)s ≥ n + p).
    /// </summary>
    public static int PoolOutput(int n, int kernel, int stride, int padding, int dilation, bool ceilMode)
    {
        int span = n + (2 * padding) - EffectiveKernel(kernel, dilation);
        int output = (ceilMode ? CeilDiv(span, stride) : FloorDiv(span, stride)) + 1;
        if (ceilMode && (output - 1) * stride >= n + padding)
        {
            output--;
        }

        return output;
    }

    /// <summary>
    /// PyTorch's padding='same' split of the total d(k − 1): ⌊total/2⌋ before, the rest (the odd extra) after.
    /// </summary>
    public static (int Before, int After) SamePadding(int kernel, int dilation)
    {
        int total = dilation * (kernel - 1);
        return (total / 2, total - (total / 2));
    }

    /// <summary>Input rows/columns a strided window never reaches: (n + before + after − k_eff) mod s.</summary>
    public static int UnusedTail(int n, int kernel, int stride, int padBefore, int padAfter, int dilation)
    {
        int span = n + padBefore + padAfter - EffectiveKernel(kernel, dilation);
        return span < 0 ? 0 : span % stride;
    }

    /// <summary>⌊a / b⌋ for b &gt; 0.</summary>
    public static int FloorDiv(int a, int b) => a >= 0 ? a / b : -((-a + b - 1) / b);

    /// <summary>⌈a / b⌉ for b &gt; 0.</summary>
    public static int CeilDiv(int a, int b) => -FloorDiv(-a, b);

    /// <summary>Fan-in of a convolution weight: C_in/g · kH · kW.</summary>
    public static int FanIn(int inChannels, int groups, int kernelH, int kernelW) => inChannels / groups * kernelH * kernelW;

    /// <summary>Fan-out of a convolution weight: C_out/g · kH · kW.</summary>
    public static int FanOut(int outChannels, int groups, int kernelH, int kernelW) => outChannels / groups * kernelH * kernelW;

    /// <summary>The divisors of <paramref name="n"/> in increasing order (the valid group counts).</summary>
    public static System.Collections.Generic.List<int> Divisors(int n)
    {
        var list = new System.Collections.Generic.List<int>();
        for (int i = 1; i <= n; i++)
        {
            if (n % i == 0)
            {
                list.Add(i);
            }
        }

        return list;
    }
}
