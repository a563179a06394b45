using System;
using System.Collections.Generic;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace ConvGen.Training;

/// <summary>
/// Stochastic gradient descent with optional momentum, Nesterov momentum and L2 weight decay, computing exactly what
/// PyTorch 1.13's <c>torch.optim.SGD</c> computes (single-tensor path), in float32 and in the same order:
/// <code>
/// d = g  (−g when maximizing);   d += weight_decay · p
/// buf = d on the first step, else buf = momentum · buf + (1 − dampening) · d
/// d = d + momentum · buf  (Nesterov)   or   d = buf
/// p −= lr · d
/// </code>
/// The first step stores the gradient itself in the momentum buffer, not (1 − dampening)·g, as PyTorch does.
/// Each "x + α·y" rounds once, as PyTorch's fused <c>add(y, alpha=α)</c> does (see <see cref="FusedMath"/>).
/// </summary>
public sealed class Sgd : Optimizer
{
    // One buffer per parameter, allocated here; empty when momentum is 0 (PyTorch keeps none either).
    private readonly float[][] _momentumBuffers;

    /// <summary>An SGD optimizer over <paramref name="parameters"/>.</summary>
    /// <param name="parameters">The parameters to update; the list is copied, the arrays are not.</param>
    /// <param name="learningRate">PyTorch's <c>lr</c>.</param>
    /// <param name="momentum">PyTorch's <c>momentum</c>; 0 keeps no buffer.</param>
    /// <param name="dampening">PyTorch's <c>dampening</c>: the buffer adds (1 − dampening)·d after the first step.</param>
    /// <param name="nesterov">PyTorch's <c>nesterov</c>; needs momentum &gt; 0 and dampening 0.</param>
    /// <param name="weightDecay">PyTorch's <c>weight_decay</c>: an L2 penalty added to the gradient.</param>
    /// <param name="maximize">PyTorch's <c>maximize</c>: ascend instead of descend.</param>
    /// <exception cref="ArgumentOutOfRangeException">The learning rate, momentum or weight decay is negative or NaN, or dampening is NaN.</exception>
    /// <exception cref="ArgumentException">Nesterov momentum without momentum or with dampening, or a bad parameter list.</exception>
    public Sgd(
        IReadOnlyList<ParameterSlot> parameters,
        double learningRate,
        double momentum = 0,
        double dampening = 0,
        bool nesterov = false,
        double weightDecay = 0,
        bool maximize = false)
        : base(parameters, learningRate)
    {
        CheckNonNegative(momentum, "momentum value", nameof(momentum));
        CheckNonNegative(weightDecay, "weight_decay value", nameof(weightDecay));
        if (double.IsNaN(dampening))
        {
            throw new ArgumentOutOfRangeException(nameof(dampening), dampening, "Invalid dampening value: NaN.");
        }

        if (nesterov && (momentum <= 0 || dampening != 0))
        {
            throw new ArgumentException("Nesterov momentum requires a momentum and zero dampening.", nameof(nesterov));
        }

        Momentum = momentum;
        Dampening = dampening;
        Nesterov = nesterov;
        WeightDecay = weightDecay;
        Maximize = maximize;
        _momentumBuffers = new float[Slots.Length][];
        for (int i = 0; i < _momentumBuffers.Length; i++)
        {
            _momentumBuffers[i] = momentum != 0 ? new float[Slots[i].Length] : [];
        }
    }

    /// <summary>PyTorch's <c>momentum</c>.</summary>
    public double Momentum { get; }

    /// <summary>PyTorch's <c>dampening</c>.</summary>
    public double Dampening { get; }

    /// <summary>PyTorch's <c>nesterov</c>.</summary>
    public bool Nesterov { get; }

    /// <summary>PyTorch's <c>weight_decay</c> (L2, added to the gradient).</summary>
    public double WeightDecay { get; }

    /// <summary>PyTorch's <c>maximize</c>.</summary>
    public bool Maximize { get; }

    private protected override void Update(long step)
    {
        // Python floats are doubles; PyTorch rounds each scalar (1 − dampening included) to float32 at the kernel.
        var c = new Coefficients
        {
            NegativeLearningRate = (float)-LearningRate,
            WeightDecay = (float)WeightDecay,
            Momentum = (float)Momentum,
            OneMinusDampening = (float)(1 - Dampening),
            UseWeightDecay = WeightDecay != 0,
            UseMomentum = Momentum != 0,
            FirstStep = step == 1,
            Nesterov = Nesterov,
            Maximize = Maximize,
        };
        ReadOnlySpan<ParameterSlot> slots = Slots;
        for (int i = 0; i < slots.Length; i++)
        {
            UpdateTensor(slots[i].Value, slots[i].Gradient, _momentumBuffers[i], in c);
        }
    }

    private static void UpdateTensor(Span<float> p, ReadOnlySpan<float> g, Span<float> buffer, in Coefficients c)
    {
        int n = p.Length, width = Vector<float>.Count, j = 0;
        bool hasBuffer = !buffer.IsEmpty;
        for (; j <= n - width; j += width)
        {
            var pv = new Vector<float>(p.Slice(j));
            Vector<float> bv = hasBuffer ? new Vector<float>(buffer.Slice(j)) : default;
            Lanes(ref pv, new Vector<float>(g.Slice(j)), ref bv, in c);
            pv.CopyTo(p.Slice(j));
            if (hasBuffer)
            {
                bv.CopyTo(buffer.Slice(j));
            }
        }

        if (j < n)
        {
            // The tail goes through the same lane arithmetic via zeroed stack copies, so every element sees identical math.
            int rest = n - j;
            Span<float> pt = stackalloc float[width], gt = stackalloc float[width], bt = stackalloc float[width];
            p.Slice(j).CopyTo(pt);
            g.Slice(j).CopyTo(gt);
            if (hasBuffer)
            {
                buffer.Slice(j).CopyTo(bt);
            }

            var pv = new Vector<float>(pt);
            var bv = new Vector<float>(bt);
            Lanes(ref pv, new Vector<float>(gt), ref bv, in c);
            pv.CopyTo(pt);
            bv.CopyTo(bt);
            pt.Slice(0, rest).CopyTo(p.Slice(j));
            if (hasBuffer)
            {
                bt.Slice(0, rest).CopyTo(buffer.Slice(j));
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Lanes(ref Vector<float> p, Vector<float> g, ref Vector<float> buffer, in Coefficients c)
    {
        // Each "x + α·y" below is PyTorch's add(y, alpha=α), which rounds once: fma(y, α, x).
        Vector<float> d = c.Maximize ? -g : g;
        if (c.UseWeightDecay)
        {
            d = FusedMath.MultiplyAdd(p, new Vector<float>(c.WeightDecay), d);
        }

        if (c.UseMomentum)
        {
            buffer = c.FirstStep
                ? d
                : FusedMath.MultiplyAdd(d, new Vector<float>(c.OneMinusDampening), buffer * c.Momentum);
            d = c.Nesterov ? FusedMath.MultiplyAdd(buffer, new Vector<float>(c.Momentum), d) : buffer;
        }

        p = FusedMath.MultiplyAdd(d, new Vector<float>(c.NegativeLearningRate), p);
    }

    private readonly struct Coefficients
    {
        public float NegativeLearningRate { get; init; }

        public float WeightDecay { get; init; }

        public float Momentum { get; init; }

        public float OneMinusDampening { get; init; }

        public bool UseWeightDecay { get; init; }

        public bool UseMomentum { get; init; }

        public bool FirstStep { get; init; }

        public bool Nesterov { get; init; }

        public bool Maximize { get; init; }
    }
}
