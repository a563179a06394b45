using System;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace ConvGen.Training;

/// <summary>
/// The state and the update <see cref="Adam"/> and <see cref="AdamW"/> share: first and second moments (and their
/// running maximum for AMSGrad) per parameter, allocated once, and the element arithmetic of PyTorch 1.13's
/// <c>_single_tensor_adam</c> / <c>_single_tensor_adamw</c>, in float32 and in PyTorch's order:
/// <code>
/// g = grad (−grad when maximizing)
/// Adam:  g = g + weight_decay · p          AdamW:  p = p · (1 − lr · weight_decay)
/// m = m · β1 + (1 − β1) · g
/// v = v · β2 + ((1 − β2) · g) · g          (AMSGrad: v_max = max(v_max, v), used below instead of v)
/// denom = √v / √(1 − β2^t) + eps
/// p = p + (−lr / (1 − β1^t)) · m / denom
/// </code>
/// The scalars are computed in double, as Python computes them, and rounded to float32 where PyTorch's kernels do;
/// the moment updates round once, as PyTorch's fused kernels do (see <see cref="FusedMath"/>).
/// </summary>
internal sealed class AdamMoments
{
    private readonly float[][] _firstMoments;
    private readonly float[][] _secondMoments;
    private readonly float[][] _maxSecondMoments;

    public AdamMoments(ReadOnlySpan<ParameterSlot> slots, bool amsgrad)
    {
        _firstMoments = new float[slots.Length][];
        _secondMoments = new float[slots.Length][];
        _maxSecondMoments = new float[slots.Length][];
        for (int i = 0; i < slots.Length; i++)
        {
            _firstMoments[i] = new float[slots[i].Length];
            _secondMoments[i] = new float[slots[i].Length];
            _maxSecondMoments[i] = amsgrad ? new float[slots[i].Length] : [];
        }
    }

    /// <summary>Checks the hyper-parameters as PyTorch's Adam and AdamW constructors do.</summary>
    public static void Validate(double beta1, double beta2, double epsilon, double weightDecay)
    {
        if (!(epsilon >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, $"Invalid epsilon value: {epsilon}. It must be at least 0.");
        }

        if (!(beta1 >= 0 && beta1 < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(beta1), beta1, $"Invalid beta parameter at index 0: {beta1}. It must be in [0, 1).");
        }

        if (!(beta2 >= 0 && beta2 < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(beta2), beta2, $"Invalid beta parameter at index 1: {beta2}. It must be in [0, 1).");
        }

        if (!(weightDecay >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay, $"Invalid weight_decay value: {weightDecay}. It must be at least 0.");
        }
    }

    /// <summary>One step over every slot.</summary>
    public void Update(
        ReadOnlySpan<ParameterSlot> slots,
        long step,
        double learningRate,
        double beta1,
        double beta2,
        double epsilon,
        double weightDecay,
        bool decoupledWeightDecay,
        bool amsgrad,
        bool maximize)
    {
        double biasCorrection1 = 1 - Math.Pow(beta1, step);
        double biasCorrection2 = 1 - Math.Pow(beta2, step);
        var c = new Coefficients
        {
            Beta1 = (float)beta1,
            OneMinusBeta1 = (float)(1 - beta1),
            Beta2 = (float)beta2,
            OneMinusBeta2 = (float)(1 - beta2),
            NegativeStepSize = (float)-(learningRate / biasCorrection1),
            BiasCorrection2Sqrt = (float)Math.Sqrt(biasCorrection2),
            Epsilon = (float)epsilon,
            WeightDecay = (float)weightDecay,
            DecayFactor = (float)(1 - (learningRate * weightDecay)),
            CoupledWeightDecay = !decoupledWeightDecay && weightDecay != 0,
            DecoupledWeightDecay = decoupledWeightDecay,
            Amsgrad = amsgrad,
            Maximize = maximize,
        };
        for (int i = 0; i < slots.Length; i++)
        {
            UpdateTensor(slots[i].Value, slots[i].Gradient, _firstMoments[i], _secondMoments[i], _maxSecondMoments[i], in c);
        }
    }

    private static void UpdateTensor(Span<float> p, ReadOnlySpan<float> g, Span<float> m, Span<float> v, Span<float> vMax, in Coefficients c)
    {
        int n = p.Length, width = Vector<float>.Count, j = 0;
        for (; j <= n - width; j += width)
        {
            var pv = new Vector<float>(p.Slice(j));
            var mv = new Vector<float>(m.Slice(j));
            var vv = new Vector<float>(v.Slice(j));
            Vector<float> maxv = c.Amsgrad ? new Vector<float>(vMax.Slice(j)) : default;
            Lanes(ref pv, new Vector<float>(g.Slice(j)), ref mv, ref vv, ref maxv, in c);
            pv.CopyTo(p.Slice(j));
            mv.CopyTo(m.Slice(j));
            vv.CopyTo(v.Slice(j));
            if (c.Amsgrad)
            {
                maxv.CopyTo(vMax.Slice(j));
            }
        }

        if (j < n)
        {
            // The tail goes through the same lane arithmetic via zeroed stack copies, so every element sees identical math.
            int rest = n - j;
            Span<float> pt = stackalloc float[width], gt = stackalloc float[width], mt = stackalloc float[width];
            Span<float> vt = stackalloc float[width], maxt = stackalloc float[width];
            p.Slice(j).CopyTo(pt);
            g.Slice(j).CopyTo(gt);
            m.Slice(j).CopyTo(mt);
            v.Slice(j).CopyTo(vt);
            if (c.Amsgrad)
            {
                vMax.Slice(j).CopyTo(maxt);
            }

            var pv = new Vector<float>(pt);
            var mv = new Vector<float>(mt);
            var vv = new Vector<float>(vt);
            var maxv = new Vector<float>(maxt);
            Lanes(ref pv, new Vector<float>(gt), ref mv, ref vv, ref maxv, in c);
            pv.CopyTo(pt);
            mv.CopyTo(mt);
            vv.CopyTo(vt);
            maxv.CopyTo(maxt);
            pt.Slice(0, rest).CopyTo(p.Slice(j));
            mt.Slice(0, rest).CopyTo(m.Slice(j));
            vt.Slice(0, rest).CopyTo(v.Slice(j));
            if (c.Amsgrad)
            {
                maxt.Slice(0, rest).CopyTo(vMax.Slice(j));
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Lanes(ref Vector<float> p, Vector<float> g, ref Vector<float> m, ref Vector<float> v, ref Vector<float> vMax, in Coefficients c)
    {
        if (c.Maximize)
        {
            g = -g;
        }

        // add(y, alpha=α) is fma(y, α, x) and addcmul(t, t, value=α) is fma(α·t, t, x) in PyTorch's kernels.
        if (c.CoupledWeightDecay)
        {
            g = FusedMath.MultiplyAdd(p, new Vector<float>(c.WeightDecay), g);
        }

        if (c.DecoupledWeightDecay)
        {
            // AdamW multiplies even when weight_decay is 0 (by exactly 1, which changes nothing).
            p *= c.DecayFactor;
        }

        m = FusedMath.MultiplyAdd(g, new Vector<float>(c.OneMinusBeta1), m * c.Beta1);
        v = FusedMath.MultiplyAdd(c.OneMinusBeta2 * g, g, v * c.Beta2);
        Vector<float> second = v;
        if (c.Amsgrad)
        {
            vMax = Vector.Max(vMax, v);
            second = vMax;
        }

        Vector<float> denominator = (Vector.SquareRoot(second) / new Vector<float>(c.BiasCorrection2Sqrt)) + new Vector<float>(c.Epsilon);

        // addcdiv_(m, denom, value=−step_size) computes p + (value · m) / denom.
        p += c.NegativeStepSize * m / denominator;
    }

    private readonly struct Coefficients
    {
        public float Beta1 { get; init; }

        public float OneMinusBeta1 { get; init; }

        public float Beta2 { get; init; }

        public float OneMinusBeta2 { get; init; }

        public float NegativeStepSize { get; init; }

        public float BiasCorrection2Sqrt { get; init; }

        public float Epsilon { get; init; }

        public float WeightDecay { get; init; }

        public float DecayFactor { get; init; }

        public bool CoupledWeightDecay { get; init; }

        public bool DecoupledWeightDecay { get; init; }

        public bool Amsgrad { get; init; }

        public bool Maximize { get; init; }
    }
}
