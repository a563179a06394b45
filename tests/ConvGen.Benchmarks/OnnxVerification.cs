using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using ConvGen.Benchmarks.Onnx;

namespace ConvGen.Benchmarks;

/// <summary>
/// <c>verify-onnx [--save DIR]</c>: checks that the hand-written ONNX models run in ONNX Runtime and compute
/// what a naive nested-loop implementation computes. With --save, also writes the models for onnx.checker.
/// </summary>
public static class OnnxVerification
{
    private const double Tolerance = 1e-4;

    /// <summary>Runs the checks; returns the process exit code (0 when all pass).</summary>
    public static int Run(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        int save = args.ToList().IndexOf("--save");
        string? saveDir = save >= 0 && save + 1 < args.Count ? args[save + 1] : null;
        if (saveDir is not null)
        {
            Directory.CreateDirectory(saveDir);
        }

        bool ok = true;
        ok &= CheckSingleConv(saveDir);
        ok &= CheckOpMix(saveDir);
        ok &= CheckLeNet5(saveDir);
        Console.WriteLine(ok ? "verify-onnx: all checks passed" : "verify-onnx: FAILED");
        return ok ? 0 : 1;
    }

    // (a) Conv 16->32, 3x3, pad 1, 32x32, batch 1, random weights, against the naive conv.
    private static bool CheckSingleConv(string? saveDir)
    {
        Dictionary<string, float[]> sd = ReferenceNetworks.SingleConvStateDict(16, 32, 3);
        byte[] model = ReferenceNetworks.SingleConv(sd, batch: 1, inChannels: 16, outChannels: 32, kernelSize: 3, padding: 1, height: 32, width: 32);
        Save(saveDir, "conv16x32.onnx", model);
        using var session = new OrtSession(model);
        SeededWeights.Uniform(ReferenceNetworks.DefaultSeed, "input", session.Input.Length, 1f).CopyTo(session.Input, 0);
        session.Run();

        (float[] expected, int[] shape) = NaiveConv(
            session.Input, [1, 16, 32, 32], sd["0.weight"], [32, 16, 3, 3], sd["0.bias"], [1, 1, 1, 1], [1, 1], [1, 1], 1);
        return Report("(a) Conv 16->32 3x3 pad 1 @ 32x32", model.Length, session, expected, shape);
    }

    // Every op and attribute of the builder at once, through its general API: asymmetric pads,
    // unequal strides, dilation, groups, AveragePool with padding, broadcast Add, MaxPool, Flatten, Gemm.
    private static bool CheckOpMix(string? saveDir)
    {
        const ulong seed = 7;
        float[] w = SeededWeights.Uniform(seed, "w", 6 * 2 * 3 * 2, 0.4f);
        float[] bias = SeededWeights.Uniform(seed, "b", 6, 0.4f);
        float[] shift = SeededWeights.Uniform(seed, "shift", 6, 0.5f);

        var b = new OnnxGraphBuilder("x", 2, 4, 11, 10);
        string x = b.Conv(
            b.Input,
            b.AddInitializer("w", w, 6, 2, 3, 2),
            b.AddInitializer("b", bias, 6),
            pads: [1, 0, 2, 1],
            strides: [2, 1],
            dilations: [1, 2],
            group: 2);
        x = b.Relu(x);
        x = b.AveragePool(x, [3, 3], strides: [2, 2], pads: [1, 1, 1, 1]);
        x = b.Add(x, b.AddInitializer("shift", shift, 6, 1, 1));
        x = b.MaxPool(x, [2, 2], strides: [1, 1]);
        x = b.Flatten(x);
        int features = (int)b.ShapeOf(x)[1];
        float[] fc = SeededWeights.Uniform(seed, "fc", 5 * features, 0.3f);
        float[] fcBias = SeededWeights.Uniform(seed, "fcb", 5, 0.3f);
        x = b.Gemm(x, b.AddInitializer("fc", fc, 5, features), b.AddInitializer("fcb", fcBias, 5));
        byte[] model = b.Build(x, "opmix");
        Save(saveDir, "opmix.onnx", model);

        using var session = new OrtSession(model);
        SeededWeights.Uniform(seed, "x", session.Input.Length, 1f).CopyTo(session.Input, 0);
        session.Run();

        (float[] y, int[] s) = NaiveConv(session.Input, [2, 4, 11, 10], w, [6, 2, 3, 2], bias, [1, 0, 2, 1], [2, 1], [1, 2], 2);
        Relu(y);
        (y, s) = NaivePool(y, s, [3, 3], [2, 2], [1, 1, 1, 1], max: false);
        for (int i = 0; i < y.Length; i++)
        {
            y[i] += shift[i / (s[2] * s[3]) % s[1]];
        }

        (y, s) = NaivePool(y, s, [2, 2], [1, 1], [0, 0, 0, 0], max: true);
        (y, s) = NaiveLinear(y, s[0], s[1] * s[2] * s[3], fc, fcBias, 5);
        bool ok = Report("(b) op mix: Conv(pads 1,0,2,1 strides 2,1 dil 1,2 group 2) Relu AvgPool Add MaxPool Flatten Gemm", model.Length, session, y, s);
        Console.WriteLine("    output: " + string.Join(", ", session.Output.Select(v => v.ToString("F4", CultureInfo.InvariantCulture))));
        return ok;
    }

    // (c) LeNet-5 with state-dict weights, run once, against the same network in nested loops.
    private static bool CheckLeNet5(string? saveDir)
    {
        Dictionary<string, float[]> sd = ReferenceNetworks.LeNet5StateDict();
        byte[] model = ReferenceNetworks.LeNet5(sd);
        Save(saveDir, "lenet5.onnx", model);
        using var session = new OrtSession(model);
        SeededWeights.Uniform(ReferenceNetworks.DefaultSeed, "input", session.Input.Length, 1f).CopyTo(session.Input, 0);
        session.Run();

        (float[] y, int[] s) = NaiveConv(session.Input, [1, 1, 32, 32], sd["0.weight"], [6, 1, 5, 5], sd["0.bias"], [0, 0, 0, 0], [1, 1], [1, 1], 1);
        Relu(y);
        (y, s) = NaivePool(y, s, [2, 2], [2, 2], [0, 0, 0, 0], max: true);
        (y, s) = NaiveConv(y, s, sd["3.weight"], [16, 6, 5, 5], sd["3.bias"], [0, 0, 0, 0], [1, 1], [1, 1], 1);
        Relu(y);
        (y, s) = NaivePool(y, s, [2, 2], [2, 2], [0, 0, 0, 0], max: true);
        (y, _) = NaiveLinear(y, 1, 400, sd["7.weight"], sd["7.bias"], 120);
        Relu(y);
        (y, _) = NaiveLinear(y, 1, 120, sd["9.weight"], sd["9.bias"], 84);
        Relu(y);
        (y, s) = NaiveLinear(y, 1, 84, sd["11.weight"], sd["11.bias"], 10);
        bool ok = Report("(c) LeNet-5 [1,1,32,32] -> [1,10]", model.Length, session, y, s);
        Console.WriteLine("    logits: " + string.Join(", ", session.Output.Select(v => v.ToString("F5", CultureInfo.InvariantCulture))));
        return ok;
    }

    private static bool Report(string name, int modelBytes, OrtSession session, float[] expected, int[] expectedShape)
    {
        bool shapeOk = session.OutputShape.SequenceEqual(expectedShape.Select(d => (long)d));
        double maxAbs = 0, maxRef = 0;
        for (int i = 0; i < Math.Min(expected.Length, session.Output.Length); i++)
        {
            maxAbs = Math.Max(maxAbs, Math.Abs(session.Output[i] - expected[i]));
            maxRef = Math.Max(maxRef, Math.Abs(expected[i]));
        }

        double relative = maxRef > 0 ? maxAbs / maxRef : maxAbs;
        bool ok = shapeOk && relative <= Tolerance;
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{(ok ? "PASS" : "FAIL")} {name}: model {modelBytes} bytes, output [{string.Join(", ", session.OutputShape)}] " +
            $"(expected [{string.Join(", ", expectedShape)}]), max |ORT - naive| = {maxAbs:0.00e+00}, relative to max |naive| = {relative:0.00e+00} (tolerance {Tolerance:0e+00})"));
        return ok;
    }

    private static void Save(string? dir, string file, byte[] model)
    {
        if (dir is not null)
        {
            File.WriteAllBytes(Path.Combine(dir, file), model);
        }
    }

    // Naive direct convolution, NCHW, double accumulation. pads = [top, left, bottom, right].
    private static (float[] Data, int[] Shape) NaiveConv(
        float[] x, int[] xs, float[] w, int[] ws, float[]? bias, int[] pads, int[] strides, int[] dilations, int group)
    {
        int n = xs[0], c = xs[1], h = xs[2], wd = xs[3];
        int m = ws[0], cg = ws[1], kh = ws[2], kw = ws[3];
        int mg = m / group;
        int oh = ((h + pads[0] + pads[2] - (dilations[0] * (kh - 1)) - 1) / strides[0]) + 1;
        int ow = ((wd + pads[1] + pads[3] - (dilations[1] * (kw - 1)) - 1) / strides[1]) + 1;
        var y = new float[n * m * oh * ow];
        for (int b = 0; b < n; b++)
        {
            for (int oc = 0; oc < m; oc++)
            {
                int g = oc / mg;
                for (int oy = 0; oy < oh; oy++)
                {
                    for (int ox = 0; ox < ow; ox++)
                    {
                        double acc = bias is null ? 0 : bias[oc];
                        for (int icg = 0; icg < cg; icg++)
                        {
                            int ic = (g * cg) + icg;
                            for (int ky = 0; ky < kh; ky++)
                            {
                                int iy = (oy * strides[0]) - pads[0] + (ky * dilations[0]);
                                if (iy < 0 || iy >= h)
                                {
                                    continue;
                                }

                                for (int kx = 0; kx < kw; kx++)
                                {
                                    int ix = (ox * strides[1]) - pads[1] + (kx * dilations[1]);
                                    if (ix < 0 || ix >= wd)
                                    {
                                        continue;
                                    }

                                    acc += (double)x[(((((b * c) + ic) * h) + iy) * wd) + ix]
                                        * w[(((((oc * cg) + icg) * kh) + ky) * kw) + kx];
                                }
                            }
                        }

                        y[(((((b * m) + oc) * oh) + oy) * ow) + ox] = (float)acc;
                    }
                }
            }
        }

        return (y, [n, m, oh, ow]);
    }

    // Naive max / average pooling (average counts padded zeros, as PyTorch's count_include_pad=True).
    private static (float[] Data, int[] Shape) NaivePool(float[] x, int[] xs, int[] k, int[] strides, int[] pads, bool max)
    {
        int n = xs[0], c = xs[1], h = xs[2], w = xs[3];
        int oh = ((h + pads[0] + pads[2] - k[0]) / strides[0]) + 1;
        int ow = ((w + pads[1] + pads[3] - k[1]) / strides[1]) + 1;
        var y = new float[n * c * oh * ow];
        for (int p = 0; p < n * c; p++)
        {
            for (int oy = 0; oy < oh; oy++)
            {
                for (int ox = 0; ox < ow; ox++)
                {
                    double acc = max ? double.NegativeInfinity : 0;
                    for (int ky = 0; ky < k[0]; ky++)
                    {
                        for (int kx = 0; kx < k[1]; kx++)
                        {
                            int iy = (oy * strides[0]) - pads[0] + ky;
                            int ix = (ox * strides[1]) - pads[1] + kx;
                            if (iy < 0 || iy >= h || ix < 0 || ix >= w)
                            {
                                continue;
                            }

                            double v = x[(((p * h) + iy) * w) + ix];
                            acc = max ? Math.Max(acc, v) : acc + v;
                        }
                    }

                    y[(((p * oh) + oy) * ow) + ox] = (float)(max ? acc : acc / (k[0] * k[1]));
                }
            }
        }

        return (y, [n, c, oh, ow]);
    }

    // y[n, o] = b[o] + sum_i x[n, i] * w[o, i]  (PyTorch Linear weight layout [out, in]).
    private static (float[] Data, int[] Shape) NaiveLinear(float[] x, int n, int inFeatures, float[] w, float[] b, int outFeatures)
    {
        var y = new float[n * outFeatures];
        for (int r = 0; r < n; r++)
        {
            for (int o = 0; o < outFeatures; o++)
            {
                double acc = b[o];
                for (int i = 0; i < inFeatures; i++)
                {
                    acc += (double)x[(r * inFeatures) + i] * w[(o * inFeatures) + i];
                }

                y[(r * outFeatures) + o] = (float)acc;
            }
        }

        return (y, [n, outFeatures]);
    }

    private static void Relu(float[] x)
    {
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = Math.Max(x[i], 0f);
        }
    }
}
