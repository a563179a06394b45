using System;
using ConvGen.Reference;
using Xunit;

namespace ConvGen.Tests.Gradients;

/// <summary>
/// Finite-difference checks of the activation backward ops (inputs kept away from the kinks), and
/// PyTorch's choices at the kinks themselves.
/// </summary>
public sealed class ActivationGradientTests
{
    public static TheoryData<string> Activations => new() { "relu", "leaky_relu", "relu6", "sigmoid", "tanh", "silu" };

    [Theory]
    [MemberData(nameof(Activations))]
    public void Activation_backward_matches_finite_differences(string name)
    {
        var rng = new Random(name.Length);
        float[] x = GradientData.AwayFrom(rng, 40, -8, 8, 4 * GradientCheck.SmoothStep, 0.0, 6.0);
        float[] gradOutput = GradientData.Grid(rng, x.Length);
        (Func<float[]> forward, float[] gradInput) = name switch
        {
            "relu" => ((Func<float[]>)(() => ReferenceOps.ReLU(x)), ReferenceOps.ReLUBackward(gradOutput, x)),
            "leaky_relu" => (() => ReferenceOps.LeakyReLU(x, 0.125), ReferenceOps.LeakyReLUBackward(gradOutput, x, 0.125)),
            "relu6" => (() => ReferenceOps.ReLU6(x), ReferenceOps.ReLU6Backward(gradOutput, x)),
            "sigmoid" => (() => ReferenceOps.Sigmoid(x), ReferenceOps.SigmoidBackward(gradOutput, x)),
            "tanh" => (() => ReferenceOps.Tanh(x), ReferenceOps.TanhBackward(gradOutput, x)),
            "silu" => (() => ReferenceOps.SiLU(x), ReferenceOps.SiLUBackward(gradOutput, x)),
            _ => throw new ArgumentException(name),
        };
        GradientCheck.Matches("grad_input", gradInput, x, forward, gradOutput, GradientCheck.SmoothStep, 1e-3);
    }

    [Fact]
    public void ReLU_gradient_is_zero_at_zero()
    {
        Assert.Equal(new float[] { 0, 0, 3 }, ReferenceOps.ReLUBackward([3, 3, 3], [-1, 0, 1]));
    }

    [Fact]
    public void LeakyReLU_gradient_at_zero_is_the_slope()
    {
        Assert.Equal(new float[] { 0.5f, 0.5f, 4 }, ReferenceOps.LeakyReLUBackward([4, 4, 4], [-1, 0, 1], 0.125));
    }

    [Fact]
    public void ReLU6_gradient_is_zero_at_both_edges()
    {
        Assert.Equal(new float[] { 0, 0, 2, 0, 0 }, ReferenceOps.ReLU6Backward([2, 2, 2, 2, 2], [-1, 0, 3, 6, 7]));
    }
}
