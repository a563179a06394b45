using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using ConvGen.Tests.Infrastructure;

namespace ConvGen.Tests.TrainingNetwork;

/// <summary>
/// Compiles many declarations in one generator run (one compilation costs about a second, so one per network would
/// dominate the suite), on first use and once. When that compilation fails, the networks its errors name are left out
/// and the rest compiled together again; a network left out is compiled on its own when asked for, so that its failure
/// names its own declaration and the others keep working.
/// </summary>
internal sealed class CompiledNetworks
{
    private readonly Dictionary<string, DeclaredNetwork> _networks;
    private readonly Lazy<(Assembly? Assembly, IReadOnlySet<string> Excluded)> _together;

    public CompiledNetworks(IEnumerable<DeclaredNetwork> networks)
    {
        _networks = networks.ToDictionary(n => n.ClassName, StringComparer.Ordinal);
        _together = new Lazy<(Assembly?, IReadOnlySet<string>)>(CompileTogether);
    }

    /// <summary>The generated network class <c>Tests.{className}</c>.</summary>
    public Type TypeOf(string className)
    {
        var (assembly, excluded) = _together.Value;
        if (assembly is null || excluded.Contains(className))
        {
            assembly = GeneratorHarness.CompileAndLoad(_networks[className].Source);
        }

        return assembly.GetType("Tests." + className, throwOnError: true)!;
    }

    /// <summary>All networks in one compilation; else all but those the errors name (by generated file or source index).</summary>
    private (Assembly?, IReadOnlySet<string>) CompileTogether()
    {
        var names = _networks.Keys.ToList();
        var excluded = new HashSet<string>(StringComparer.Ordinal);
        for (int attempt = 0; attempt < 2; attempt++)
        {
            var included = names.Where(n => !excluded.Contains(n)).ToList();
            try
            {
                return (GeneratorHarness.CompileAndLoad(included.Select(n => _networks[n].Source).ToArray()), excluded);
            }
            catch (InvalidOperationException e)
            {
                var named = included
                    .Where((n, i) => e.Message.Contains($"Tests.{n}.g.cs(", StringComparison.Ordinal) || e.Message.Contains($"Source{i}.cs(", StringComparison.Ordinal))
                    .ToList();
                if (named.Count == 0)
                {
                    break;
                }

                excluded.UnionWith(named);
            }
        }

        return (null, excluded);
    }

    /// <summary>A new generated trainer for <paramref name="network"/> with <paramref name="weights"/>.</summary>
    public ConvGen.Training.ITrainer Trainer(DeclaredNetwork network, ModelWeights weights, int maxBatch, int seed = 1)
        => GeneratorHarness.CreateTrainer(TypeOf(network.ClassName), weights, maxBatch, seed);

    /// <summary>A new generated inference network for <paramref name="network"/> with <paramref name="weights"/>.</summary>
    public INetwork Inference(DeclaredNetwork network, ModelWeights weights)
        => (INetwork)Activator.CreateInstance(TypeOf(network.ClassName), weights)!;
}
