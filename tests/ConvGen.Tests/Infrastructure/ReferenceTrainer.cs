using System;
using System.Collections.Generic;
using System.Linq;
using ConvGen.Reference;
using ConvGen.Shapes;

namespace ConvGen.Tests.Infrastructure;

/// <summary>
/// The independent oracle for a generated <c>Trainer</c>: one PyTorch train-mode step through a declared network,
/// planned by the shared shape module and interpreted layer by layer with the naive <see cref="ReferenceOps"/>
/// (NCHW, double accumulation). <see cref="Forward"/> normalizes every BatchNorm with the batch's statistics and
/// updates its running statistics; <see cref="Backward"/> sends ∂loss/∂output back through each layer's reference
/// backward op, and a saved tensor's gradient is the sum over all its readers (the layer after Save, and every Add
/// and Concat that names it).
/// </summary>
/// <remarks>
/// Layers without a train-mode behaviour of their own run forward through <see cref="ReferenceNetwork"/>, one plan at
/// a time, so the two oracles cannot disagree about them. Dropout must have P = 0 (the identity): a random mask
/// cannot be reproduced here.
/// </remarks>
internal static class ReferenceTrainer
{
    /// <summary>ε and momentum of the BatchNorm inside an <c>Add(Projection = true)</c> (PyTorch's defaults).</summary>
    private const double ProjectionEps = 1e-5;

    private const double ProjectionMomentum = 0.1;

    /// <summary>
    /// The forward pass of <paramref name="batch"/> samples, in train mode unless <paramref name="training"/> is false
    /// (PyTorch's <c>model.eval()</c>: BatchNorm reads its running statistics and keeps them, Dropout is the identity;
    /// such a tape is for its output and activations only, <see cref="Backward"/> refuses it). <paramref name="input"/> and
    /// the output use the network's declared layout (channels-last when <see cref="NetworkDecl.ChannelsLast"/>, except a
    /// flat output).
    /// </summary>
    public static Tape Forward(NetworkDecl network, IReadOnlyList<LayerPlan> plans, ModelWeights weights, float[] input, int batch, bool training = true)
    {
        var tape = new Tape(network, plans, weights, batch, training);
        var shape = network.InputShape;
        if (input.Length != (long)batch * shape.Size)
        {
            throw new ArgumentException($"A batch of {batch} needs {(long)batch * shape.Size} input floats, not {input.Length}.", nameof(input));
        }

        float[] x = ToNchw(network, shape, input, batch);
        var saves = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < plans.Count; i++)
        {
            var plan = plans[i];
            if (plan.Input != shape)
            {
                throw new InvalidOperationException($"{plan.Label}: the plan expects input {plan.Input}, the reference holds {shape}.");
            }

            tape.Inputs.Add(x);
            tape.Sources.Add(-1);
            tape.Projected.Add(null);
            x = Step(tape, i, x, saves);
            shape = plan.Output;
            if (x.Length != (long)batch * shape.Size)
            {
                throw new InvalidOperationException($"{plan.Label}: the reference produced {x.Length} floats, but the plan says {batch} x {shape}.");
            }
        }

        tape.Output = FromNchw(network, shape, x, batch);
        return tape;
    }

    /// <summary>
    /// The backward pass for ∂loss/∂output <paramref name="outputGradient"/> (declared layout, as the output): ∂loss/∂input
    /// in the declared layout, and every parameter's gradient named and ordered as PyTorch's <c>named_parameters()</c>.
    /// </summary>
    public static Gradients Backward(Tape tape, float[] outputGradient)
    {
        ArgumentNullException.ThrowIfNull(tape);
        ArgumentNullException.ThrowIfNull(outputGradient);
        if (!tape.Training)
        {
            throw new NotSupportedException("The reference trainer has no eval-mode backward pass; check one against finite differences.");
        }

        var plans = tape.Plans;
        var outputShape = plans.Count > 0 ? plans[plans.Count - 1].Output : tape.Network.InputShape;
        if (outputGradient.Length != tape.Output.Length)
        {
            throw new ArgumentException($"outputGradient must hold {tape.Output.Length} floats, but has {outputGradient.Length}.", nameof(outputGradient));
        }

        float[] g = ToNchw(tape.Network, outputShape, outputGradient, tape.Batch);
        var readers = new Dictionary<int, List<float[]>>();
        var grads = new Dictionary<string, float[]>(StringComparer.Ordinal);
        for (int i = plans.Count - 1; i >= 0; i--)
        {
            g = StepBack(tape, i, g, readers, grads);
        }

        var parameters = new ModelWeights();
        foreach (var name in plans.SelectMany(ParameterNames))
        {
            parameters.Add(new Tensor(name, tape.Weights[name].Shape, grads[name]));
        }

        return new Gradients(FromNchw(tape.Network, tape.Network.InputShape, g, tape.Batch), parameters);
    }

    /// <summary>A whole step: <see cref="Forward"/>, then <see cref="Backward"/> for <paramref name="outputGradient"/>.</summary>
    public static (Tape Tape, Gradients Gradients) Step(
        NetworkDecl network, IReadOnlyList<LayerPlan> plans, ModelWeights weights, float[] input, int batch, float[] outputGradient)
    {
        var tape = Forward(network, plans, weights, input, batch);
        return (tape, Backward(tape, outputGradient));
    }

    /// <summary>
    /// The piecewise-linear choices a forward pass made: per ReLU, LeakyReLU or ReLU6 the slope each element took, per
    /// max pool how many windows picked each element. Two inputs with equal kinks lie in one linear piece of those layers,
    /// so a finite difference between them does not straddle a kink.
    /// </summary>
    public static IReadOnlyList<float[]> Kinks(Tape tape)
    {
        ArgumentNullException.ThrowIfNull(tape);
        var kinks = new List<float[]>();
        for (int i = 0; i < tape.Plans.Count; i++)
        {
            var plan = tape.Plans[i];
            var d = plan.Decl;
            var s = plan.Input;
            float[] x = tape.Inputs[i];
            float[] ones = new float[tape.Batch * plan.Output.Size];
            Array.Fill(ones, 1f);
            var k = Window.Of(plan);
            float[]? kink = d.Kind switch
            {
                LayerKind.ReLU => ReferenceOps.ReLUBackward(ones, x),
                LayerKind.LeakyReLU => ReferenceOps.LeakyReLUBackward(ones, x, d.NegativeSlope),
                LayerKind.ReLU6 => ReferenceOps.ReLU6Backward(ones, x),
                LayerKind.MaxPool => ReferenceOps.MaxPool2dBackward(
                    ones, x, tape.Batch, s.Channels, s.Height, s.Width, k.KH, k.KW, k.SH, k.SW, k.Top, k.Left, k.DH, k.DW, d.CeilMode),
                _ => null,
            };
            if (kink is not null)
            {
                kinks.Add(kink);
            }
        }

        return kinks;
    }

    /// <summary>The trainable tensors of one layer, in PyTorch's <c>named_parameters()</c> order.</summary>
    public static IEnumerable<string> ParameterNames(LayerPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var d = plan.Decl;
        string prefix = plan.ParameterPrefix;
        switch (d.Kind)
        {
            case LayerKind.Conv or LayerKind.ConvTranspose or LayerKind.Linear:
                yield return prefix + ".weight";
                if (d.Bias)
                {
                    yield return prefix + ".bias";
                }

                break;
            case LayerKind.BatchNorm when d.Affine:
                yield return prefix + ".weight";
                yield return prefix + ".bias";
                break;
            case LayerKind.Add when d.Projection:
                yield return prefix + ".0.weight";
                yield return prefix + ".1.weight";
                yield return prefix + ".1.bias";
                break;
        }
    }

    private static float[] Step(Tape tape, int index, float[] x, Dictionary<string, int> saves)
    {
        var plan = tape.Plans[index];
        var d = plan.Decl;
        var s = plan.Input;
        int n = tape.Batch;
        switch (d.Kind)
        {
            case LayerKind.BatchNorm when tape.Training:
                return BatchNorm(tape, x, s, plan.ParameterPrefix, d.Affine, d.Eps, d.Momentum);

            case LayerKind.Dropout when d.DropoutP != 0 && tape.Training:
                throw new NotSupportedException($"{plan.Label}: Dropout(P = {d.DropoutP}) draws a random mask the reference cannot reproduce; use P = 0.");

            case LayerKind.Save:
                saves[d.TensorName!] = index;
                return x;

            case LayerKind.Add or LayerKind.Concat:
            {
                int source = saves.TryGetValue(d.TensorName ?? "", out int saved)
                    ? saved
                    : throw new InvalidOperationException($"{plan.Label}: no tensor named '{d.TensorName}' was saved.");
                tape.Sources[index] = source;
                float[] skip = tape.Inputs[source];
                var skipShape = tape.Plans[source].Input;
                if (d.Kind == LayerKind.Concat)
                {
                    return ReferenceOps.Concat(x, skip, n, s.Channels, skipShape.Channels, s.Height, s.Width);
                }

                if (d.Projection)
                {
                    // nn.Sequential(Conv(Cs, C, 1, stride, bias=False), BatchNorm(C)) on the saved tensor, in train mode.
                    var (projected, _, _) = ReferenceOps.Conv2d(
                        skip, n, skipShape.Channels, skipShape.Height, skipShape.Width,
                        tape.Weights[plan.ParameterPrefix + ".0.weight"].Data, null, s.Channels, 1, 1,
                        ProjectionStrideH(plan), plan.ProjectionStrideW);
                    tape.Projected[index] = projected;
                    skip = BatchNorm(tape, projected, s, plan.ParameterPrefix + ".1", affine: true, ProjectionEps, ProjectionMomentum);
                }

                return ReferenceOps.Add(x, skip);
            }

            default:
                // No train-mode behaviour of its own (Dropout(P = 0) and Identity included): the inference interpreter's step.
                var single = new NetworkDecl(s.Channels, s.Height, s.Width, s.Rank, ChannelsLast: false, UnrollBudget: 0);
                return ReferenceNetwork.Run(single, new[] { plan }, tape.Weights, x, n);
        }
    }

    /// <summary>
    /// Train-mode BatchNorm: the batch's statistics normalize; the running statistics of the step go to the state.
    /// In eval mode, the running statistics normalize.
    /// </summary>
    private static float[] BatchNorm(Tape tape, float[] x, TensorShape s, string prefix, bool affine, double eps, double momentum)
    {
        var weights = tape.Weights;
        if (!tape.Training)
        {
            return ReferenceOps.BatchNorm(
                x, tape.Batch, s.Channels, s.Height, s.Width,
                affine ? weights[prefix + ".weight"].Data : null,
                affine ? weights[prefix + ".bias"].Data : null,
                weights[prefix + ".running_mean"].Data,
                weights[prefix + ".running_var"].Data,
                eps);
        }

        var (y, _, _) = ReferenceOps.BatchNormTraining(
            x, tape.Batch, s.Channels, s.Height, s.Width,
            affine ? weights[prefix + ".weight"].Data : null,
            affine ? weights[prefix + ".bias"].Data : null,
            eps);
        var (mean, variance) = ReferenceOps.BatchNormRunningStatistics(
            weights[prefix + ".running_mean"].Data, weights[prefix + ".running_var"].Data, x, tape.Batch, s.Channels, s.Height, s.Width, momentum);
        tape.Update(prefix + ".running_mean", mean);
        tape.Update(prefix + ".running_var", variance);
        tape.CountBatch(prefix + ".num_batches_tracked");
        return y;
    }

    /// <summary>One layer backward: returns ∂loss/∂(layer input) and adds the layer's parameter gradients to <paramref name="grads"/>.</summary>
    private static float[] StepBack(Tape tape, int index, float[] g, Dictionary<int, List<float[]>> readers, Dictionary<string, float[]> grads)
    {
        var plan = tape.Plans[index];
        var d = plan.Decl;
        var s = plan.Input;
        var o = plan.Output;
        float[] x = tape.Inputs[index];
        var weights = tape.Weights;
        string prefix = plan.ParameterPrefix;
        int n = tape.Batch;
        var k = Window.Of(plan);
        switch (d.Kind)
        {
            case LayerKind.Conv:
            {
                var (gi, gw, gb) = ReferenceOps.Conv2dBackward(
                    g, x, n, s.Channels, s.Height, s.Width, weights[prefix + ".weight"].Data, d.OutChannels, k.KH, k.KW,
                    k.SH, k.SW, k.DH, k.DW, d.Groups, k.Top, k.Bottom, k.Left, k.Right, (PaddingMode)(int)d.BorderMode);
                return WithParameters(gi, grads, prefix, gw, d.Bias ? gb : null);
            }

            case LayerKind.ConvTranspose:
            {
                var (gi, gw, gb) = ReferenceOps.ConvTranspose2dBackward(
                    g, x, n, s.Channels, s.Height, s.Width, weights[prefix + ".weight"].Data, d.OutChannels, k.KH, k.KW,
                    k.SH, k.SW, k.Top, k.Left, s.Rank == 2 ? d.OutputPaddingH : 0, d.OutputPaddingW, k.DH, k.DW, d.Groups);
                return WithParameters(gi, grads, prefix, gw, d.Bias ? gb : null);
            }

            case LayerKind.Linear:
            {
                var (gi, gw, gb) = ReferenceOps.LinearBackward(g, x, n, s.Size, weights[prefix + ".weight"].Data, d.OutChannels);
                return WithParameters(gi, grads, prefix, gw, d.Bias ? gb : null);
            }

            case LayerKind.BatchNorm:
                return BatchNormBack(tape, g, x, s, prefix, d.Affine, d.Eps, grads);

            case LayerKind.MaxPool:
                return ReferenceOps.MaxPool2dBackward(
                    g, x, n, s.Channels, s.Height, s.Width, k.KH, k.KW, k.SH, k.SW, k.Top, k.Left, k.DH, k.DW, d.CeilMode);
            case LayerKind.AvgPool:
                return ReferenceOps.AvgPool2dBackward(
                    g, n, s.Channels, s.Height, s.Width, k.KH, k.KW, k.SH, k.SW, k.Top, k.Left, d.CeilMode, d.CountIncludePad);
            case LayerKind.GlobalAvgPool:
                return ReferenceOps.GlobalAvgPoolBackward(g, n, s.Channels, s.Height, s.Width);

            case LayerKind.ReLU:
                return ReferenceOps.ReLUBackward(g, x);
            case LayerKind.LeakyReLU:
                return ReferenceOps.LeakyReLUBackward(g, x, d.NegativeSlope);
            case LayerKind.ReLU6:
                return ReferenceOps.ReLU6Backward(g, x);
            case LayerKind.Sigmoid:
                return ReferenceOps.SigmoidBackward(g, x);
            case LayerKind.Tanh:
                return ReferenceOps.TanhBackward(g, x);
            case LayerKind.SiLU:
                return ReferenceOps.SiLUBackward(g, x);

            case LayerKind.Identity or LayerKind.Dropout or LayerKind.Flatten:
                return g;

            case LayerKind.Upsample:
                return ReferenceOps.UpsampleBackward(
                    g, n, s.Channels, s.Height, s.Width, o.Height / s.Height, o.Width / s.Width,
                    d.LinearInterpolation ? UpsampleMode.Linear : UpsampleMode.Nearest);
            case LayerKind.PixelShuffle:
                return ReferenceOps.PixelShuffleBackward(g, n, s.Channels, s.Height, s.Width, d.Factor);
            case LayerKind.PixelUnshuffle:
                return ReferenceOps.PixelUnshuffleBackward(g, n, s.Channels, s.Height, s.Width, d.Factor);

            case LayerKind.Save:
                // The tensor this layer saved also fed every Add and Concat that named it.
                return readers.TryGetValue(index, out var extra) ? ReferenceOps.SumGradients(extra.Prepend(g).ToArray()) : g;

            case LayerKind.Add:
            {
                var (current, skip) = ReferenceOps.AddBackward(g);
                int source = tape.Sources[index];
                if (d.Projection)
                {
                    var skipShape = tape.Plans[source].Input;
                    float[] projected = tape.Projected[index]!;
                    float[] gp = BatchNormBack(tape, skip, projected, o, prefix + ".1", affine: true, ProjectionEps, grads);
                    var (gs, gw, _) = ReferenceOps.Conv2dBackward(
                        gp, tape.Inputs[source], n, skipShape.Channels, skipShape.Height, skipShape.Width,
                        weights[prefix + ".0.weight"].Data, o.Channels, 1, 1, ProjectionStrideH(plan), plan.ProjectionStrideW);
                    grads[prefix + ".0.weight"] = gw;
                    skip = gs;
                }

                AddReader(readers, source, skip);
                return current;
            }

            case LayerKind.Concat:
            {
                int source = tape.Sources[index];
                var (current, skip) = ReferenceOps.ConcatBackward(g, n, s.Channels, tape.Plans[source].Input.Channels, s.Height, s.Width);
                AddReader(readers, source, skip);
                return current;
            }

            default:
                throw new NotSupportedException($"{plan.Label}: the reference trainer has no backward for {d.Kind}.");
        }
    }

    private static float[] BatchNormBack(Tape tape, float[] g, float[] x, TensorShape s, string prefix, bool affine, double eps, Dictionary<string, float[]> grads)
    {
        var (gi, gGamma, gBeta) = ReferenceOps.BatchNormTrainingBackward(
            g, x, tape.Batch, s.Channels, s.Height, s.Width, affine ? tape.Weights[prefix + ".weight"].Data : null, eps);
        return affine ? WithParameters(gi, grads, prefix, gGamma, gBeta) : gi;
    }

    private static float[] WithParameters(float[] gradInput, Dictionary<string, float[]> grads, string prefix, float[] weight, float[]? bias)
    {
        grads[prefix + ".weight"] = weight;
        if (bias is not null)
        {
            grads[prefix + ".bias"] = bias;
        }

        return gradInput;
    }

    private static void AddReader(Dictionary<int, List<float[]>> readers, int source, float[] gradient)
    {
        if (!readers.TryGetValue(source, out var list))
        {
            readers[source] = list = new List<float[]>();
        }

        list.Add(gradient);
    }

    private static int ProjectionStrideH(LayerPlan plan) => plan.Skip.Rank == 2 ? plan.ProjectionStrideH : 1;

    /// <summary>A new NCHW array (the caller's array is never kept: tests perturb it in place).</summary>
    private static float[] ToNchw(NetworkDecl network, TensorShape shape, float[] data, int batch)
        => network.ChannelsLast && shape.Rank > 0
            ? ReferenceOps.NhwcToNchw(data, batch, shape.Channels, shape.Height, shape.Width)
            : (float[])data.Clone();

    private static float[] FromNchw(NetworkDecl network, TensorShape shape, float[] data, int batch)
        => network.ChannelsLast && shape.Rank > 0
            ? ReferenceOps.NchwToNhwc(data, batch, shape.Channels, shape.Height, shape.Width)
            : data;

    /// <summary>A layer's window in 2-D terms (1-D layers: height 1, no vertical padding), with the planned padding.</summary>
    private readonly record struct Window(int KH, int KW, int SH, int SW, int DH, int DW, int Top, int Bottom, int Left, int Right)
    {
        public static Window Of(LayerPlan plan)
        {
            var d = plan.Decl;
            return plan.Input.Rank == 2
                ? new Window(d.KernelH, d.KernelW, d.StrideH, d.StrideW, d.DilationH, d.DilationW, plan.PadTop, plan.PadBottom, plan.PadLeft, plan.PadRight)
                : new Window(1, d.KernelW, 1, d.StrideW, 1, d.DilationW, 0, 0, plan.PadLeft, plan.PadRight);
        }
    }

    /// <summary>What a forward pass keeps for the backward pass, its output, and the state_dict after the step.</summary>
    internal sealed class Tape(NetworkDecl network, IReadOnlyList<LayerPlan> plans, ModelWeights weights, int batch, bool training)
    {
        private readonly Dictionary<string, Tensor> _updates = new(StringComparer.Ordinal);

        public NetworkDecl Network { get; } = network ?? throw new ArgumentNullException(nameof(network));

        public IReadOnlyList<LayerPlan> Plans { get; } = plans ?? throw new ArgumentNullException(nameof(plans));

        public ModelWeights Weights { get; } = weights ?? throw new ArgumentNullException(nameof(weights));

        public int Batch { get; } = batch > 0 ? batch : throw new ArgumentOutOfRangeException(nameof(batch), batch, "The batch must be positive.");

        /// <summary>Train mode (else eval mode).</summary>
        public bool Training { get; } = training;

        /// <summary>The input of each layer, NCHW.</summary>
        public List<float[]> Inputs { get; } = new();

        /// <summary>The output, in the declared layout.</summary>
        public float[] Output { get; set; } = Array.Empty<float>();

        /// <summary>For each Add or Concat, the index of the Save layer whose tensor it reads; −1 elsewhere.</summary>
        internal List<int> Sources { get; } = new();

        /// <summary>For each projection Add, the 1x1 convolution's output (its BatchNorm's input); null elsewhere.</summary>
        internal List<float[]?> Projected { get; } = new();

        /// <summary>
        /// The state_dict after the step: the parameters unchanged, every BatchNorm's running statistics updated with
        /// the unbiased batch variance, and <c>num_batches_tracked</c> counted up by one.
        /// </summary>
        public ModelWeights State => new(Weights.Select(t => _updates.TryGetValue(t.Name, out var updated) ? updated : Copy(t)));

        internal void Update(string name, float[] value) => _updates[name] = new Tensor(name, Weights[name].Shape, value);

        internal void CountBatch(string name)
        {
            var tensor = Weights[name];
            long count = tensor.Int64Data is { } counts ? counts[0] : (long)tensor.Data[0];
            _updates[name] = new Tensor(name, tensor.Shape, new[] { count + 1 });
        }

        private static Tensor Copy(Tensor t)
            => t.Int64Data is { } counts ? new Tensor(t.Name, t.Shape, (long[])counts.Clone()) : new Tensor(t.Name, t.Shape, (float[])t.Data.Clone());
    }

    /// <summary>∂loss/∂input (declared layout) and every parameter's gradient, in <c>named_parameters()</c> order.</summary>
    internal sealed record Gradients(float[] Input, ModelWeights Parameters);
}
