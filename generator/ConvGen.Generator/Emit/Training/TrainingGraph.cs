using System.Collections.Generic;
using System.Globalization;
using ConvGen.Shapes;

namespace ConvGen.Generator.Emit.Training;

/// <summary>What one training op does (the trainer runs layer by layer: nothing is folded or fused).</summary>
internal enum TrainOpKind
{
    Pad,
    Conv,
    ConvTranspose,
    MaxPool,
    AvgPool,
    GlobalAvgPool,
    BatchNorm,
    Activation,
    Dropout,
    Linear,
    Upsample,
    PixelShuffle,
    PixelUnshuffle,
    Add,
    Concat,
}

/// <summary>A tensor of the training graph: one sample's shape; the trainer holds MaxBatch of them, and as many gradients.</summary>
internal sealed class TrainTensor
{
    public TrainTensor(int id, TensorShape shape)
    {
        Id = id;
        Shape = shape;
    }

    public int Id { get; }

    public TensorShape Shape { get; }

    /// <summary>What writes it ("Conv2d #0 'conv1'", or "the network input"), for the field's comment.</summary>
    public string Producer { get; init; } = "the network input";

    public string Field => "_t" + Id.ToString(CultureInfo.InvariantCulture);

    public string GradientField => "_d" + Id.ToString(CultureInfo.InvariantCulture);
}

/// <summary>One training op: a forward kernel and its backward kernel over the whole batch.</summary>
internal sealed class TrainOp
{
    public TrainOp(TrainOpKind kind, LayerPlan layer, TrainTensor input, TrainTensor output, string method)
    {
        Kind = kind;
        Layer = layer;
        Input = input;
        Output = output;
        Method = method;
    }

    public TrainOpKind Kind { get; }

    /// <summary>The layer's plan; for a padded copy's convolution, the plan with its padding moved into the copy.</summary>
    public LayerPlan Layer { get; }

    public TrainTensor Input { get; }

    public TrainTensor Output { get; }

    /// <summary>Add and Concat: the saved tensor.</summary>
    public TrainTensor? Skip { get; init; }

    /// <summary>The kernel methods' stem: "Layer3_Conv2d" (then "Forward"/"Backward").</summary>
    public string Method { get; }

    /// <summary>The state_dict names of the weight and bias this op trains (null when it has none).</summary>
    public string? Weight { get; init; }

    public string? Bias { get; init; }

    /// <summary>BatchNorm: the prefix of its running statistics.</summary>
    public string? Statistics { get; init; }

    /// <summary>A line for the kernel's comment: what the op is part of.</summary>
    public string Note { get; init; } = "";
}

/// <summary>
/// Lowers the planned layers for training: one op per layer, except that Identity, Flatten and Save only rename
/// the tensor, a convolution with reflect/replicate/circular padding first copies its input into a padded tensor
/// (whose backward sends each gradient to its source position), and a projecting Add runs its 1×1 convolution and
/// train-mode BatchNorm as ops of their own. Zero padding needs no copy: the convolution kernels clip each tap.
/// </summary>
internal sealed class TrainingGraph
{
    private readonly List<TrainTensor> _tensors = new();

    private TrainingGraph(NetworkDecl network)
    {
        Input = NewTensor(network.InputShape);
        Output = Input;
    }

    public TrainTensor Input { get; }

    public TrainTensor Output { get; private set; }

    public List<TrainOp> Ops { get; } = new();

    public IReadOnlyList<TrainTensor> Tensors => _tensors;

    public static TrainingGraph Build(NetworkDecl network, IReadOnlyList<LayerPlan> layers)
    {
        var graph = new TrainingGraph(network);
        graph.Lower(layers);
        return graph;
    }

    private TrainTensor NewTensor(TensorShape shape, string producer = "the network input")
    {
        var tensor = new TrainTensor(_tensors.Count, shape) { Producer = producer };
        _tensors.Add(tensor);
        return tensor;
    }

    private void Lower(IReadOnlyList<LayerPlan> layers)
    {
        var current = Input;
        var saved = new Dictionary<string, TrainTensor>(System.StringComparer.Ordinal);
        foreach (var layer in layers)
        {
            var d = layer.Decl;
            string stem = "Layer" + layer.Index.ToString(CultureInfo.InvariantCulture) + "_" + d.AttributeName;
            TrainOp Add(TrainOpKind kind, LayerPlan plan, TrainTensor input, string method, TrainTensor? skip = null, string? weight = null, string? bias = null, string? statistics = null, string note = "")
            {
                var op = new TrainOp(kind, plan, input, NewTensor(plan.Output, kind == TrainOpKind.Pad ? plan.Label + ", padded copy" : plan.Label), method) { Skip = skip, Weight = weight, Bias = bias, Statistics = statistics, Note = note };
                Ops.Add(op);
                return op;
            }

            string prefix = layer.ParameterPrefix;
            switch (d.Kind)
            {
                case LayerKind.Conv:
                    var conv = layer;
                    bool padded = (layer.PadTop | layer.PadBottom | layer.PadLeft | layer.PadRight) != 0;
                    if (padded && d.BorderMode != BorderMode.Zeros)
                    {
                        var paddedShape = new TensorShape(
                            layer.Input.Channels,
                            layer.Input.Height + layer.PadTop + layer.PadBottom,
                            layer.Input.Width + layer.PadLeft + layer.PadRight,
                            layer.Input.Rank);
                        current = Add(TrainOpKind.Pad, layer with { Output = paddedShape }, current, stem + "Pad").Output;
                        conv = layer with { Input = paddedShape, PadTop = 0, PadBottom = 0, PadLeft = 0, PadRight = 0 };
                    }

                    current = Add(TrainOpKind.Conv, conv, current, stem, weight: prefix + ".weight", bias: d.Bias ? prefix + ".bias" : null).Output;
                    break;
                case LayerKind.ConvTranspose:
                    current = Add(TrainOpKind.ConvTranspose, layer, current, stem, weight: prefix + ".weight", bias: d.Bias ? prefix + ".bias" : null).Output;
                    break;
                case LayerKind.Linear:
                    current = Add(TrainOpKind.Linear, layer, current, stem, weight: prefix + ".weight", bias: d.Bias ? prefix + ".bias" : null).Output;
                    break;
                case LayerKind.BatchNorm:
                    current = Add(TrainOpKind.BatchNorm, layer, current, stem, weight: d.Affine ? prefix + ".weight" : null, bias: d.Affine ? prefix + ".bias" : null, statistics: prefix).Output;
                    break;
                case var kind when Activation.Is(kind):
                    current = Add(TrainOpKind.Activation, layer, current, stem).Output;
                    break;
                case LayerKind.Dropout:
                    current = Add(TrainOpKind.Dropout, layer, current, stem).Output;
                    break;
                case LayerKind.Identity or LayerKind.Flatten:
                    break; // the same values under another shape: no kernel
                case LayerKind.Save:
                    saved[d.TensorName!] = current;
                    break;
                case LayerKind.Add:
                    var skip = saved[d.TensorName!];
                    if (d.Projection)
                    {
                        skip = Project(layer, skip, stem);
                    }

                    current = Add(TrainOpKind.Add, layer, current, stem, skip: skip).Output;
                    break;
                case LayerKind.Concat:
                    current = Add(TrainOpKind.Concat, layer, current, stem, skip: saved[d.TensorName!]).Output;
                    break;
                case LayerKind.MaxPool:
                    current = Add(TrainOpKind.MaxPool, layer, current, stem).Output;
                    break;
                case LayerKind.AvgPool:
                    current = Add(TrainOpKind.AvgPool, layer, current, stem).Output;
                    break;
                case LayerKind.GlobalAvgPool:
                    current = Add(TrainOpKind.GlobalAvgPool, layer, current, stem).Output;
                    break;
                case LayerKind.Upsample:
                    current = Add(TrainOpKind.Upsample, layer, current, stem).Output;
                    break;
                case LayerKind.PixelShuffle:
                    current = Add(TrainOpKind.PixelShuffle, layer, current, stem).Output;
                    break;
                default:
                    current = Add(TrainOpKind.PixelUnshuffle, layer, current, stem).Output;
                    break;
            }
        }

        Output = current;
    }

    /// <summary>A projecting Add's 1×1 convolution ({prefix}.0) and train-mode BatchNorm ({prefix}.1) on the saved tensor.</summary>
    private TrainTensor Project(LayerPlan layer, TrainTensor skip, string stem)
    {
        string prefix = layer.ParameterPrefix;
        var output = layer.Output;
        var convDecl = new LayerDecl
        {
            Kind = LayerKind.Conv,
            AttributeName = layer.Decl.AttributeName,
            Rank = layer.Decl.Rank,
            OutChannels = output.Channels,
            StrideH = layer.ProjectionStrideH,
            StrideW = layer.ProjectionStrideW,
            Bias = false,
        };
        var conv = new LayerPlan { Index = layer.Index, ParameterPrefix = prefix + ".0", Decl = convDecl, Input = layer.Skip, Output = output };
        var convOp = new TrainOp(TrainOpKind.Conv, conv, skip, NewTensor(output, layer.Label + ", projection"), stem + "Projection") { Weight = prefix + ".0.weight", Note = "the projection's 1×1 convolution" };
        Ops.Add(convOp);
        var bnDecl = new LayerDecl { Kind = LayerKind.BatchNorm, AttributeName = layer.Decl.AttributeName, Rank = layer.Decl.Rank, Affine = true, Eps = 1e-5, Momentum = 0.1 };
        var bn = new LayerPlan { Index = layer.Index, ParameterPrefix = prefix + ".1", Decl = bnDecl, Input = output, Output = output };
        var bnOp = new TrainOp(TrainOpKind.BatchNorm, bn, convOp.Output, NewTensor(output, layer.Label + ", projection's BatchNorm"), stem + "ProjectionNorm")
        {
            Weight = prefix + ".1.weight",
            Bias = prefix + ".1.bias",
            Statistics = prefix + ".1",
            Note = "the projection's BatchNorm",
        };
        Ops.Add(bnOp);
        return bnOp.Output;
    }
}
