using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace ConvGen.Benchmarks.Onnx;

/// <summary>
/// A network as an <c>nn.Sequential</c>-like list of slots, written independently of ConvGen's declaration, and the one
/// interpreter that turns any such list plus a state dict into an ONNX model. Slot i reads its weights from the keys
/// <c>"{i}.weight"</c>, <c>"{i}.bias"</c>, <c>"{i}.running_mean"</c>, ...; a projection Add from <c>"{i}.0.weight"</c> (1x1
/// convolution, no bias) and <c>"{i}.1.*"</c> (its BatchNorm), as ConvGen names them.
/// </summary>
/// <param name="Name">The ONNX graph's name.</param>
/// <param name="InputShape">One sample's shape [C, H, W].</param>
/// <param name="Layers">The slots, in order.</param>
public sealed record NetworkSpec(string Name, IReadOnlyList<int> InputShape, IReadOnlyList<LayerSpec> Layers)
{
    /// <summary>The ONNX model for input [batch, C, H, W].</summary>
    /// <param name="stateDict">Weights keyed by state_dict names; the arrays become the initializers, not copied.</param>
    /// <param name="batch">The fixed batch size of the model's input.</param>
    /// <param name="slots">When given, receives for every slot, in order, its output shape (batch first) and the names of
    /// the nodes it added (ONNX Runtime keeps the first node's name when it fuses, e.g. Conv + BatchNormalization + Relu).</param>
    public byte[] ToOnnx(
        IReadOnlyDictionary<string, float[]> stateDict,
        int batch = 1,
        IList<(IReadOnlyList<long> Shape, IReadOnlyList<string> Nodes)>? slots = null)
    {
        ArgumentNullException.ThrowIfNull(stateDict);
        var b = new OnnxGraphBuilder("input", [batch, .. InputShape]);
        var saved = new Dictionary<string, string>(StringComparer.Ordinal);
        string x = b.Input;
        for (int slot = 0; slot < Layers.Count; slot++)
        {
            LayerSpec layer = Layers[slot];
            string module = slot.ToString(CultureInfo.InvariantCulture);
            int nodesBefore = b.Nodes.Count;
            x = layer.Kind switch
            {
                LayerSpecKind.Conv2d => b.Conv2d(x, stateDict, module, layer.Features, layer.Kernel!, [layer.Stride, layer.Stride], layer.Pads!, groups: layer.Groups),
                LayerSpecKind.ConvTranspose2d => b.ConvTranspose2d(x, stateDict, module, layer.Features, layer.Kernel![0], layer.Stride, layer.Pads![0]),
                LayerSpecKind.BatchNorm2d => b.BatchNorm2d(x, stateDict, module),
                LayerSpecKind.ReLU => b.Relu(x),
                LayerSpecKind.MaxPool2d => b.MaxPool(x, layer.Kernel!),
                LayerSpecKind.GlobalAvgPool => b.GlobalAveragePool(x),
                LayerSpecKind.Flatten => b.Flatten(x),
                LayerSpecKind.Linear => b.Linear(x, stateDict, module, layer.Features),
                LayerSpecKind.Save => saved[layer.Skip!] = x,
                LayerSpecKind.Add => b.Add(x, layer.Projection ? Project(b, stateDict, module, saved[layer.Skip!], x) : saved[layer.Skip!]),
                _ => throw new NotSupportedException($"Slot {slot}: {layer.Kind} has no ONNX translation."),
            };
            slots?.Add((b.ShapeOf(x), [.. b.Nodes.Skip(nodesBefore).Select(n => n.Name)]));
        }

        return b.Build(x, Name);
    }

    // The shortcut of a ResNet block that changes shape: 1x1 convolution (stride = saved size / current size) + BatchNorm.
    private static string Project(OnnxGraphBuilder b, IReadOnlyDictionary<string, float[]> stateDict, string module, string saved, string current)
    {
        IReadOnlyList<long> from = b.ShapeOf(saved);
        IReadOnlyList<long> to = b.ShapeOf(current);
        int stride = (int)(from[2] / to[2]);
        string y = b.Conv2d(saved, stateDict, module + ".0", (int)to[1], [1, 1], [stride, stride], [0, 0, 0, 0]);
        return b.BatchNorm2d(y, stateDict, module + ".1");
    }
}
