using System.Collections.Generic;

namespace ConvGen.Training;

/// <summary>
/// Adam with decoupled weight decay (Loshchilov and Hutter), computing exactly what PyTorch 1.13's
/// <c>torch.optim.AdamW</c> computes on its default single-tensor path, in float32 and in the same order:
/// <code>
/// p = p · (1 − lr · weight_decay)
/// m = β1 · m + (1 − β1) · g;      v = β2 · v + (1 − β2) · g²      (AMSGrad: v_max = max(v_max, v))
/// p = p − lr / (1 − β1^t) · m / (√v / √(1 − β2^t) + eps)
/// </code>
/// The decay never touches the gradient or the moments; for L2 decay added to the gradient use <see cref="Adam"/>.
/// </summary>
public sealed class AdamW : AdamOptimizer
{
    /// <summary>An AdamW optimizer over <paramref name="parameters"/>, with PyTorch's defaults.</summary>
    /// <param name="parameters">The parameters to update; the list is copied, the arrays are not.</param>
    /// <param name="learningRate">PyTorch's <c>lr</c>.</param>
    /// <param name="beta1">PyTorch's <c>betas[0]</c>: the decay of the first moment.</param>
    /// <param name="beta2">PyTorch's <c>betas[1]</c>: the decay of the second moment.</param>
    /// <param name="epsilon">PyTorch's <c>eps</c>, added after the bias-corrected square root.</param>
    /// <param name="weightDecay">PyTorch's <c>weight_decay</c>: each step first scales the parameters by 1 − lr · weight_decay.</param>
    /// <param name="amsgrad">PyTorch's <c>amsgrad</c>: divide by the running maximum of the second moment.</param>
    /// <param name="maximize">PyTorch's <c>maximize</c>: ascend instead of descend.</param>
    /// <exception cref="System.ArgumentOutOfRangeException">A hyper-parameter is out of PyTorch's range (negative, NaN, or a beta outside [0, 1)).</exception>
    /// <exception cref="System.ArgumentException">A bad parameter list.</exception>
    public AdamW(
        IReadOnlyList<ParameterSlot> parameters,
        double learningRate = 1e-3,
        double beta1 = 0.9,
        double beta2 = 0.999,
        double epsilon = 1e-8,
        double weightDecay = 1e-2,
        bool amsgrad = false,
        bool maximize = false)
        : base(parameters, learningRate, beta1, beta2, epsilon, weightDecay, amsgrad, maximize, decoupledWeightDecay: true)
    {
    }
}
