using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using ConvGen.Tests.Infrastructure;
using ConvGen.Training;
using Xunit;

namespace ConvGen.Tests.TrainingGolden;

/// <summary>
/// One entry of tests/fixtures/training_golden/cases.json (written by make_training_golden.py with PyTorch 1.13; its
/// README describes every field and tensor): a network declaration, the batch, the parameter and BatchNorm names, the
/// per-group tolerances and, for the optimizer cases and the curve, the optimizer.
/// </summary>
internal sealed record TrainingGoldenCase(
    string Name,
    string Kind,
    string Declaration,
    int Batch,
    string[] Parameters,
    string[] BatchNorms,
    IReadOnlyDictionary<string, TrainingGoldenCase.Tolerance> Tolerances,
    JsonElement? Optimizer,
    int Steps,
    int Classes,
    string? Loss)
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "fixtures", "training_golden");

    private static readonly Lazy<TrainingGoldenCase[]> AllCases = new(Load);

    // Compiling a declaration takes about a second; the cases that share one (the two optimizer cases) and the
    // theories that rerun a case share the loaded network type.
    private static readonly ConcurrentDictionary<string, Lazy<Type>> Networks = new(StringComparer.Ordinal);

    /// <summary>The tensors of a file that are data, not state_dict: the batch, the results and the expectations.</summary>
    private static readonly string[] DataTensors = ["input", "output", "grad_output", "grad_input", "labels", "losses"];

    private static readonly string[] DataPrefixes = ["grad.", "after.", "final."];

    /// <summary>numpy's allclose rule: |actual − expected| ≤ atol + rtol·|expected|.</summary>
    public readonly record struct Tolerance(double Rtol, double Atol);

    /// <summary>The buffers PyTorch keeps for every BatchNorm.</summary>
    public IEnumerable<string> BatchNormBuffers
        => BatchNorms.SelectMany(bn => new[] { "running_mean", "running_var", "num_batches_tracked" }.Select(b => $"{bn}.{b}"));

    public static TrainingGoldenCase[] All() => AllCases.Value;

    private static TrainingGoldenCase Get(string name) => All().Single(c => c.Name == name);

    public static TheoryData<string> Names(string kind) => new(All().Where(c => c.Kind == kind).Select(c => c.Name));

    /// <summary>The tolerance of a group: <c>output</c>, <c>grad_input</c>, <c>grad_params</c>, <c>after</c>, <c>losses</c> or <c>final</c>.</summary>
    public Tolerance For(string group)
        => Tolerances.TryGetValue(group, out Tolerance t) ? t : throw new InvalidOperationException($"{Name}: cases.json has no tolerance for '{group}'.");

    /// <summary>The state_dict before the first step: the file without its data and expectation tensors.</summary>
    public static ModelWeights StateDict(ModelWeights file)
        => new(file.Where(t => !DataTensors.Contains(t.Name) && !DataPrefixes.Any(p => t.Name.StartsWith(p, StringComparison.Ordinal))));

    /// <summary>
    /// The case named <paramref name="name"/>, its file, and its generated Trainer loaded with the file's state_dict,
    /// sized for the case's batch and in training mode.
    /// </summary>
    public static (TrainingGoldenCase Case, ModelWeights File, ITrainer Trainer) Start(string name)
    {
        TrainingGoldenCase c = Get(name);
        ModelWeights file = ModelWeights.LoadSafetensors(Path.Combine(Folder, name + ".safetensors"));
        Type network = Networks.GetOrAdd(c.Declaration, d => new Lazy<Type>(
            () => GeneratorHarness.CompileAndLoad(GeneratorHarness.Declare(d)).GetType("Tests.Net", throwOnError: true)!)).Value;
        ITrainer trainer = GeneratorHarness.CreateTrainer(network, StateDict(file), c.Batch);
        trainer.Training = true;
        return (c, file, trainer);
    }

    /// <summary>The torch.optim optimizer the case stored, over <paramref name="parameters"/>.</summary>
    public Optimizer CreateOptimizer(IReadOnlyList<ParameterSlot> parameters)
    {
        JsonElement o = Optimizer ?? throw new InvalidOperationException($"{Name} has no optimizer.");
        string type = o.GetProperty("type").GetString()!;

        // Every stored option must be one the optimizer below is given: a new option in the fixture fails here
        // instead of being silently dropped.
        string[] options = o.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToArray();
        string[] known = type switch
        {
            "SGD" => ["dampening", "lr", "momentum", "nesterov", "type", "weight_decay"],
            "Adam" => ["amsgrad", "betas", "eps", "lr", "type", "weight_decay"],
            _ => throw new InvalidOperationException($"{Name}: unknown optimizer '{type}'."),
        };
        Assert.Equal(known, options);

        double Number(string key) => o.GetProperty(key).GetDouble();
        bool Flag(string key) => o.GetProperty(key).GetBoolean();
        return type == "SGD"
            ? new Sgd(parameters, Number("lr"), Number("momentum"), Number("dampening"), Flag("nesterov"), Number("weight_decay"))
            : new Adam(parameters, Number("lr"), o.GetProperty("betas")[0].GetDouble(), o.GetProperty("betas")[1].GetDouble(),
                Number("eps"), Number("weight_decay"), Flag("amsgrad"));
    }

    public override string ToString() => Name;

    private static TrainingGoldenCase[] Load()
    {
        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "cases.json")));
        return json.RootElement.EnumerateArray().Select(c => new TrainingGoldenCase(
            c.GetProperty("name").GetString()!,
            c.GetProperty("kind").GetString()!,
            c.GetProperty("declaration").GetString()!,
            c.GetProperty("batch").GetInt32(),
            Strings(c.GetProperty("parameters")),
            Strings(c.GetProperty("batchnorms")),
            c.GetProperty("tolerances").EnumerateObject().ToDictionary(
                g => g.Name,
                g => new Tolerance(g.Value.GetProperty("rtol").GetDouble(), g.Value.GetProperty("atol").GetDouble()),
                StringComparer.Ordinal),
            c.TryGetProperty("optimizer", out JsonElement optimizer) ? optimizer.Clone() : null,
            c.TryGetProperty("steps", out JsonElement steps) ? steps.GetInt32() : 0,
            c.TryGetProperty("classes", out JsonElement classes) ? classes.GetInt32() : 0,
            c.TryGetProperty("loss", out JsonElement loss) ? loss.GetString() : null)).ToArray();
    }

    private static string[] Strings(JsonElement array) => array.EnumerateArray().Select(e => e.GetString()!).ToArray();
}
