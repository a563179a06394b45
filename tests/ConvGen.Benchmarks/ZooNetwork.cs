using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using ConvGen.Benchmarks.Networks;
using ConvGen.Benchmarks.Onnx;
using LeNet5Sample;

namespace ConvGen.Benchmarks;

/// <summary>
/// A network of the benchmark zoo: the generated ConvGen class (declared in Networks/) and the ONNX side's independent
/// description of the same network (<see cref="NetworkSpec"/> in <see cref="ReferenceNetworks"/>).
/// </summary>
public sealed class ZooNetwork
{
    private readonly Func<int, ModelWeights> _createWeights;
    private readonly Func<ModelWeights, INetwork> _create;

    private ZooNetwork(string name, IReadOnlyList<LayerInfo> layers, Func<int, ModelWeights> createWeights, Func<ModelWeights, INetwork> create, NetworkSpec spec)
    {
        Name = name;
        Layers = layers;
        _createWeights = createWeights;
        _create = create;
        Spec = spec;
    }

    /// <summary>
    /// Every zoo network. The names are the benchmark categories; the first two are the original LeNet-5 and
    /// 3x3-convolution pair.
    /// </summary>
    public static IReadOnlyList<ZooNetwork> All { get; } =
    [
        new("LeNet5", LeNet5.Layers, s => LeNet5.CreateWeights(s), w => new LeNet5(w), ReferenceNetworks.LeNet5Spec),
        new(
            "Conv3x3_64to64_56x56",
            Conv3x3_64to64_56x56.Layers,
            s => Conv3x3_64to64_56x56.CreateWeights(s),
            w => new Conv3x3_64to64_56x56(w),
            ReferenceNetworks.SingleConvSpec(64, 64, 3, padding: 1, height: 56, width: 56)),
        new(
            "ConvTranspose4x4_64to32_32x32",
            ConvTranspose4x4_64to32_32x32.Layers,
            s => ConvTranspose4x4_64to32_32x32.CreateWeights(s),
            w => new ConvTranspose4x4_64to32_32x32(w),
            ReferenceNetworks.SingleConvTransposeSpec(64, 32, 4, stride: 2, padding: 1, height: 32, width: 32)),
        new("ResNet8", ResNet8.Layers, s => ResNet8.CreateWeights(s), w => new ResNet8(w), ReferenceNetworks.ResNet8Spec),
        new("DsCnn", DsCnn.Layers, s => DsCnn.CreateWeights(s), w => new DsCnn(w), ReferenceNetworks.DsCnnSpec),
        new("MobileNetV1Vww", MobileNetV1Vww.Layers, s => MobileNetV1Vww.CreateWeights(s), w => new MobileNetV1Vww(w), ReferenceNetworks.MobileNetV1VwwSpec),
    ];

    /// <summary>The benchmark category and command-line name.</summary>
    public string Name { get; }

    /// <summary>The generated layer table.</summary>
    public IReadOnlyList<LayerInfo> Layers { get; }

    /// <summary>The ONNX side's description.</summary>
    public NetworkSpec Spec { get; }

    /// <summary>Multiply-accumulates per sample, from the generated layer table.</summary>
    public long Macs => Layers.Sum(l => l.Macs);

    /// <summary>The zoo network called <paramref name="name"/> (ordinal, ignoring case).</summary>
    public static ZooNetwork Find(string name) =>
        All.FirstOrDefault(n => string.Equals(n.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"No zoo network '{name}'; the zoo has {string.Join(", ", All.Select(n => n.Name))}.", nameof(name));

    /// <summary>
    /// The benchmark weights: the generated <c>CreateWeights(seed)</c>, then every BatchNorm's γ, β, running mean and
    /// running variance replaced by seeded values (γ in [0.5, 1.5), β and μ in [-0.1, 0.1), σ² in [0.1, 0.5)), so that
    /// folding them into the convolutions really changes the weights. The small variances roughly undo the shrinking of
    /// PyTorch's default initialization, so activations keep their scale through the 28 layers of MobileNet.
    /// </summary>
    public ModelWeights CreateWeights(int seed)
    {
        ModelWeights weights = _createWeights(seed);
        ulong key = (ulong)seed;
        foreach (Tensor mean in weights.Where(t => t.Name.EndsWith(".running_mean", StringComparison.Ordinal)).ToList())
        {
            string module = mean.Name[..^".running_mean".Length];
            Fill(weights[module + ".weight"], SeededWeights.Uniform(key, module + ".weight", mean.ElementCount, 0.5f), offset: 1f);
            Fill(weights[module + ".bias"], SeededWeights.Uniform(key, module + ".bias", mean.ElementCount, 0.1f), offset: 0f);
            Fill(mean, SeededWeights.Uniform(key, mean.Name, mean.ElementCount, 0.1f), offset: 0f);
            Fill(weights[module + ".running_var"], SeededWeights.Uniform(key, module + ".running_var", mean.ElementCount, 0.2f), offset: 0.3f);
        }

        return weights;
    }

    /// <summary>
    /// ConvGen's network on <paramref name="weights"/> (the constructor folds the BatchNorms), splitting a batch across
    /// at most <paramref name="cores"/> cores: one by default, as ONNX Runtime runs in these comparisons.
    /// </summary>
    public INetwork CreateConvGen(ModelWeights weights, int cores = 1)
    {
        var network = _create(weights);
        network.MaxDegreeOfParallelism = cores;
        return network;
    }

    /// <summary>
    /// The ONNX model of the same network for <paramref name="batch"/> samples, from the very arrays of
    /// <paramref name="weights"/>. Throws unless the description matches the generated layer table slot by slot
    /// (kind and output shape), so a drift between the two declarations is named before any number is compared.
    /// </summary>
    /// <param name="weights">The weights; the ONNX initializers share their arrays.</param>
    /// <param name="batch">The model's fixed batch size.</param>
    /// <param name="nodeSlots">When given, receives the slot that added each ONNX node, by node name.</param>
    public byte[] CreateOnnx(ModelWeights weights, int batch, IDictionary<string, int>? nodeSlots = null)
    {
        var slots = new List<(IReadOnlyList<long> Shape, IReadOnlyList<string> Nodes)>();
        byte[] model = Spec.ToOnnx(StateDicts.From(weights), batch, slots);
        if (Spec.Layers.Count != Layers.Count)
        {
            throw new InvalidOperationException($"{Name}: the ONNX description has {Spec.Layers.Count} slots, the ConvGen network {Layers.Count}.");
        }

        for (int i = 0; i < Layers.Count; i++)
        {
            foreach (string node in slots[i].Nodes)
            {
                nodeSlots?.Add(node, i);
            }

            string onnxShape = "[" + string.Join(", ", slots[i].Shape.Skip(1).Select(d => d.ToString(CultureInfo.InvariantCulture))) + "]";
            if (!string.Equals(Spec.Layers[i].Kind.ToString(), Layers[i].Kind, StringComparison.Ordinal)
                || !string.Equals(onnxShape, Layers[i].OutputShape, StringComparison.Ordinal))
            {
                throw new InvalidOperationException(
                    $"{Name}, slot {i}: ConvGen has {Layers[i].Kind} -> {Layers[i].OutputShape}, the ONNX description {Spec.Layers[i].Kind} -> {onnxShape}.");
            }
        }

        return model;
    }

    private static void Fill(Tensor tensor, float[] values, float offset)
    {
        for (int i = 0; i < values.Length; i++)
        {
            tensor.Data[i] = values[i] + offset;
        }
    }
}
