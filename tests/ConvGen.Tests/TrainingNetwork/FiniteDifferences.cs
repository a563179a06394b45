using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using ConvGen.Tests.Infrastructure;

namespace ConvGen.Tests.TrainingNetwork;

/// <summary>
/// Central finite differences through a whole network, the check of a backward pass that trusts no backward op:
/// for L = Σ G·output, ∂L/∂p ≈ (L(p + h) − L(p − h)) / 2h, with the output from <see cref="ReferenceTrainer.Forward"/>
/// (train or eval mode), summed in double. Every input element is checked, and a few entries of every parameter.
/// </summary>
/// <remarks>
/// The reference ops sum in double but round every layer's output to float, so the loss carries a rounding error that
/// 2h divides: in the gradient, a few 1e-6 for these networks at h = 2⁻⁷, while the truncation error h²/6·L‴ of their
/// smooth layers is of the same order. The tolerance, |analytic − numeric| ≤ 2e-3·|numeric| + 5e-4·(the largest
/// |numeric| of the tensor) + 2e-5·(the largest of the network), keeps a margin of five over the largest error the
/// reference's own backward pass shows on these networks (<see cref="TrainerFiniteDifferenceTests"/>), and still
/// catches a wrong term: those err by a sizeable fraction of the gradient. The last term covers gradients that are zero
/// in exact arithmetic (a bias right before a train-mode BatchNorm), where both sides are rounding noise.
/// A step that crosses a kink (a ReLU-family input changes side, a max pool changes its pick; see
/// <see cref="ReferenceTrainer.Kinks"/>) has no derivative to compare with: such entries are skipped and counted. Inputs
/// are random, so few lie within h of a kink.
/// </remarks>
internal static class FiniteDifferences
{
    public const double Step = 1.0 / 128;

    public const double Relative = 2e-3;

    public const double Absolute = 5e-4;

    public const double Floor = 2e-5;

    /// <summary>Entries checked per parameter tensor.</summary>
    private const int Samples = 6;

    /// <summary>The outcome: every entry out of tolerance, how many entries were checked and skipped, and the worst error ratio.</summary>
    public sealed record Report(IReadOnlyList<string> Problems, int Checked, int Skipped, double WorstRatio)
    {
        public override string ToString() => string.Create(
            CultureInfo.InvariantCulture,
            $"{Checked} entries checked, {Skipped} skipped at a kink, worst error {WorstRatio:G3} of the tolerance\n{string.Join("\n", Problems)}");
    }

    /// <summary>
    /// Compares <paramref name="inputGradient"/> (all of it) and <paramref name="parameterGradients"/> (a seeded sample of
    /// each tensor the network trains) with central differences of the loss Σ <paramref name="outputGradient"/>·output.
    /// </summary>
    public static Report Check(
        DeclaredNetwork net, ModelWeights weights, float[] input, float[] outputGradient, int batch, bool training,
        float[] inputGradient, ModelWeights parameterGradients, int seed)
    {
        var plans = net.Plans;
        var baseline = ReferenceTrainer.Kinks(ReferenceTrainer.Forward(net.Network, plans, weights, input, batch, training));
        double? Numeric(float[] values, int index)
        {
            float original = values[index];
            float plus = (float)(original + Step), minus = (float)(original - Step);
            values[index] = plus;
            var up = ReferenceTrainer.Forward(net.Network, plans, weights, input, batch, training);
            values[index] = minus;
            var down = ReferenceTrainer.Forward(net.Network, plans, weights, input, batch, training);
            values[index] = original;
            if (!SameKinks(baseline, ReferenceTrainer.Kinks(up)) || !SameKinks(baseline, ReferenceTrainer.Kinks(down)))
            {
                return null;
            }

            // Divide by the step actually taken, in case p ± h rounded.
            return (Loss(up.Output, outputGradient) - Loss(down.Output, outputGradient)) / ((double)plus - minus);
        }

        var groups = new List<(string Tensor, List<(int Index, double Analytic, double Numeric)> Entries)>();
        int skipped = 0;
        void Sample(string tensor, float[] values, float[] analytic, IEnumerable<int> indices)
        {
            var entries = new List<(int, double, double)>();
            foreach (int i in indices)
            {
                if (Numeric(values, i) is double numeric)
                {
                    entries.Add((i, analytic[i], numeric));
                }
                else
                {
                    skipped++;
                }
            }

            groups.Add((tensor, entries));
        }

        var problems = new List<string>();
        Sample("grad_input", input, inputGradient, Enumerable.Range(0, input.Length));
        var random = new Random(seed);
        foreach (var name in plans.SelectMany(ReferenceTrainer.ParameterNames))
        {
            if (!parameterGradients.TryGet(name, out var gradient))
            {
                problems.Add($"no gradient for '{name}'");
                continue;
            }

            float[] values = weights[name].Data;
            var indices = values.Length <= Samples
                ? Enumerable.Range(0, values.Length)
                : Enumerable.Range(0, values.Length).OrderBy(_ => random.Next()).Take(Samples).Order();
            Sample($"gradient of '{name}'", values, gradient.Data, indices);
        }

        double worst = 0;
        double overall = groups.SelectMany(g => g.Entries).Select(e => Math.Abs(e.Numeric)).DefaultIfEmpty(0).Max();
        foreach (var (tensor, entries) in groups)
        {
            double scale = entries.Count == 0 ? 0 : entries.Max(e => Math.Abs(e.Numeric));
            foreach (var (index, analytic, numeric) in entries)
            {
                double allowed = (Relative * Math.Abs(numeric)) + (Absolute * scale) + (Floor * overall);
                double ratio = Math.Abs(analytic - numeric) / allowed;
                worst = Math.Max(worst, ratio);
                if (!(ratio <= 1))
                {
                    problems.Add(string.Create(CultureInfo.InvariantCulture, $"{tensor}[{index}]: backward {analytic:R}, finite differences {numeric:G6} ({ratio:G3} × tolerance)"));
                }
            }
        }

        return new Report(problems, groups.Sum(g => g.Entries.Count), skipped, worst);
    }

    private static bool SameKinks(IReadOnlyList<float[]> a, IReadOnlyList<float[]> b)
        => a.Count == b.Count && a.Zip(b).All(pair => pair.First.AsSpan().SequenceEqual(pair.Second));

    private static double Loss(float[] output, float[] outputGradient)
    {
        double loss = 0;
        for (int i = 0; i < output.Length; i++)
        {
            loss += (double)outputGradient[i] * output[i];
        }

        return loss;
    }
}
