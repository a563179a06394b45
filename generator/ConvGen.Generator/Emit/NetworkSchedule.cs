using System.Collections.Generic;
using System.Linq;
using ConvGen.Generator.Emit.Strategies;
using ConvGen.Shapes;

namespace ConvGen.Generator.Emit;

/// <summary>
/// Lowers planned layers to kernels: folds BatchNorm into the convolution or linear layer before it,
/// fuses activations into the kernel that produces their input, gives non-zero padding modes their own
/// padding kernel, and plans the per-sample workspace (buffers reused once a tensor is dead).
/// </summary>
internal sealed class NetworkSchedule
{
    private NetworkSchedule(NetworkDecl network, IReadOnlyList<LayerPlan> layers)
    {
        Network = network;
        Layers = layers;
    }

    public NetworkDecl Network { get; }

    public IReadOnlyList<LayerPlan> Layers { get; }

    public List<Op> Ops { get; } = new();

    /// <summary>Float count of each workspace buffer.</summary>
    public List<int> Buffers { get; } = new();

    public TensorValue Input { get; private set; } = null!;

    /// <summary>
    /// The first op of the linear head that a batch runs over chunks of samples (<see cref="BatchedLinear"/>), or
    /// <c>Ops.Count</c> when the network does not end in linear layers.
    /// </summary>
    public int HeadStart { get; private set; }

    /// <summary>The network ends in a linear head that a batch runs in chunks.</summary>
    public bool HasHead => HeadStart < Ops.Count;

    /// <summary>The head's ops, in order.</summary>
    public IEnumerable<Op> Head => Ops.Skip(HeadStart);

    public TensorValue Output { get; private set; } = null!;

    /// <summary>The input arrives channels-last and is transposed into a workspace buffer first.</summary>
    public bool TransposeInput => Network.ChannelsLast;

    public TensorShape OutputShape => Layers.Count == 0 ? Network.InputShape : Layers[Layers.Count - 1].Output;

    /// <summary>
    /// Floats every workspace buffer holds past its largest tensor: a vector kernel may read or write up to one
    /// 16-lane vector past a tensor's end (results there are dropped or overwritten in order).
    /// </summary>
    public const int Slack = 16;

    public static NetworkSchedule Build(NetworkDecl network, IReadOnlyList<LayerPlan> layers)
    {
        var schedule = new NetworkSchedule(network, layers);
        schedule.Lower();
        schedule.HandOffChannelBlocks();
        schedule.ApplyUnrollBudget();
        schedule.SplitLargeConvolutions();
        schedule.HeadStart = BatchedLinear.HeadStart(schedule.Ops);
        if (schedule.HeadStart == 0 && schedule.TransposeInput)
        {
            schedule.HeadStart = schedule.Ops.Count; // the head would read the caller's channels-last input: run samples alone
        }

        schedule.Allocate();
        return schedule;
    }

    private void Lower()
    {
        int ids = 0;
        var current = Input = new TensorValue(ids++, Network.InputShape);
        var saved = new Dictionary<string, TensorValue>(System.StringComparer.Ordinal);
        Op? producer = null; // the kernel that made `current`, while later layers may still fuse into it

        foreach (var layer in Layers)
        {
            var d = layer.Decl;
            Op Add(OpKind kind, LayerPlan plan, TensorValue input)
            {
                var op = new Op(kind, plan, input, new TensorValue(ids++, plan.Output));
                Ops.Add(op);
                current = op.Output;
                return op;
            }

            switch (d.Kind)
            {
                case LayerKind.Conv:
                    producer = Convolution(layer, current, null, ref ids);
                    current = producer.Output;
                    break;
                case LayerKind.ConvTranspose:
                    producer = Add(OpKind.ConvTranspose, layer, current);
                    producer.Choice = CostModel.Choose(new ConvProblem(layer, linear: false, IsCallerInput(producer.Input), residualFromCaller: false, transposed: true));
                    break;
                case LayerKind.Linear:
                    producer = Add(OpKind.Linear, layer, current);
                    producer.Choice = CostModel.Choose(new ConvProblem(layer, linear: true, IsCallerInput(producer.Input), residualFromCaller: false));
                    break;
                case LayerKind.BatchNorm:
                    if (producer is { Kind: OpKind.Conv or OpKind.ConvTranspose or OpKind.Linear, FoldedBatchNorm: null, Activation: null, Skip: null })
                    {
                        producer.FoldedBatchNorm = layer;
                        producer.FusedLabels.Add(layer.Label + " (folded)");
                    }
                    else
                    {
                        producer = Add(OpKind.ScaleShift, layer, current);
                    }

                    break;
                case var kind when Activation.Is(kind):
                    var activation = new Activation(kind, d.NegativeSlope, layer.Label);
                    if (producer is { Activation: null, Kind: OpKind.Conv or OpKind.ConvTranspose or OpKind.Linear or OpKind.ScaleShift or OpKind.Add })
                    {
                        producer.Activation = activation;
                        producer.FusedLabels.Add(layer.Label);
                    }
                    else
                    {
                        producer = Add(OpKind.Activation, layer, current);
                        producer.Activation = activation;
                    }

                    break;
                case LayerKind.Identity or LayerKind.Dropout:
                    break; // no kernel: the tensor passes through
                case LayerKind.Flatten:
                    // No kernel either (only the indexing changes), but a BatchNorm1d after it normalizes
                    // C·H·W features, not the producer's C channels, so nothing may fold across it.
                    if (layer.Input.Rank > 0)
                    {
                        producer = null;
                    }

                    break;
                case LayerKind.Save:
                    saved[d.TensorName!] = current;
                    producer = null; // the saved value must stay as it is
                    break;
                case LayerKind.Add when d.Projection:
                    // The shortcut is an ordinary 1×1 convolution of the saved tensor whose epilogue adds the current one.
                    producer = Convolution(ProjectionPlan(layer), saved[d.TensorName!], current, ref ids);
                    producer.ProjectionOf = layer;
                    producer.Declared = layer;
                    producer.MethodName = Method(layer, d.AttributeName);
                    producer.FusedLabels.Add($"its 1×1 projection ({layer.ParameterPrefix}.0) with BatchNorm ({layer.ParameterPrefix}.1) folded, run as a convolution of '{d.TensorName}' whose epilogue adds the current tensor");
                    current = producer.Output;
                    break;
                case LayerKind.Add when producer is { Kind: OpKind.Conv or OpKind.Linear, Skip: null, Activation: null } && producer.Output == current
                    && !IsCallerInput(saved[d.TensorName!]):
                    // An identity shortcut right after a convolution or linear layer: added in that kernel's epilogue.
                    producer.Skip = saved[d.TensorName!];
                    producer.FusedLabels.Add(layer.Label + $" (adds '{d.TensorName}' in the epilogue)");
                    break;
                case LayerKind.Add:
                    var add = new Op(OpKind.Add, layer, current, new TensorValue(ids++, layer.Output)) { Skip = saved[d.TensorName!] };
                    Ops.Add(add);
                    current = add.Output;
                    producer = add;
                    break;
                case LayerKind.Concat:
                    var concat = new Op(OpKind.Concat, layer, current, new TensorValue(ids++, layer.Output)) { Skip = saved[d.TensorName!] };
                    Ops.Add(concat);
                    current = concat.Output;
                    producer = null;
                    break;
                default:
                    Add(Kind(d.Kind), layer, current);
                    producer = null;
                    break;
            }
        }

        Output = current;
        foreach (var op in Ops)
        {
            if (op.MethodName.Length == 0)
            {
                op.MethodName = Method(op.Layer, op.Layer.Decl.AttributeName);
            }
        }
    }

    private bool IsCallerInput(TensorValue tensor) => tensor == Input && !TransposeInput;

    /// <summary>
    /// A convolution as the cost model chooses to run it, reading <paramref name="source"/>: when the chosen kernel
    /// reads a prepared input (padding written out, phase planes for a stride), the padding kernel comes first.
    /// <paramref name="residual"/> is a tensor its epilogue adds (a projection shortcut's current tensor), or null.
    /// </summary>
    private Op Convolution(LayerPlan layer, TensorValue source, TensorValue? residual, ref int ids)
    {
        var problem = new ConvProblem(layer, linear: false, IsCallerInput(source), residual is not null && IsCallerInput(residual), residual is not null);
        var choice = CostModel.Choose(problem);
        string? padName = null;
        if (choice.Input.Prepared)
        {
            var shape = new TensorShape(layer.Input.Channels, choice.Input.SplitH * choice.Input.PlaneHeight, choice.Input.SplitW * choice.Input.PlaneWidth, 2);
            var pad = new Op(OpKind.Pad, layer, source, new TensorValue(ids++, shape)) { MethodName = Method(layer, "Pad"), Choice = choice };
            Ops.Add(pad);
            source = pad.Output;
            padName = pad.MethodName;
        }

        var op = new Op(OpKind.Conv, layer, source, new TensorValue(ids++, layer.Output)) { Choice = choice, Skip = residual };
        if (padName is not null)
        {
            op.FusedLabels.Add($"reads the {PaddedInputKernel.Describe(choice.Input)} that {padName} made, so its windows never leave the input");
        }

        Ops.Add(op);
        return op;
    }

    /// <summary>
    /// A sample alone still uses every core on layers big enough to pay: a dense convolution whose kernel is the
    /// Winograd or channel tile gets a second kernel (<see cref="Op.Part"/>) for one of 2, 4 or 8 parts of a multiple
    /// of 16 output channels (Winograd and channel-tile stores never leave their own channels, so parts on several
    /// cores cannot overwrite each other), reading the same prepared input. The split is kept where each part costs at
    /// least 2 × <see cref="ParallelSplit.MinCyclesPerWorker"/> (a worker's wake-up pays) and the parts together at most
    /// 1.25× the whole (a Winograd part repeats the input transform; a narrow channel tile loses register reuse); the
    /// most parts that pass win, so a machine with more cores can use them. Each part's kernel is the cost model's
    /// cheapest Winograd or channel tile for its channels. The whole-layer kernel stays for one core and for samples
    /// of a batch split across cores, where the parts would only add work.
    /// </summary>
    private void SplitLargeConvolutions()
    {
        foreach (var op in Ops)
        {
            if (op.Kind != OpKind.Conv || op.ProjectionOf is not null || op.Choice is not { } whole
                || whole.Strategy is not (WinogradConv or ChannelTileConv) || whole.OutputBlocks is not null
                || op.Input.Blocks is not null || op.Output.Blocks is not null || whole.Problem.Groups != 1 || whole.Problem.Linear)
            {
                continue;
            }

            foreach (int parts in new[] { 8, 4, 2 })
            {
                int channels = whole.Problem.OutChannels / parts;
                if (whole.Problem.OutChannels % parts != 0 || channels % 16 != 0)
                {
                    continue;
                }

                var problem = whole.Problem.Part(channels);
                var part = new[] { CostModel.Cheapest<WinogradConv>(problem), CostModel.Cheapest<ChannelTileConv>(problem) }
                    .Where(c => c is not null && c.Input == whole.Input)
                    .OrderBy(c => c!.Cycles)
                    .FirstOrDefault();
                if (part is null || part.Cycles < 2 * ParallelSplit.MinCyclesPerWorker || part.Cycles * parts > 1.25 * whole.Cycles)
                {
                    continue;
                }

                op.Parts = parts;
                op.Part = new Op(OpKind.Conv, op.Layer, op.Input, op.Output)
                {
                    Choice = part,
                    Declared = op.Declared,
                    Skip = op.Skip,
                    FoldedBatchNorm = op.FoldedBatchNorm,
                    Activation = op.Activation,
                    Unrolled = op.Unrolled,
                    MethodName = op.MethodName + "_Part",
                    Parts = parts,
                    IsPart = true,
                };
                op.Part.FusedLabels.AddRange(op.FusedLabels);
                break;
            }
        }
    }

    /// <summary>
    /// Where a channel tile's output feeds only a depthwise lanes kernel (and nothing else reads it), the channel tile
    /// writes the depthwise kernel's zero-framed channel blocks directly: its accumulators already hold channels on the
    /// lanes, so the transposing stores and the depthwise kernel's interleaving both go.
    /// </summary>
    private void HandOffChannelBlocks()
    {
        foreach (var consumer in Ops)
        {
            if (consumer.Choice is not { Strategy: DepthwiseLanesConv } choice || consumer.Kind != OpKind.Conv)
            {
                continue;
            }

            var tensor = consumer.Input;
            var producer = Ops.SingleOrDefault(o => o.Output == tensor);
            bool onlyReader = Ops.Count(o => o.Input == tensor) == 1 && !Ops.Any(o => o.Skip == tensor) && tensor != Output;
            if (producer is not { Kind: OpKind.Conv, Choice: { } produced, Skip: null } || !onlyReader)
            {
                continue;
            }

            // A producer the cost model gave another kernel switches to its best channel tile where that costs less than
            // the interleaving the hand-off saves the depthwise kernel (its input must be read as it is: no padding kernel).
            if (produced.Strategy is not ChannelTileConv && !produced.Input.Prepared
                && CostModel.Cheapest<ChannelTileConv>(produced.Problem) is { Input.Prepared: false } tile
                && ChannelBlocks.Fits(tile, choice))
            {
                double saved = ShapeMath.CeilDiv(choice.Problem.OutChannels, 8) * DepthwiseLanesConv.InterleaveCycles(choice.Problem);
                if (tile.Cycles <= produced.Cycles + saved)
                {
                    tile.Note = string.Format(
                        System.Globalization.CultureInfo.InvariantCulture,
                        "taken over the {0} (about {1:0.##} k) since it hands channel blocks to {2}, which then interleaves nothing (about {3:0.##} k)",
                        produced.Strategy.Name, produced.Cycles / 1000, consumer.MethodName, saved / 1000);
                    producer.Choice = produced = tile;
                }
            }

            if (produced.Strategy is ChannelTileConv && ChannelBlocks.Fits(produced, choice))
            {
                tensor.Blocks = new ChannelBlocks(produced, choice, producer.MethodName, consumer.MethodName);
            }
        }
    }

    /// <summary>An <c>Add(..., Projection = true)</c>'s shortcut as the 1×1 convolution it is (its BatchNorm is folded at load).</summary>
    private static LayerPlan ProjectionPlan(LayerPlan add) => add with
    {
        Decl = new LayerDecl
        {
            Kind = LayerKind.Conv,
            AttributeName = add.Skip.Rank == 2 ? "Conv2d" : "Conv1d",
            OutChannels = add.Output.Channels,
            StrideH = add.ProjectionStrideH,
            StrideW = add.ProjectionStrideW,
            Bias = false,
        },
        Input = add.Skip,
        PadTop = 0,
        PadBottom = 0,
        PadLeft = 0,
        PadRight = 0,
    };

    private static OpKind Kind(LayerKind kind) => kind switch
    {
        LayerKind.MaxPool => OpKind.MaxPool,
        LayerKind.AvgPool => OpKind.AvgPool,
        LayerKind.GlobalAvgPool => OpKind.GlobalAvgPool,
        LayerKind.Upsample => OpKind.Upsample,
        LayerKind.PixelShuffle => OpKind.PixelShuffle,
        _ => OpKind.PixelUnshuffle,
    };

    private static string Method(LayerPlan layer, string what)
        => "Layer" + layer.Index.ToString(System.Globalization.CultureInfo.InvariantCulture) + "_" + what;

    /// <summary>Taps a kernel writes out one statement each when unrolled.</summary>
    public static long UnrolledTaps(Op op) => op.Kind switch
    {
        OpKind.ConvTranspose or OpKind.MaxPool or OpKind.AvgPool => (long)op.Layer.Decl.KernelH * op.Layer.Decl.KernelW,
        OpKind.Conv when op.Choice!.Problem.Taps <= RowTileConv.MaxUnrolledTaps => op.Choice.Problem.Taps,
        _ => 0,
    };

    /// <summary>Above the network's budget, the kernels with the most taps fall back to compact loops.</summary>
    private void ApplyUnrollBudget()
    {
        const int MaxTapsPerKernel = 256;
        long total = 0;
        foreach (var op in Ops)
        {
            if (UnrolledTaps(op) > MaxTapsPerKernel)
            {
                op.Unrolled = false;
            }
            else
            {
                total += UnrolledTaps(op);
            }
        }

        foreach (var op in Ops.Where(o => o.Unrolled).OrderByDescending(UnrolledTaps).ThenBy(o => o.Layer.Index))
        {
            if (total <= Network.UnrollBudget)
            {
                break;
            }

            total -= UnrolledTaps(op);
            op.Unrolled = false;
        }
    }

    /// <summary>
    /// Gives every tensor a workspace buffer. A tensor lives until its last reader; an in-place kernel
    /// reuses its input's buffer when nothing reads that input later.
    /// </summary>
    private void Allocate()
    {
        for (int i = 0; i < Ops.Count; i++)
        {
            Ops[i].Input.LastUse = i;
            if (Ops[i].Skip is { } skip)
            {
                skip.LastUse = i;
            }
        }

        Output.LastUse = Ops.Count;
        var owners = new List<TensorValue?>();
        if (TransposeInput)
        {
            Input.Buffer = Claim(owners, Input, -1);
        }

        for (int i = 0; i < Ops.Count; i++)
        {
            var op = Ops[i];
            // A projection reads skip[ci, ...] for every output channel, so it cannot overwrite the tensor it projects.
            bool readsWhatItWrites = op.Skip == op.Input && op.Layer.Decl.Projection;
            if (op.InPlace && !readsWhatItWrites && op.Input.Buffer >= 0 && op.Input.LastUse == i && op.Input.Blocks is null && op.Input.Shape.Size == op.Output.Shape.Size)
            {
                op.Output.Buffer = op.Input.Buffer;
                owners[op.Output.Buffer] = op.Output;
                continue;
            }

            op.Output.Buffer = Claim(owners, op.Output, i);
        }
    }

    /// <summary>A buffer whose tensor is dead before op <paramref name="at"/> (the op's own inputs live through it).</summary>
    private int Claim(List<TensorValue?> owners, TensorValue tensor, int at)
    {
        int best = -1;
        for (int b = 0; b < owners.Count; b++)
        {
            var owner = owners[b];
            bool free = owner is null || owner.LastUse < at;
            if (free && (best < 0 || Fit(b, tensor) < Fit(best, tensor)))
            {
                best = b;
            }
        }

        if (best < 0)
        {
            owners.Add(null);
            Buffers.Add(0);
            best = owners.Count - 1;
        }

        owners[best] = tensor;
        Buffers[best] = System.Math.Max(Buffers[best], tensor.Floats + Slack);
        return best;
    }

    /// <summary>Prefers the smallest buffer that already fits, then the one that needs least growth.</summary>
    private long Fit(int buffer, TensorValue tensor)
    {
        int size = Buffers[buffer];
        return size >= tensor.Floats ? size - tensor.Floats : (1L << 40) + tensor.Floats - size;
    }
}
