using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using ConvGen.Generator.Model;
using ConvGen.Shapes;

namespace ConvGen.Generator.Emit.Training;

/// <summary>
/// Writes the nested <c>Trainer</c> of a network: its own copy of the parameters with gradient arrays, the running
/// statistics, every tensor of the training graph for MaxBatch samples (and as many gradients), the train-mode forward
/// pass, the backward pass, and the state_dict export. Everything is allocated in the constructor.
/// </summary>
internal static class TrainingEmitter
{
    private const string Runtime = "global::ConvGen";
    private const string Span = "global::System.Span<float>";
    private const string ReadOnlySpan = "global::System.ReadOnlySpan<float>";

    private static string L(long v) => v.ToString(CultureInfo.InvariantCulture);

    public static void Emit(SourceWriter w, NetworkModel model, IReadOnlyList<LayerPlan> plans)
    {
        var graph = TrainingGraph.Build(model.Network, plans);
        var specs = ParameterSpec.For(plans);
        var names = new TrainingNames(specs);
        var input = model.Network.InputShape;
        // The last layer's shape, not the last tensor's: a trailing Flatten or Identity only renames the tensor.
        var output = plans.Count == 0 ? input : plans[plans.Count - 1].Output;
        bool channelsLast = model.Network.ChannelsLast;

        w.Line();
        w.Line("/// <summary>");
        w.Doc($"Trains {model.TypeName}: a forward pass that keeps every layer's activations for the whole batch, the backward pass through them ({graph.Ops.Count} ops, one forward and one backward kernel each), and the parameters with their gradients, named as in PyTorch's state_dict.");
        w.Doc("BatchNorm uses batch statistics and updates its running statistics while <see cref=\"Training\"/> is on; Dropout draws masks from a generator seeded in the constructor.");
        w.Doc("Everything is allocated in the constructor: a step (Forward, Backward, an optimizer's Step) allocates nothing. Not thread-safe.");
        w.Line("/// </summary>");
        w.Open($"public sealed class Trainer : {Runtime}.Training.ITrainer");
        Fields(w, graph, specs, names);
        Constructor(w, graph, specs, names);
        Members(w, model, graph, specs, names, input, output, channelsLast);
        foreach (var op in graph.Ops)
        {
            TrainingKernels.Emit(w, op, names);
        }

        NetworkEmitter.IndexMaps(w, graph.Ops.Where(o => o.Kind == TrainOpKind.Pad).Select(o => o.Layer.Decl.BorderMode));
        w.Close();
    }

    private static void Fields(SourceWriter w, TrainingGraph graph, List<ParameterSpec> specs, TrainingNames names)
    {
        w.Line();
        w.Line("// Parameters (values and gradients), BatchNorm statistics, and per tensor of the training graph: values and gradients for MaxBatch samples.");
        foreach (var spec in specs)
        {
            if (spec.Role == "Parameter")
            {
                w.Line($"private readonly float[] {names.Value(spec.Name)}, {names.Gradient(spec.Name)}; // {Comment(spec.Name)}");
            }
            else if (spec.Init == "NumBatchesTracked")
            {
                string prefix = Prefix(spec.Name);
                w.Line($"private readonly float[] {names.RunningMean(prefix)}, {names.RunningVar(prefix)}, {names.InvStd(prefix)}; // {Comment(prefix)}");
                w.Line($"private readonly double[] {names.Mean(prefix)}; // the mean the last Forward normalized with, unrounded: x − μ is where the precision is");
                w.Line($"private long {names.Tracked(prefix)};");
            }
        }

        foreach (var t in graph.Tensors)
        {
            w.Line($"private readonly float[] {t.Field}, {t.GradientField}; // {t.Shape}: {Comment(t.Producer)}");
        }

        foreach (var op in graph.Ops)
        {
            if (op.Kind == TrainOpKind.MaxPool)
            {
                w.Line($"private readonly int[] _argmax{L(op.Output.Id)};");
            }
            else if (op.Kind == TrainOpKind.Dropout)
            {
                w.Line($"private readonly float[] _mask{L(op.Output.Id)};");
            }
            else if (TrainingKernels.UsesPatchMatrix(op))
            {
                w.Line($"private readonly float[] _col{L(op.Output.Id)}, _colT{L(op.Output.Id)}, _dcol{L(op.Output.Id)}; // one sample's patch matrices (see the kernels)");
            }
        }

        w.Line($"private readonly {Runtime}.Training.ParameterSlot[] _slots;");
        w.Line("private ulong _random;");
        w.Line("private bool _training = true, _trainedForward, _inputGradient;");
        w.Line("private int _batch;");
    }

    /// <summary>Text safe inside a // comment (a layer name could hold a line break).</summary>
    private static string Comment(string text) => text.Replace('\r', ' ').Replace('\n', ' ');

    private static string Prefix(string bufferName) => bufferName.Substring(0, bufferName.LastIndexOf('.'));

    private static void Constructor(SourceWriter w, TrainingGraph graph, List<ParameterSpec> specs, TrainingNames names)
    {
        long largest = graph.Tensors.Max(t => (long)t.Shape.Size);
        long limit = int.MaxValue / System.Math.Max(1, largest);
        w.Line();
        w.Line("/// <summary>Copies <paramref name=\"weights\"/> (checked against <see cref=\"ParameterSpecs\"/>) and allocates everything a step needs for up to <paramref name=\"maxBatch\"/> samples.</summary>");
        w.Line("/// <param name=\"weights\">The initial state_dict, as <see cref=\"CreateWeights\"/> or <see cref=\"LoadWeights\"/> give it; copied, not kept.</param>");
        w.Line("/// <param name=\"maxBatch\">The largest batch <see cref=\"Forward\"/> will take.</param>");
        w.Line("/// <param name=\"seed\">Seeds Dropout's masks.</param>");
        w.Open($"public Trainer({Runtime}.ModelWeights weights, int maxBatch, int seed = 0)");
        w.Line("global::System.ArgumentNullException.ThrowIfNull(weights);");
        w.Open($"if (maxBatch < 1 || maxBatch > {L(limit)})");
        w.Line($"throw new global::System.ArgumentOutOfRangeException(nameof(maxBatch), maxBatch, \"maxBatch must be between 1 and {L(limit)} (the largest tensor, {L(largest)} floats per sample, times maxBatch must fit in an array).\");");
        w.Close();
        w.Line("weights.Validate(ParameterSpecs);");
        w.Line("MaxBatch = maxBatch;");
        w.Line($"_random = {Runtime}.Kernels.DropoutMask.Seed(seed);");
        var slots = new List<string>();
        foreach (var spec in specs)
        {
            string name = Literals.String(spec.Name);
            if (spec.Role == "Parameter")
            {
                w.Line($"{names.Value(spec.Name)} = (float[])weights[{name}].Data.Clone();");
                w.Line($"{names.Gradient(spec.Name)} = new float[{names.Value(spec.Name)}.Length];");
                slots.Add($"new({name}, {names.Value(spec.Name)}, {names.Gradient(spec.Name)})");
            }
            else if (spec.Init == "NumBatchesTracked")
            {
                string prefix = Prefix(spec.Name);
                int channels = specs.First(s => s.Name == prefix + ".running_mean").Shape[0];
                w.Line($"{names.RunningMean(prefix)} = (float[])weights[{Literals.String(prefix + ".running_mean")}].Data.Clone();");
                w.Line($"{names.RunningVar(prefix)} = (float[])weights[{Literals.String(prefix + ".running_var")}].Data.Clone();");
                w.Line($"{names.Tracked(prefix)} = weights[{name}].Int64Data is {{ Length: 1 }} tracked{names.Tracked(prefix)} ? tracked{names.Tracked(prefix)}[0] : (long)weights[{name}].Data[0];");
                w.Line($"{names.Mean(prefix)} = new double[{L(channels)}];");
                w.Line($"{names.InvStd(prefix)} = new float[{L(channels)}];");
            }
        }

        foreach (var t in graph.Tensors)
        {
            w.Line($"{t.Field} = new float[maxBatch * {L(t.Shape.Size)}];");
            w.Line($"{t.GradientField} = new float[maxBatch * {L(t.Shape.Size)}];");
        }

        foreach (var op in graph.Ops)
        {
            if (op.Kind == TrainOpKind.MaxPool)
            {
                w.Line($"_argmax{L(op.Output.Id)} = new int[maxBatch * {L(op.Output.Shape.Size)}];");
            }
            else if (op.Kind == TrainOpKind.Dropout)
            {
                w.Line($"_mask{L(op.Output.Id)} = new float[maxBatch * {L(op.Output.Shape.Size)}];");
            }
            else if (TrainingKernels.UsesPatchMatrix(op))
            {
                long patches = TrainingKernels.PatchElements(op);
                foreach (string name in new[] { "_col", "_colT", "_dcol" })
                {
                    w.Line($"{name}{L(op.Output.Id)} = new float[{L(patches)}];");
                }
            }
        }

        w.Line($"_slots = new {Runtime}.Training.ParameterSlot[] {{ {string.Join(", ", slots)} }};");
        w.Line("Parameters = global::System.Array.AsReadOnly(_slots);");
        w.Close();
    }

    private static void Members(SourceWriter w, NetworkModel model, TrainingGraph graph, List<ParameterSpec> specs, TrainingNames names, TensorShape input, TensorShape output, bool channelsLast)
    {
        w.Line();
        w.Line("/// <inheritdoc/>");
        w.Line("public int InputSize => InputLength;");
        w.Line("/// <inheritdoc/>");
        w.Line("public int OutputSize => OutputLength;");
        w.Line("/// <inheritdoc/>");
        w.Line("public int MaxBatch { get; }");
        w.Line("/// <inheritdoc/>");
        w.Line("public bool Training { get => _training; set => _training = value; }");
        w.Line("/// <inheritdoc/>");
        w.Line($"public global::System.Collections.Generic.IReadOnlyList<{Runtime}.Training.ParameterSlot> Parameters {{ get; }}");

        // Forward.
        w.Line();
        w.Line("/// <inheritdoc/>");
        w.Open($"public void Forward({ReadOnlySpan} input, {Span} output, int batch)");
        w.Open("if (batch < 1 || batch > MaxBatch)");
        w.Line("throw new global::System.ArgumentOutOfRangeException(nameof(batch), batch, $\"batch must be between 1 and MaxBatch = {MaxBatch}.\");");
        w.Close();
        LengthCheck(w, model, "input", "Forward", "input", input, "InputLength", "batch");
        LengthCheck(w, model, "output", "Forward", "output", output, "OutputLength", "batch");
        w.Line("_batch = 0; // a Forward that throws leaves nothing for Backward");
        w.Line("_trainedForward = _training;");
        Layout(w, "input", graph.Input.Field, input, channelsLast, toChannelsFirst: true, "InputLength");
        foreach (var op in graph.Ops)
        {
            w.Line($"{op.Method}Forward(batch);");
        }

        Layout(w, graph.Output.Field, "output", output, channelsLast, toChannelsFirst: false, "OutputLength");
        w.Line("_batch = batch;");
        w.Close();

        // Backward.
        w.Line();
        w.Line("/// <inheritdoc/>");
        w.Line($"public void Backward({ReadOnlySpan} outputGradient) => Backward(outputGradient, default, inputGradientWanted: false);");
        w.Line();
        w.Line("/// <inheritdoc/>");
        w.Open($"public void Backward({ReadOnlySpan} outputGradient, {Span} inputGradient)");
        w.Line("Backward(outputGradient, inputGradient, inputGradientWanted: true);");
        w.Close();
        w.Line();
        w.Line("/// <summary>The layers' backward kernels in reverse order; each adds into the gradients of its inputs and parameters.</summary>");
        w.Open($"private void Backward({ReadOnlySpan} outputGradient, {Span} inputGradient, bool inputGradientWanted)");
        w.Line("int batch = _batch;");
        w.Open("if (batch == 0)");
        w.Line($"throw new global::System.InvalidOperationException(\"{model.TypeName}.Trainer.Backward needs a successful Forward first: it back-propagates through the activations Forward keeps.\");");
        w.Close();
        LengthCheck(w, model, "outputGradient", "Backward", "outputGradient", output, "OutputLength", "the last Forward's batch");
        w.Open("if (inputGradientWanted)");
        LengthCheck(w, model, "inputGradient", "Backward", "inputGradient", input, "InputLength", "the last Forward's batch");
        w.Close();
        w.Line("_inputGradient = inputGradientWanted;");
        foreach (var t in graph.Tensors.Where(t => t != graph.Output))
        {
            w.Line($"Slice({t.GradientField}, 0, batch * {L(t.Shape.Size)}).Clear();");
        }

        Layout(w, "outputGradient", graph.Output.GradientField, output, channelsLast, toChannelsFirst: true, "OutputLength");
        for (int i = graph.Ops.Count - 1; i >= 0; i--)
        {
            w.Line($"{graph.Ops[i].Method}Backward(batch);");
        }

        w.Open("if (inputGradientWanted)");
        Layout(w, graph.Input.GradientField, "inputGradient", input, channelsLast, toChannelsFirst: false, "InputLength");
        w.Close();
        w.Close();

        // ZeroGrad and the exports.
        w.Line();
        w.Line("/// <inheritdoc/>");
        w.Open("public void ZeroGrad()");
        w.Open("foreach (var slot in _slots)");
        w.Line("global::System.Array.Clear(slot.Gradient);");
        w.Close();
        w.Close();
        w.Line();
        w.Line("/// <inheritdoc/>");
        w.Open($"public {Runtime}.ModelWeights ExportWeights()");
        w.Line($"var weights = new {Runtime}.ModelWeights();");
        foreach (var spec in specs)
        {
            string name = Literals.String(spec.Name);
            string data = spec.Role == "Parameter" ? $"(float[]){names.Value(spec.Name)}.Clone()"
                : spec.Init == "NumBatchesTracked" ? $"new long[] {{ {names.Tracked(Prefix(spec.Name))} }}"
                : spec.Name.EndsWith(".running_mean", System.StringComparison.Ordinal) ? $"(float[]){names.RunningMean(Prefix(spec.Name))}.Clone()"
                : $"(float[]){names.RunningVar(Prefix(spec.Name))}.Clone()";
            w.Line($"weights.Add(new {Runtime}.Tensor({name}, {spec.ShapeLiteral}, {data}));");
        }

        w.Line("return weights;");
        w.Close();
        w.Line();
        w.Line("/// <inheritdoc/>");
        w.Open($"public {Runtime}.ModelWeights ExportGradients()");
        w.Line($"var gradients = new {Runtime}.ModelWeights();");
        foreach (var spec in specs.Where(s => s.Role == "Parameter"))
        {
            w.Line($"gradients.Add(new {Runtime}.Tensor({Literals.String(spec.Name)}, {spec.ShapeLiteral}, (float[]){names.Gradient(spec.Name)}.Clone()));");
        }

        w.Line("return gradients;");
        w.Close();
        w.Line();
        w.Line("/// <summary>A window of one of the trainer's arrays.</summary>");
        w.Line($"private static {Span} Slice(float[] array, int start, int length) => new(array, start, length);");
        w.Line();
        w.Line("// The block primitives of the kernels (ConvGen.Kernels.RowOps and Gemm; a block is (offset, row stride, step) in an array, rows × cols) and their element-wise loops (ConvGen.Kernels.ElementOps).");
        foreach (var (summary, returns, name, parameters, target) in Primitives)
        {
            string arguments = string.Join(", ", parameters.Split(',').Select(p => p.Trim().Split(' ').Last()));
            w.Line($"/// <summary>{summary}</summary>");
            w.Line("[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]");
            w.Line($"private static {returns} {name}({parameters.Replace("ROS", ReadOnlySpan).Replace("SPAN", Span)}) => {Runtime}.Kernels.{target}({arguments});");
        }
    }

    /// <summary>The trainer's short names for the runtime primitives: summary, return type, name, parameters (ROS/SPAN: spans), target.</summary>
    private static readonly (string Summary, string Returns, string Name, string Parameters, string Target)[] Primitives =
    {
        ("y[block] += a · x[block].", "void", "Axpy", "float a, ROS x, int xOffset, int xRowStride, int xStep, SPAN y, int yOffset, int yRowStride, int yStep, int rows, int cols", "RowOps.Axpy"),
        ("y += a · x over all of x.", "void", "Axpy", "float a, ROS x, SPAN y", "RowOps.Axpy"),
        ("y[block] = x[block].", "void", "Copy", "ROS x, int xOffset, int xRowStride, int xStep, SPAN y, int yOffset, int yRowStride, int yStep, int rows, int cols", "RowOps.Copy"),
        ("C (+)= A·B for m × k times k × n matrices at (offset, row stride[, column stride]) in each array.", "void", "Multiply", "ROS a, int aOffset, int aRowStride, int aColStride, ROS b, int bOffset, int bRowStride, SPAN c, int cOffset, int cRowStride, int m, int k, int n, bool accumulate", "Gemm.Multiply"),
        ("Σ a[block] · b[block].", "float", "Dot", "ROS a, int aOffset, int aRowStride, int aStep, ROS b, int bOffset, int bRowStride, int bStep, int rows, int cols", "RowOps.Dot"),
        ("Σ x, accumulated in double.", "float", "Sum", "ROS x", "RowOps.Sum"),
        ("y += x.", "void", "Add", "ROS x, SPAN y", "RowOps.Add"),
        ("Σ x and Σ (w − center)·x, in double.", "(double Sum, double Products)", "Sums", "ROS x, ROS w, double center", "ElementOps.Sums"),
        ("y = a·(x − center) + b.", "void", "Affine", "ROS x, double center, float a, float b, SPAN y", "ElementOps.Affine"),
        ("dx += a·dy + b·(x − center) + c.", "void", "AffineAdd", "ROS dy, ROS x, double center, float a, float b, float c, SPAN dx", "ElementOps.AffineAdd"),
        ("Σ (x − center)², in double.", "double", "SquaredDeviations", "ROS x, double center", "ElementOps.SquaredDeviations"),
        ("y = max(x, 0).", "void", "Relu", "ROS x, SPAN y", "ElementOps.Relu"),
        ("dx += (x ≤ 0 ? 0 : dy).", "void", "ReluBackward", "ROS x, ROS dy, SPAN dx", "ElementOps.ReluBackward"),
        ("y = x·mask.", "void", "MaskMultiply", "ROS x, ROS mask, SPAN y", "ElementOps.Multiply"),
        ("dx += dy·mask.", "void", "MaskMultiplyAdd", "ROS dy, ROS mask, SPAN dx", "ElementOps.MultiplyAdd"),
    };

    private static void LengthCheck(SourceWriter w, NetworkModel model, string span, string method, string what, TensorShape shape, string length, string batchText)
    {
        w.Open($"if ({span}.Length != (long)batch * {length})");
        w.Line($"throw new global::System.ArgumentException($\"{model.TypeName}.Trainer.{method}: {what} must hold {batchText} × {shape} = {{batch}} × {{{length}}} = {{(long)batch * {length}}} floats, but has {{{span}.Length}}.\", nameof({span}));");
        w.Close();
    }

    /// <summary>Copies batch samples between a caller's span and a tensor, transposing when the network is channels-last.</summary>
    private static void Layout(SourceWriter w, string from, string to, TensorShape shape, bool channelsLast, bool toChannelsFirst, string length)
    {
        if (channelsLast && shape.Rank > 0)
        {
            string method = toChannelsFirst ? "ToChannelsFirst" : "ToChannelsLast";
            w.Open("for (int n = 0; n < batch; n++)");
            w.Line($"{Runtime}.Kernels.Layout.{method}({Slice(from, length)}, {Slice(to, length)}, {L(shape.Channels)}, {L(shape.Spatial)});");
            w.Close();
        }
        else
        {
            w.Line($"{Whole(from, length)}.CopyTo({Whole(to, length)});");
        }
    }

    private static string Slice(string name, string length)
        => name.StartsWith("_", System.StringComparison.Ordinal) ? $"Slice({name}, n * {length}, {length})" : $"{name}.Slice(n * {length}, {length})";

    private static string Whole(string name, string length)
        => name.StartsWith("_", System.StringComparison.Ordinal) ? $"Slice({name}, 0, batch * {length})" : name;
}
