using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using ConvGen.Benchmarks.Networks;
using ConvGen.Training;

namespace ConvGen.Benchmarks;

/// <summary>
/// <c>training-step-save [PATH]</c>: writes what <c>pytorch/train_step.py</c> needs to time and check the same step as
/// <see cref="TrainingStepBenchmarks"/>, as one safetensors file (default <see cref="DefaultPath"/>):
/// <list type="bullet">
/// <item>DigitsNet's initial state_dict under its own names, <c>input</c> [32, 1, 8, 8] and <c>labels</c> (int64) [32];</item>
/// <item>for each batch b of <see cref="CheckBatches"/>, ConvGen's first step on the first b samples with Dropout off
/// (<see cref="TrainingStepCheckNet"/>): <c>check.b{b}.loss</c>, the gradients <c>check.b{b}.grad.{name}</c> and the
/// state_dict after the SGD update <c>check.b{b}.after.{name}</c>;</item>
/// <item>metadata <c>learning_rate</c>, <c>momentum</c> and <c>check_batches</c>, so the script takes the settings from here.</item>
/// </list>
/// </summary>
public static class TrainingStepExport
{
    /// <summary>Where the file goes without a PATH, relative to the working directory (git ignores it).</summary>
    public const string DefaultPath = "BenchmarkDotNet.Artifacts/training-step.safetensors";

    /// <summary>The batch sizes checked against PyTorch (those benchmarked).</summary>
    public static IReadOnlyList<int> CheckBatches { get; } = [1, TrainingStepFixture.MaxBatch];

    /// <summary>Writes the file; returns the process exit code.</summary>
    public static int Run(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        string path = args.Count > 0 ? args[0] : DefaultPath;

        // The twin repeats DigitsNet's declaration by hand; the layer table (which leaves out Dropout's P) catches drift.
        if (!string.Equals(DigitsSample.DigitsNet.Summary, TrainingStepCheckNet.Summary, StringComparison.Ordinal))
        {
            throw new InvalidOperationException("TrainingStepCheckNet no longer declares DigitsNet's layers; copy them from samples/Digits/DigitsNet.cs with Dropout(P = 0).");
        }

        var fixture = TrainingStepFixture.Create();
        var file = new ModelWeights();
        foreach (Tensor tensor in fixture.Weights)
        {
            file.Add(tensor);
        }

        file.Add(new Tensor("input", [TrainingStepFixture.MaxBatch, 1, 8, 8], fixture.Inputs));
        file.Add(new Tensor("labels", [TrainingStepFixture.MaxBatch], Array.ConvertAll(fixture.Labels, l => (long)l)));
        foreach (int batch in CheckBatches)
        {
            float loss = FirstStepWithoutDropout(fixture, batch, file);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"training-step-save: batch {batch}, first-step loss without dropout {loss:R}"));
        }

        file.Metadata["learning_rate"] = TrainingStepFixture.LearningRate.ToString("R", CultureInfo.InvariantCulture);
        file.Metadata["momentum"] = TrainingStepFixture.Momentum.ToString("R", CultureInfo.InvariantCulture);
        file.Metadata["check_batches"] = string.Join(",", CheckBatches);
        string? directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        file.SaveSafetensors(path);
        Console.WriteLine("training-step-save: wrote " + Path.GetFullPath(path));
        return 0;
    }

    // One step of the dropout-free twin from the initial weights; adds its loss, gradients and updated state_dict to file.
    private static float FirstStepWithoutDropout(TrainingStepFixture fixture, int batch, ModelWeights file)
    {
        var trainer = new TrainingStepCheckNet.Trainer(fixture.Weights, batch);
        Sgd optimizer = TrainingStepFixture.CreateOptimizer(trainer);
        var logits = new float[batch * TrainingStepFixture.Classes];
        float loss = TrainingStepFixture.Step(
            trainer, optimizer, fixture.InputsFor(batch), fixture.LabelsFor(batch), batch, logits, new float[logits.Length]);

        string prefix = string.Create(CultureInfo.InvariantCulture, $"check.b{batch}.");
        file.Add(new Tensor(prefix + "loss", [1], [loss]));
        AddRenamed(file, trainer.ExportGradients(), prefix + "grad.");
        AddRenamed(file, trainer.ExportWeights(), prefix + "after.");
        return loss;
    }

    private static void AddRenamed(ModelWeights file, ModelWeights tensors, string prefix)
    {
        foreach (Tensor t in tensors)
        {
            file.Add(t.Int64Data is { } int64 ? new Tensor(prefix + t.Name, t.Shape, int64) : new Tensor(prefix + t.Name, t.Shape, t.Data));
        }
    }
}
