using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using ConvGen.Reference;
using Xunit;

namespace ConvGen.Tests.Reference;

/// <summary>
/// Cross-checks <see cref="ReferenceOps"/> against PyTorch: tests/fixtures/reference/reference_cases.json
/// is written by make_reference_fixtures.py (PyTorch 1.13, float64 outputs from float32-exact inputs).
/// </summary>
public sealed class ReferenceFixtureTests
{
    private static readonly Lazy<JsonElement[]> AllCases = new(Load);

    public static TheoryData<string> CaseNames
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (JsonElement c in Cases())
            {
                data.Add(c.GetProperty("name").GetString()!);
            }

            return data;
        }
    }

    [Fact]
    public void Fixtures_cover_every_op()
    {
        var ops = Cases().Select(c => c.GetProperty("op").GetString()!).ToHashSet();
        string[] expected =
        [
            "pad", "conv2d", "conv_transpose2d", "max_pool2d", "avg_pool2d", "global_avg_pool", "upsample",
            "pixel_shuffle", "pixel_unshuffle", "batch_norm", "linear", "relu", "leaky_relu", "relu6", "sigmoid",
            "tanh", "silu", "concat", "add", "nchw_to_nhwc", "fold_batch_norm",
        ];
        Assert.Superset(expected.ToHashSet(), ops);
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Matches_PyTorch(string name)
    {
        var c = new FixtureCase(Cases().Single(e => e.GetProperty("name").GetString() == name));
        switch (c.Op)
        {
            case "pad":
            {
                var (x, n, ch, h, w) = c.Input4("x");
                int[] p = c.Ints("pad");
                Check(c, ReferenceOps.Pad(x, n, ch, h, w, p[0], p[1], p[2], p[3], c.Mode()));
                break;
            }

            case "conv2d":
            {
                var (x, n, cin, h, w) = c.Input4("x");
                var (weight, kH, kW) = c.Kernel("weight");
                int[] s = c.Ints("stride"), d = c.Ints("dilation"), p = c.Ints("pad");
                var (y, hOut, wOut) = ReferenceOps.Conv2d(x, n, cin, h, w, weight, c.OptionalInput("bias"), c.Int("cout"), kH, kW,
                    s[0], s[1], d[0], d[1], c.Int("groups"), p[0], p[1], p[2], p[3], c.Mode());
                Check(c, y, hOut, wOut);
                break;
            }

            case "conv_transpose2d":
            {
                var (x, n, cin, h, w) = c.Input4("x");
                var (weight, kH, kW) = c.Kernel("weight");
                int[] s = c.Ints("stride"), p = c.Ints("padding"), op = c.Ints("output_padding"), d = c.Ints("dilation");
                var (y, hOut, wOut) = ReferenceOps.ConvTranspose2d(x, n, cin, h, w, weight, c.OptionalInput("bias"), c.Int("cout"), kH, kW,
                    s[0], s[1], p[0], p[1], op[0], op[1], d[0], d[1], c.Int("groups"));
                Check(c, y, hOut, wOut);
                break;
            }

            case "max_pool2d":
            {
                var (x, n, ch, h, w) = c.Input4("x");
                int[] k = c.Ints("kernel"), s = c.Ints("stride"), p = c.Ints("padding"), d = c.Ints("dilation");
                var (y, hOut, wOut) = ReferenceOps.MaxPool2d(x, n, ch, h, w, k[0], k[1], s[0], s[1], p[0], p[1], d[0], d[1], c.Bool("ceil_mode"));
                Check(c, y, hOut, wOut);
                break;
            }

            case "avg_pool2d":
            {
                var (x, n, ch, h, w) = c.Input4("x");
                int[] k = c.Ints("kernel"), s = c.Ints("stride"), p = c.Ints("padding");
                var (y, hOut, wOut) = ReferenceOps.AvgPool2d(x, n, ch, h, w, k[0], k[1], s[0], s[1], p[0], p[1],
                    c.Bool("ceil_mode"), c.Bool("count_include_pad"));
                Check(c, y, hOut, wOut);
                break;
            }

            case "global_avg_pool":
            {
                var (x, n, ch, h, w) = c.Input4("x");
                Check(c, ReferenceOps.GlobalAvgPool(x, n, ch, h, w));
                break;
            }

            case "upsample":
            {
                var (x, n, ch, h, w) = c.Input4("x");
                int[] scale = c.Ints("scale");
                UpsampleMode mode = c.String("mode") == "nearest" ? UpsampleMode.Nearest : UpsampleMode.Linear;
                Check(c, ReferenceOps.Upsample(x, n, ch, h, w, scale[0], scale[1], mode));
                break;
            }

            case "pixel_shuffle":
            {
                var (x, n, ch, h, w) = c.Input4("x");
                Check(c, ReferenceOps.PixelShuffle(x, n, ch, h, w, c.Int("r")));
                break;
            }

            case "pixel_unshuffle":
            {
                var (x, n, ch, h, w) = c.Input4("x");
                Check(c, ReferenceOps.PixelUnshuffle(x, n, ch, h, w, c.Int("r")));
                break;
            }

            case "batch_norm":
            {
                var (x, n, ch, h, w) = c.Input4("x");
                Check(c, ReferenceOps.BatchNorm(x, n, ch, h, w, c.OptionalInput("gamma"), c.OptionalInput("beta"),
                    c.Input("mean").Data, c.Input("var").Data, c.Double("eps")));
                break;
            }

            case "linear":
            {
                var (x, xShape) = c.Input("x");
                var (weight, wShape) = c.Input("weight");
                Check(c, ReferenceOps.Linear(x, xShape[0], xShape[1], weight, c.OptionalInput("bias"), wShape[0]));
                break;
            }

            case "relu":
                Check(c, ReferenceOps.ReLU(c.Input("x").Data));
                break;
            case "leaky_relu":
                Check(c, ReferenceOps.LeakyReLU(c.Input("x").Data, c.Double("slope")));
                break;
            case "relu6":
                Check(c, ReferenceOps.ReLU6(c.Input("x").Data));
                break;
            case "sigmoid":
                Check(c, ReferenceOps.Sigmoid(c.Input("x").Data));
                break;
            case "tanh":
                Check(c, ReferenceOps.Tanh(c.Input("x").Data));
                break;
            case "silu":
                Check(c, ReferenceOps.SiLU(c.Input("x").Data));
                break;

            case "concat":
            {
                var (a, n, ca, h, w) = c.Input4("a");
                var (b, _, cb, _, _) = c.Input4("b");
                Check(c, ReferenceOps.Concat(a, b, n, ca, cb, h, w));
                break;
            }

            case "add":
                Check(c, ReferenceOps.Add(c.Input("a").Data, c.Input("b").Data));
                break;

            case "nchw_to_nhwc":
            {
                var (x, n, ch, h, w) = c.Input4("x");
                Check(c, ReferenceOps.NchwToNhwc(x, n, ch, h, w));
                Assert.Equal(x, ReferenceOps.NhwcToNchw(c.Expected("y").Data, n, ch, h, w));
                break;
            }

            case "fold_batch_norm":
            {
                float[] weight = c.Input("weight").Data;
                float[]? bias = c.OptionalInput("bias"), gamma = c.OptionalInput("gamma"), beta = c.OptionalInput("beta");
                float[] mean = c.Input("mean").Data, variance = c.Input("var").Data;
                double eps = c.Double("eps");
                var (fw, fb) = c.Bool("transposed")
                    ? ReferenceOps.FoldBatchNormTransposed(weight, bias, gamma, beta, mean, variance, eps, c.Int("cin"), c.Int("groups"))
                    : ReferenceOps.FoldBatchNorm(weight, bias, gamma, beta, mean, variance, eps);
                ReferenceAssert.Close(c.Expected("weight").Data, fw);
                ReferenceAssert.Close(c.Expected("bias").Data, fb);
                break;
            }

            default:
                Assert.Fail($"Case {name}: no test for op '{c.Op}'.");
                break;
        }
    }

    private static void Check(FixtureCase c, float[] actual) => ReferenceAssert.Close(c.Expected("y").Data, actual);

    private static void Check(FixtureCase c, float[] actual, int hOut, int wOut)
    {
        int[] shape = c.Expected("y").Shape;
        Assert.Equal((shape.Length == 4 ? shape[2] : 1, shape[^1]), (hOut, wOut));
        Check(c, actual);
    }

    private static JsonElement[] Cases() => AllCases.Value;

    private static JsonElement[] Load()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "fixtures", "reference", "reference_cases.json");
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.GetProperty("cases").EnumerateArray().Select(c => c.Clone()).ToArray();
    }

    /// <summary>One fixture case: its op, its hyper-parameters and its named input and expected tensors.</summary>
    private sealed class FixtureCase(JsonElement element)
    {
        public string Op { get; } = element.GetProperty("op").GetString()!;

        private JsonElement Params => element.GetProperty("params");

        public int Int(string name) => Params.GetProperty(name).GetInt32();

        public int[] Ints(string name) => Params.GetProperty(name).EnumerateArray().Select(e => e.GetInt32()).ToArray();

        public bool Bool(string name) => Params.GetProperty(name).GetBoolean();

        public double Double(string name) => Params.GetProperty(name).GetDouble();

        public string String(string name) => Params.GetProperty(name).GetString()!;

        public PaddingMode Mode() => String("mode") switch
        {
            "zeros" => PaddingMode.Zeros,
            "reflect" => PaddingMode.Reflect,
            "replicate" => PaddingMode.Replicate,
            "circular" => PaddingMode.Circular,
            var other => throw new InvalidOperationException($"Unknown padding mode '{other}'."),
        };

        public (float[] Data, int[] Shape) Input(string name) => Read(element.GetProperty("inputs").GetProperty(name));

        public float[]? OptionalInput(string name) =>
            element.GetProperty("inputs").TryGetProperty(name, out JsonElement t) ? Read(t).Data : null;

        public (float[] Data, int[] Shape) Expected(string name) => Read(element.GetProperty("expected").GetProperty(name));

        /// <summary>An activation as (data, N, C, H, W); PyTorch's 1-D [N, C, L] is read as H = 1.</summary>
        public (float[] Data, int N, int C, int H, int W) Input4(string name)
        {
            var (data, s) = Input(name);
            return s.Length switch
            {
                3 => (data, s[0], s[1], 1, s[2]),
                4 => (data, s[0], s[1], s[2], s[3]),
                _ => throw new InvalidOperationException($"Input '{name}' has rank {s.Length}."),
            };
        }

        /// <summary>A conv weight as (data, kH, kW); a 1-D kernel [.., .., k] has kH = 1.</summary>
        public (float[] Data, int KH, int KW) Kernel(string name)
        {
            var (data, s) = Input(name);
            return s.Length == 3 ? (data, 1, s[2]) : (data, s[2], s[3]);
        }

        private static (float[] Data, int[] Shape) Read(JsonElement tensor) =>
            (tensor.GetProperty("data").EnumerateArray().Select(e => (float)e.GetDouble()).ToArray(),
             tensor.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()).ToArray());
    }
}
