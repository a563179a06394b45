using System.Collections.Generic;
using ConvGen.Shapes;

namespace ConvGen.Generator.Emit.Strategies;

/// <summary>
/// One axis of a transposed convolution split by output phase. Output o = i·s − p + k·d (PyTorch) receives tap k from
/// input i exactly when (o + p − k·d) is a multiple of s. So the outputs o = φ + s·j of phase φ (0 ≤ φ &lt; s) take the
/// taps with (φ + p − k·d) ≡ 0 (mod s), each reading input j + (φ + p − k·d)/s: an ordinary stride-1 correlation over
/// j with a few taps at integer offsets. Offsets here are into the input with <see cref="PadBefore"/> zeros written
/// before it and <see cref="PadAfter"/> after it, which is enough for every tap of every phase to read inside.
/// </summary>
internal sealed class TransposedAxis
{
    public TransposedAxis(int inSize, int outSize, int kernel, int stride, int padding, int dilation)
    {
        Stride = stride;
        int before = 0, after = 0;
        var raw = new List<(int Outputs, List<(int Tap, int Offset)> Taps)>();
        for (int phase = 0; phase < stride; phase++)
        {
            int outputs = phase < outSize ? ShapeMath.CeilDiv(outSize - phase, stride) : 0;
            var taps = new List<(int, int)>();
            for (int k = 0; k < kernel; k++)
            {
                long shift = phase + (long)padding - ((long)k * dilation);
                if (((shift % stride) + stride) % stride == 0)
                {
                    int offset = (int)(shift / stride); // exact
                    taps.Add((k, offset));
                    if (outputs > 0)
                    {
                        before = System.Math.Max(before, -offset);
                        after = System.Math.Max(after, outputs - 1 + offset - (inSize - 1));
                    }
                }
            }

            raw.Add((outputs, taps));
        }

        PadBefore = before;
        PadAfter = after;
        var phases = new List<Phase>();
        foreach (var (outputs, taps) in raw)
        {
            var padded = new List<(int, int)>();
            foreach (var (k, offset) in taps)
            {
                padded.Add((k, offset + before));
            }

            phases.Add(new Phase(phases.Count, outputs, padded));
        }

        Phases = phases;
        PaddedSize = inSize + before + after;
    }

    public int Stride { get; }

    /// <summary>Zeros before the input on this axis.</summary>
    public int PadBefore { get; }

    /// <summary>Zeros after the input on this axis.</summary>
    public int PadAfter { get; }

    public int PaddedSize { get; }

    public IReadOnlyList<Phase> Phases { get; }

    /// <summary>The most outputs one phase has.</summary>
    public int MaxOutputs => Phases[0].Outputs;

    /// <summary>
    /// Phase <see cref="Index"/>: its outputs o = Index + s·j for j &lt; <see cref="Outputs"/>, and its taps, each with
    /// the offset of the (padded) input it reads for j = 0.
    /// </summary>
    internal sealed record Phase(int Index, int Outputs, IReadOnlyList<(int Tap, int Offset)> Taps);
}
