using System.Collections.Generic;

namespace ConvGen.Training;

/// <summary>
/// What <see cref="Adam"/> and <see cref="AdamW"/> share: the hyper-parameters, the moment buffers and the update;
/// they differ only in where the weight decay goes (into the gradient, or straight onto the parameters).
/// </summary>
public abstract class AdamOptimizer : Optimizer
{
    private readonly AdamMoments _moments;
    private readonly bool _decoupledWeightDecay;

    private protected AdamOptimizer(
        IReadOnlyList<ParameterSlot> parameters,
        double learningRate,
        double beta1,
        double beta2,
        double epsilon,
        double weightDecay,
        bool amsgrad,
        bool maximize,
        bool decoupledWeightDecay)
        : base(parameters, learningRate)
    {
        AdamMoments.Validate(beta1, beta2, epsilon, weightDecay);
        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
        WeightDecay = weightDecay;
        Amsgrad = amsgrad;
        Maximize = maximize;
        _decoupledWeightDecay = decoupledWeightDecay;
        _moments = new AdamMoments(Slots, amsgrad);
    }

    /// <summary>PyTorch's <c>betas[0]</c>.</summary>
    public double Beta1 { get; }

    /// <summary>PyTorch's <c>betas[1]</c>.</summary>
    public double Beta2 { get; }

    /// <summary>PyTorch's <c>eps</c>.</summary>
    public double Epsilon { get; }

    /// <summary>PyTorch's <c>weight_decay</c> (L2 added to the gradient for <see cref="Adam"/>, decoupled for <see cref="AdamW"/>).</summary>
    public double WeightDecay { get; }

    /// <summary>PyTorch's <c>amsgrad</c>.</summary>
    public bool Amsgrad { get; }

    /// <summary>PyTorch's <c>maximize</c>.</summary>
    public bool Maximize { get; }

    private protected override void Update(long step)
        => _moments.Update(Slots, step, LearningRate, Beta1, Beta2, Epsilon, WeightDecay, _decoupledWeightDecay, Amsgrad, Maximize);
}
