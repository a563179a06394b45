namespace ConvGen;

/// <summary>
/// One row of a generated network's layer table: what the layer is, its per-sample shapes, its size and
/// cost, and its receptive-field row (jump, field and start of output 0's centre, per spatial dimension;
/// see docs/receptive-field.md). Flat layers repeat the last spatial row.
/// </summary>
/// <param name="Name">State-dict prefix ("3" or the layer's name).</param>
/// <param name="Kind">The attribute's spelling ("Conv2d").</param>
/// <param name="Description">Hyper-parameters in PyTorch's terms ("kernel 5x5, stride 1, pad 0").</param>
/// <param name="InputShape">Input shape of one sample, without the batch.</param>
/// <param name="OutputShape">Output shape of one sample, without the batch.</param>
/// <param name="Parameters">Learned parameters (weights, bias, BatchNorm γ/β).</param>
/// <param name="Macs">Multiply-accumulates per sample.</param>
/// <param name="JumpH">Vertical jump j.</param>
/// <param name="FieldH">Vertical receptive field r.</param>
/// <param name="StartH">Vertical start a.</param>
/// <param name="JumpW">Horizontal jump j.</param>
/// <param name="FieldW">Horizontal receptive field r.</param>
/// <param name="StartW">Horizontal start a.</param>
public sealed record LayerInfo(
    string Name,
    string Kind,
    string Description,
    string InputShape,
    string OutputShape,
    long Parameters,
    long Macs,
    double JumpH,
    double FieldH,
    double StartH,
    double JumpW,
    double FieldW,
    double StartW);
