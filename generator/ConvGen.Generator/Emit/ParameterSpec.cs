using System.Collections.Generic;
using ConvGen.Shapes;

namespace ConvGen.Generator.Emit;

/// <summary>
/// One state_dict entry a network expects, named as PyTorch names it, with the fans its initialization uses
/// (PyTorch computes them from the weight tensor's shape: for ConvTranspose, fan_in is C_out/g·kH·kW).
/// </summary>
internal sealed record ParameterSpec(string Name, IReadOnlyList<int> Shape, string Role, string Init, int FanIn, int FanOut)
{
    /// <summary>The shape as a C# array expression: <c>new int[] { 6, 1, 5, 5 }</c>, or an empty array for a scalar.</summary>
    public string ShapeLiteral => Shape.Count == 0
        ? "global::System.Array.Empty<int>()"
        : "new int[] { " + string.Join(", ", System.Linq.Enumerable.Select(Shape, n => Literals.Int(n))) + " }";

    public static List<ParameterSpec> For(IReadOnlyList<LayerPlan> plans)
    {
        var specs = new List<ParameterSpec>();
        foreach (var p in plans)
        {
            var d = p.Decl;
            string prefix = p.ParameterPrefix;
            bool twoD = p.Input.Rank == 2;
            int kh = twoD ? d.KernelH : 1;
            int taps = kh * d.KernelW;
            int[] Kernel(int a, int b) => twoD ? new[] { a, b, d.KernelH, d.KernelW } : new[] { a, b, d.KernelW };
            switch (d.Kind)
            {
                case LayerKind.Conv:
                    int fanIn = ShapeMath.FanIn(p.Input.Channels, d.Groups, kh, d.KernelW);
                    specs.Add(new(prefix + ".weight", Kernel(d.OutChannels, p.Input.Channels / d.Groups), "Parameter", "ConvWeight", fanIn, ShapeMath.FanOut(d.OutChannels, d.Groups, kh, d.KernelW)));
                    AddBias(specs, prefix, d, fanIn);
                    break;
                case LayerKind.ConvTranspose:
                    int fanInT = d.OutChannels / d.Groups * taps;
                    specs.Add(new(prefix + ".weight", Kernel(p.Input.Channels, d.OutChannels / d.Groups), "Parameter", "ConvWeight", fanInT, p.Input.Channels * taps));
                    AddBias(specs, prefix, d, fanInT);
                    break;
                case LayerKind.Linear:
                    specs.Add(new(prefix + ".weight", new[] { d.OutChannels, p.Input.Size }, "Parameter", "LinearWeight", p.Input.Size, d.OutChannels));
                    AddBias(specs, prefix, d, p.Input.Size);
                    break;
                case LayerKind.BatchNorm:
                    AddBatchNorm(specs, prefix, p.Input.Channels, d.Affine);
                    break;
                case LayerKind.Add when d.Projection:
                    int c = p.Output.Channels, cs = p.Skip.Channels;
                    specs.Add(new(prefix + ".0.weight", twoD ? new[] { c, cs, 1, 1 } : new[] { c, cs, 1 }, "Parameter", "ConvWeight", cs, c));
                    AddBatchNorm(specs, prefix + ".1", c, affine: true);
                    break;
            }
        }

        return specs;
    }

    private static void AddBias(List<ParameterSpec> specs, string prefix, LayerDecl d, int fanIn)
    {
        if (d.Bias)
        {
            specs.Add(new(prefix + ".bias", new[] { d.OutChannels }, "Parameter", "Bias", fanIn, 0));
        }
    }

    private static void AddBatchNorm(List<ParameterSpec> specs, string prefix, int channels, bool affine)
    {
        if (affine)
        {
            specs.Add(new(prefix + ".weight", new[] { channels }, "Parameter", "Ones", 0, 0));
            specs.Add(new(prefix + ".bias", new[] { channels }, "Parameter", "Zeros", 0, 0));
        }

        specs.Add(new(prefix + ".running_mean", new[] { channels }, "Buffer", "Zeros", 0, 0));
        specs.Add(new(prefix + ".running_var", new[] { channels }, "Buffer", "Ones", 0, 0));
        specs.Add(new(prefix + ".num_batches_tracked", System.Array.Empty<int>(), "Buffer", "NumBatchesTracked", 0, 0));
    }
}
