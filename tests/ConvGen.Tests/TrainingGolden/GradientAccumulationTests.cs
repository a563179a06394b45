using System;
using System.Linq;
using ConvGen.Training;
using Xunit;

namespace ConvGen.Tests.TrainingGolden;

/// <summary>
/// Backward adds to the parameter gradients, as PyTorch's <c>backward()</c> accumulates into <c>.grad</c>, and
/// <see cref="ITrainer.ZeroGrad"/> clears them. Run on every gradient case, so each layer's backward kernel is seen
/// to add rather than overwrite. The gradients' values are <see cref="TrainingGoldenTests"/>' business; here the
/// second backward is compared with the first.
/// </summary>
public sealed class GradientAccumulationTests
{
    [Theory]
    [MemberData(nameof(TrainingGoldenTests.GradientCases), MemberType = typeof(TrainingGoldenTests))]
    public void A_second_backward_doubles_the_gradients_and_ZeroGrad_clears_them(string name)
    {
        var (c, file, trainer) = TrainingGoldenCase.Start(name);
        float[] gradOutput = file["grad_output"].Data;
        trainer.Forward(file["input"].Data, new float[file["output"].ElementCount], c.Batch);

        float[] firstInputGradient = Backward(trainer, gradOutput, file);
        Tensor[] first = Snapshot(trainer, file, scale: 1);
        Tensor[] doubled = Snapshot(trainer, file, scale: 2);

        // ∂loss/∂input is written, not accumulated: the second backward gives the first one's again.
        TrainingGoldenAssert.AllClose(
            $"{c.Name} second grad_input", new Tensor("grad_input", file["grad_input"].Shape, firstInputGradient),
            Backward(trainer, gradOutput, file), c.For("grad_input"));
        ExpectGradients(c, trainer, doubled, "after two backward passes");

        trainer.ZeroGrad();
        foreach (ParameterSlot slot in trainer.Parameters)
        {
            int nonZero = Array.FindIndex(slot.Gradient, g => g != 0);
            Assert.True(nonZero < 0, $"{c.Name}: after ZeroGrad, {slot.Name}[{nonZero}] = {(nonZero < 0 ? 0 : slot.Gradient[nonZero]):R}.");
        }

        Assert.All(trainer.ExportGradients(), t => Assert.True(t.Data.All(g => g == 0), $"{c.Name}: ExportGradients()['{t.Name}'] is not zero after ZeroGrad."));

        Backward(trainer, gradOutput, file);
        ExpectGradients(c, trainer, first, "after ZeroGrad and one backward pass");
    }

    private static float[] Backward(ITrainer trainer, float[] gradOutput, ModelWeights file)
    {
        var inputGradient = new float[file["grad_input"].ElementCount];
        trainer.Backward(gradOutput, inputGradient);
        return inputGradient;
    }

    /// <summary>Each parameter's current gradient times <paramref name="scale"/>, shaped as PyTorch's <c>grad.*</c> tensor.</summary>
    private static Tensor[] Snapshot(ITrainer trainer, ModelWeights file, float scale)
        => trainer.Parameters
            .Select(p => new Tensor(p.Name, file["grad." + p.Name].Shape, p.Gradient.Select(g => g * scale).ToArray()))
            .ToArray();

    private static void ExpectGradients(TrainingGoldenCase c, ITrainer trainer, Tensor[] expected, string when)
    {
        for (int i = 0; i < expected.Length; i++)
        {
            TrainingGoldenAssert.AllClose($"{c.Name} {when}: grad.{expected[i].Name}", expected[i], trainer.Parameters[i].Gradient, c.For("grad_params"));
        }
    }
}
