using System;
using System.Collections.Generic;
using System.Globalization;
using ConvGen.Reference;
using ConvGen.Shapes;

namespace ConvGen.Tests.Infrastructure;

/// <summary>
/// The independent oracle for a whole generated network: interprets the planned layers one by one with the
/// naive <see cref="ReferenceOps"/> (double accumulation, NCHW, no fusion, BatchNorm never folded), reading
/// every parameter by its PyTorch state_dict name. Only the shapes and the resolved padding come from the
/// shared shape module; each op recomputes its own output size and the result is checked against the plan.
/// </summary>
internal static class ReferenceNetwork
{
    /// <summary>ε of the BatchNorm inside an <c>Add(Projection = true)</c> (PyTorch's default).</summary>
    private const double ProjectionEps = 1e-5;

    /// <summary>
    /// Runs <paramref name="batch"/> samples through <paramref name="plans"/>. <paramref name="input"/> and the
    /// result use the network's declared layout: channels-last when <see cref="NetworkDecl.ChannelsLast"/>, except a
    /// flat output, which is the same in both layouts.
    /// </summary>
    public static float[] Run(NetworkDecl network, IReadOnlyList<LayerPlan> plans, ModelWeights weights, float[] input, int batch)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(plans);
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(input);
        var shape = network.InputShape;
        if (batch < 1 || input.Length != (long)batch * shape.Size)
        {
            throw new ArgumentException($"input must hold {batch} x {shape} = {(long)batch * shape.Size} floats, but has {input.Length}.", nameof(input));
        }

        float[] x = network.ChannelsLast
            ? ReferenceOps.NhwcToNchw(input, batch, shape.Channels, shape.Height, shape.Width)
            : (float[])input.Clone();
        var saved = new Dictionary<string, (float[] Data, TensorShape Shape)>(StringComparer.Ordinal);
        foreach (var plan in plans)
        {
            if (plan.Input != shape)
            {
                throw new InvalidOperationException($"{plan.Label}: the plan expects input {plan.Input}, the reference holds {shape}.");
            }

            (x, shape) = Step(plan, x, shape, batch, weights, saved);
            if (shape != plan.Output || x.Length != (long)batch * shape.Size)
            {
                throw new InvalidOperationException(
                    $"{plan.Label}: the reference op produced {shape} ({x.Length} floats for batch {batch}), but shape inference planned {plan.Output}.");
            }
        }

        return network.ChannelsLast && shape.Rank > 0
            ? ReferenceOps.NchwToNhwc(x, batch, shape.Channels, shape.Height, shape.Width)
            : x;
    }

    /// <summary>Runs a declaration, planning it first; throws when the declaration has shape errors.</summary>
    public static float[] Run(NetworkDecl network, IReadOnlyList<LayerDecl> layers, ModelWeights weights, float[] input, int batch)
        => Run(network, Plan(network, layers), weights, input, batch);

    /// <summary>The layer plans of a declaration that must be valid.</summary>
    public static IReadOnlyList<LayerPlan> Plan(NetworkDecl network, IReadOnlyList<LayerDecl> layers)
    {
        var result = ShapeInference.Infer(network, layers);
        if (!result.Succeeded)
        {
            throw new ArgumentException("The declaration has shape errors:\n" + string.Join("\n", result.Errors), nameof(layers));
        }

        return result.Layers;
    }

    private static (float[] Data, TensorShape Shape) Step(
        LayerPlan plan,
        float[] x,
        TensorShape s,
        int n,
        ModelWeights weights,
        Dictionary<string, (float[] Data, TensorShape Shape)> saved)
    {
        var d = plan.Decl;
        string prefix = plan.ParameterPrefix;
        bool twoD = s.Rank == 2;
        int kH = twoD ? d.KernelH : 1;
        int sH = twoD ? d.StrideH : 1;
        int dH = twoD ? d.DilationH : 1;
        switch (d.Kind)
        {
            case LayerKind.Conv:
            {
                var (y, h, w) = ReferenceOps.Conv2d(
                    x, n, s.Channels, s.Height, s.Width,
                    Get(weights, prefix + ".weight"), d.Bias ? Get(weights, prefix + ".bias") : null,
                    d.OutChannels, kH, d.KernelW,
                    sH, d.StrideW, dH, d.DilationW, d.Groups,
                    twoD ? plan.PadTop : 0, twoD ? plan.PadBottom : 0, plan.PadLeft, plan.PadRight,
                    (PaddingMode)(int)d.BorderMode);
                return (y, new TensorShape(d.OutChannels, h, w, s.Rank));
            }

            case LayerKind.ConvTranspose:
            {
                var (y, h, w) = ReferenceOps.ConvTranspose2d(
                    x, n, s.Channels, s.Height, s.Width,
                    Get(weights, prefix + ".weight"), d.Bias ? Get(weights, prefix + ".bias") : null,
                    d.OutChannels, kH, d.KernelW,
                    sH, d.StrideW, twoD ? d.PadTop : 0, d.PadLeft,
                    twoD ? d.OutputPaddingH : 0, d.OutputPaddingW, dH, d.DilationW, d.Groups);
                return (y, new TensorShape(d.OutChannels, h, w, s.Rank));
            }

            case LayerKind.MaxPool:
            {
                var (y, h, w) = ReferenceOps.MaxPool2d(
                    x, n, s.Channels, s.Height, s.Width, kH, d.KernelW, sH, d.StrideW,
                    twoD ? plan.PadTop : 0, plan.PadLeft, dH, d.DilationW, d.CeilMode);
                return (y, new TensorShape(s.Channels, h, w, s.Rank));
            }

            case LayerKind.AvgPool:
            {
                var (y, h, w) = ReferenceOps.AvgPool2d(
                    x, n, s.Channels, s.Height, s.Width, kH, d.KernelW, sH, d.StrideW,
                    twoD ? plan.PadTop : 0, plan.PadLeft, d.CeilMode, d.CountIncludePad);
                return (y, new TensorShape(s.Channels, h, w, s.Rank));
            }

            case LayerKind.GlobalAvgPool:
                return (ReferenceOps.GlobalAvgPool(x, n, s.Channels, s.Height, s.Width), new TensorShape(s.Channels, 1, 1, s.Rank));

            case LayerKind.BatchNorm:
                return (BatchNorm(x, n, s, weights, prefix, d.Affine, d.Eps), s);

            case LayerKind.ReLU:
                return (ReferenceOps.ReLU(x), s);
            case LayerKind.LeakyReLU:
                return (ReferenceOps.LeakyReLU(x, d.NegativeSlope), s);
            case LayerKind.ReLU6:
                return (ReferenceOps.ReLU6(x), s);
            case LayerKind.Sigmoid:
                return (ReferenceOps.Sigmoid(x), s);
            case LayerKind.Tanh:
                return (ReferenceOps.Tanh(x), s);
            case LayerKind.SiLU:
                return (ReferenceOps.SiLU(x), s);

            case LayerKind.Identity or LayerKind.Dropout:
                return (x, s);

            case LayerKind.Flatten:
                // NCHW per sample is already channel-major: only the shape changes.
                return (x, TensorShape.Flat(s.Size));

            case LayerKind.Linear:
                return (
                    ReferenceOps.Linear(x, n, s.Size, Get(weights, prefix + ".weight"), d.Bias ? Get(weights, prefix + ".bias") : null, d.OutChannels),
                    TensorShape.Flat(d.OutChannels));

            case LayerKind.Upsample:
            {
                int fH = twoD ? d.Factor : 1;
                var mode = d.LinearInterpolation ? UpsampleMode.Linear : UpsampleMode.Nearest;
                return (
                    ReferenceOps.Upsample(x, n, s.Channels, s.Height, s.Width, fH, d.Factor, mode),
                    new TensorShape(s.Channels, s.Height * fH, s.Width * d.Factor, s.Rank));
            }

            case LayerKind.PixelShuffle:
            {
                int r = d.Factor;
                return (
                    ReferenceOps.PixelShuffle(x, n, s.Channels, s.Height, s.Width, r),
                    new TensorShape(s.Channels / (r * r), s.Height * r, s.Width * r, s.Rank));
            }

            case LayerKind.PixelUnshuffle:
            {
                int r = d.Factor;
                return (
                    ReferenceOps.PixelUnshuffle(x, n, s.Channels, s.Height, s.Width, r),
                    new TensorShape(s.Channels * r * r, s.Height / r, s.Width / r, s.Rank));
            }

            case LayerKind.Save:
                saved[d.TensorName!] = (x, s);
                return (x, s);

            case LayerKind.Add:
            {
                var (skip, skipShape) = Saved(saved, d.TensorName, plan);
                if (d.Projection)
                {
                    // nn.Sequential(Conv(Cs, C, 1, stride, bias=False), BatchNorm(C)) applied to the saved tensor.
                    var (projected, h, w) = ReferenceOps.Conv2d(
                        skip, n, skipShape.Channels, skipShape.Height, skipShape.Width,
                        Get(weights, prefix + ".0.weight"), null, s.Channels, 1, 1,
                        skipShape.Rank == 2 ? plan.ProjectionStrideH : 1, plan.ProjectionStrideW);
                    var projectedShape = new TensorShape(s.Channels, h, w, skipShape.Rank);
                    skip = BatchNorm(projected, n, projectedShape, weights, prefix + ".1", affine: true, ProjectionEps);
                    skipShape = projectedShape;
                }

                if (skipShape != s)
                {
                    throw new InvalidOperationException($"{plan.Label}: cannot add {skipShape} to {s}.");
                }

                return (ReferenceOps.Add(x, skip), s);
            }

            case LayerKind.Concat:
            {
                var (skip, skipShape) = Saved(saved, d.TensorName, plan);
                return (
                    ReferenceOps.Concat(x, skip, n, s.Channels, skipShape.Channels, s.Height, s.Width),
                    new TensorShape(s.Channels + skipShape.Channels, s.Height, s.Width, s.Rank));
            }

            default:
                throw new NotSupportedException($"{plan.Label}: the reference network has no interpretation for {d.Kind}.");
        }
    }

    private static float[] BatchNorm(float[] x, int n, TensorShape s, ModelWeights weights, string prefix, bool affine, double eps)
        => ReferenceOps.BatchNorm(
            x, n, s.Channels, s.Height, s.Width,
            affine ? Get(weights, prefix + ".weight") : null,
            affine ? Get(weights, prefix + ".bias") : null,
            Get(weights, prefix + ".running_mean"),
            Get(weights, prefix + ".running_var"),
            eps);

    private static (float[] Data, TensorShape Shape) Saved(Dictionary<string, (float[] Data, TensorShape Shape)> saved, string? name, LayerPlan plan)
        => name is not null && saved.TryGetValue(name, out var value)
            ? value
            : throw new InvalidOperationException($"{plan.Label}: no tensor named '{name}' was saved.");

    private static float[] Get(ModelWeights weights, string name) => weights[name].Data;

    /// <summary>
    /// Random weights for <paramref name="plans"/>, named and shaped as PyTorch's state_dict would be, built from
    /// the PyTorch conventions rather than from the generated ParameterSpecs. Weights are scaled by their fan-in so
    /// activations stay of order one; biases are non-zero; BatchNorm gets non-trivial γ, β, running mean and a
    /// positive running variance, so folding mistakes show.
    /// </summary>
    public static ModelWeights CreateWeights(IReadOnlyList<LayerPlan> plans, int seed)
    {
        ArgumentNullException.ThrowIfNull(plans);
        var random = new Random(seed);
        var weights = new ModelWeights();
        foreach (var p in plans)
        {
            var d = p.Decl;
            string prefix = p.ParameterPrefix;
            bool twoD = p.Input.Rank == 2;
            int taps = (twoD ? d.KernelH : 1) * d.KernelW;
            int[] Kernel(int a, int b) => twoD ? new[] { a, b, d.KernelH, d.KernelW } : new[] { a, b, d.KernelW };
            switch (d.Kind)
            {
                case LayerKind.Conv:
                {
                    int cinPerGroup = p.Input.Channels / d.Groups;
                    AddUniform(weights, random, prefix + ".weight", Kernel(d.OutChannels, cinPerGroup), Math.Sqrt(3.0 / (cinPerGroup * taps)));
                    if (d.Bias)
                    {
                        AddUniform(weights, random, prefix + ".bias", new[] { d.OutChannels }, 0.5);
                    }

                    break;
                }

                case LayerKind.ConvTranspose:
                {
                    int cinPerGroup = p.Input.Channels / d.Groups;
                    int strides = (twoD ? d.StrideH : 1) * d.StrideW;
                    int fanIn = Math.Max(1, cinPerGroup * taps / strides);
                    AddUniform(weights, random, prefix + ".weight", Kernel(p.Input.Channels, d.OutChannels / d.Groups), Math.Sqrt(3.0 / fanIn));
                    if (d.Bias)
                    {
                        AddUniform(weights, random, prefix + ".bias", new[] { d.OutChannels }, 0.5);
                    }

                    break;
                }

                case LayerKind.Linear:
                    AddUniform(weights, random, prefix + ".weight", new[] { d.OutChannels, p.Input.Size }, Math.Sqrt(3.0 / p.Input.Size));
                    if (d.Bias)
                    {
                        AddUniform(weights, random, prefix + ".bias", new[] { d.OutChannels }, 0.5);
                    }

                    break;

                case LayerKind.BatchNorm:
                    AddBatchNorm(weights, random, prefix, p.Input.Channels, d.Affine);
                    break;

                case LayerKind.Add when d.Projection:
                {
                    int c = p.Output.Channels, cs = p.Skip.Channels;
                    int[] shape = p.Skip.Rank == 2 ? new[] { c, cs, 1, 1 } : new[] { c, cs, 1 };
                    AddUniform(weights, random, prefix + ".0.weight", shape, Math.Sqrt(3.0 / cs));
                    AddBatchNorm(weights, random, prefix + ".1", c, affine: true);
                    break;
                }
            }
        }

        return weights;
    }

    /// <summary>The state_dict names <paramref name="plan"/> owns (for trimming weights to a prefix of a network).</summary>
    public static bool Owns(LayerPlan plan, string tensorName)
        => tensorName.StartsWith(plan.ParameterPrefix + ".", StringComparison.Ordinal);

    private static void AddBatchNorm(ModelWeights weights, Random random, string prefix, int channels, bool affine)
    {
        if (affine)
        {
            weights.Add(new Tensor(prefix + ".weight", new[] { channels }, Fill(random, channels, 0.5, 1.5)));
            weights.Add(new Tensor(prefix + ".bias", new[] { channels }, Fill(random, channels, -0.5, 0.5)));
        }

        weights.Add(new Tensor(prefix + ".running_mean", new[] { channels }, Fill(random, channels, -0.5, 0.5)));
        weights.Add(new Tensor(prefix + ".running_var", new[] { channels }, Fill(random, channels, 0.5, 2.0)));
        weights.Add(new Tensor(prefix + ".num_batches_tracked", Array.Empty<int>(), new long[] { 1 + random.Next(1000) }));
    }

    private static void AddUniform(ModelWeights weights, Random random, string name, int[] shape, double bound)
    {
        int count = 1;
        foreach (int dim in shape)
        {
            count *= dim;
        }

        weights.Add(new Tensor(name, shape, Fill(random, count, -bound, bound)));
    }

    private static float[] Fill(Random random, int count, double low, double high)
    {
        var data = new float[count];
        for (int i = 0; i < count; i++)
        {
            data[i] = (float)(low + ((high - low) * random.NextDouble()));
        }

        return data;
    }

    /// <summary>Uniform [−1, 1) inputs.</summary>
    public static float[] RandomInput(int seed, int count)
    {
        var random = new Random(unchecked((seed * 7919) + 17));
        return Fill(random, count, -1.0, 1.0);
    }

    /// <summary>"[b, c, h, w]" of a flat index into an output of <paramref name="shape"/>, in the declared layout.</summary>
    public static string DescribeIndex(long index, TensorShape shape, bool channelsLast)
    {
        long size = shape.Size;
        long b = index / size, r = index % size;
        if (shape.Rank == 0)
        {
            return string.Create(CultureInfo.InvariantCulture, $"[{b}, {r}]");
        }

        long c, h, w;
        if (channelsLast && shape.Rank > 0)
        {
            c = r % shape.Channels;
            long pos = r / shape.Channels;
            h = pos / shape.Width;
            w = pos % shape.Width;
        }
        else
        {
            c = r / shape.Spatial;
            h = r % shape.Spatial / shape.Width;
            w = r % shape.Width;
        }

        return shape.Rank == 1
            ? string.Create(CultureInfo.InvariantCulture, $"[b={b}, c={c}, l={w}]")
            : string.Create(CultureInfo.InvariantCulture, $"[b={b}, c={c}, h={h}, w={w}]");
    }
}
