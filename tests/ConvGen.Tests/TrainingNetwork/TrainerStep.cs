using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using ConvGen.Tests.Infrastructure;
using ConvGen.Training;

namespace ConvGen.Tests.TrainingNetwork;

/// <summary>What one step of a generated trainer produced: Forward, then Backward for a given ∂loss/∂output.</summary>
internal sealed record TrainerStep(float[] Output, float[] InputGradient, ModelWeights Gradients, ModelWeights State, IReadOnlyList<string> ParameterNames)
{
    /// <summary>Runs one step from zeroed gradients.</summary>
    public static TrainerStep Run(ITrainer trainer, float[] input, float[] outputGradient, int batch)
    {
        var output = new float[batch * trainer.OutputSize];
        var inputGradient = new float[batch * trainer.InputSize];
        trainer.ZeroGrad();
        trainer.Forward(input, output, batch);
        trainer.Backward(outputGradient, inputGradient);
        return new TrainerStep(output, inputGradient, trainer.ExportGradients(), trainer.ExportWeights(), trainer.Parameters.Select(p => p.Name).ToList());
    }

    /// <summary>
    /// Every way this step differs from the reference's: the output, ∂loss/∂input, each parameter gradient (by name, and
    /// the order of <c>named_parameters()</c>), and the state_dict after the step (running statistics, counters).
    /// Floats match when |actual − expected| ≤ <paramref name="tolerance"/>·max(1, |expected|); int64 tensors exactly.
    /// </summary>
    public List<string> Mismatches(ReferenceTrainer.Tape tape, ReferenceTrainer.Gradients expected, double tolerance)
    {
        var problems = new List<string>();
        Add(problems, Compare("output", tape.Output, Output, tolerance));
        Add(problems, Compare("grad_input", expected.Input, InputGradient, tolerance));
        if (!ParameterNames.SequenceEqual(expected.Parameters.Names))
        {
            problems.Add($"Parameters are [{string.Join(", ", ParameterNames)}]; named_parameters() order is [{string.Join(", ", expected.Parameters.Names)}]");
        }

        problems.AddRange(CompareWeights("gradient of", expected.Parameters, Gradients, tolerance));
        problems.AddRange(CompareWeights("state_dict", tape.State, State, tolerance));
        return problems;
    }

    /// <summary>Null when <paramref name="actual"/> matches; else the count, the worst element and its error.</summary>
    public static string? Compare(string tensor, ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, double tolerance)
    {
        if (expected.Length != actual.Length)
        {
            return $"{tensor}: {actual.Length} elements, expected {expected.Length}";
        }

        int bad = 0, worst = -1;
        double worstRatio = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            double allowed = tolerance * Math.Max(1.0, Math.Abs((double)expected[i]));
            double ratio = Math.Abs((double)actual[i] - expected[i]) / allowed;
            if (!(ratio <= 1))
            {
                bad++;
                if (!(ratio <= worstRatio))
                {
                    worstRatio = ratio;
                    worst = i;
                }
            }
        }

        return bad == 0
            ? null
            : string.Create(
                CultureInfo.InvariantCulture,
                $"{tensor}: {bad} of {expected.Length} elements out of tolerance; worst [{worst}]: actual {actual[worst]:R}, expected {expected[worst]:R}, error {Math.Abs((double)actual[worst] - expected[worst]):G3}");
    }

    private static IEnumerable<string> CompareWeights(string what, ModelWeights expected, ModelWeights actual, double tolerance)
    {
        foreach (var name in expected.Names.Except(actual.Names, StringComparer.Ordinal))
        {
            yield return $"{what} '{name}': missing";
        }

        foreach (var name in actual.Names.Except(expected.Names, StringComparer.Ordinal))
        {
            yield return $"{what} '{name}': unexpected";
        }

        foreach (var e in expected.Where(t => actual.Contains(t.Name)))
        {
            var a = actual[e.Name];
            string? problem = !e.Shape.SequenceEqual(a.Shape)
                ? $"{what} '{e.Name}': shape [{string.Join(", ", a.Shape)}], expected [{string.Join(", ", e.Shape)}]"
                : e.Int64Data is { } counts
                    ? (a.Int64Data is { } actualCounts && counts.SequenceEqual(actualCounts) ? null : $"{what} '{e.Name}': [{string.Join(", ", a.Int64Data ?? Array.Empty<long>())}], expected [{string.Join(", ", counts)}]")
                    : Compare($"{what} '{e.Name}'", e.Data, a.Data, tolerance);
            if (problem is not null)
            {
                yield return problem;
            }
        }
    }

    private static void Add(List<string> problems, string? problem)
    {
        if (problem is not null)
        {
            problems.Add(problem);
        }
    }
}
