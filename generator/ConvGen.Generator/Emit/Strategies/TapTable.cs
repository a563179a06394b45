using System.Collections.Generic;

namespace ConvGen.Generator.Emit.Strategies;

/// <summary>
/// A kernel's table of input offsets, one per reduction step: the indirection that replaces copying patches. The
/// kernel walks it with one index while its weight pointer walks the packed weights.
/// </summary>
internal static class TapTable
{
    private const int PerLine = 16;

    /// <summary>The offsets of <paramref name="channels"/> input channels × every tap, in the layout <paramref name="input"/>.</summary>
    public static IReadOnlyList<string> Offsets(ConvProblem p, ConvInput input, int channels)
    {
        var offsets = new List<string>();
        for (int ci = 0; ci < channels; ci++)
        {
            for (int a = 0; a < p.KernelH; a++)
            {
                for (int col = 0; col < p.KernelW; col++)
                {
                    offsets.Add(Literals.Int((ci * input.ChannelStride) + input.TapOffset(a, col, p.DilationH, p.DilationW)));
                }
            }
        }

        return offsets;
    }

    /// <summary>The offsets of each reduction step <paramref name="step"/>, from the output position's first input float.</summary>
    public static void Emit(SourceWriter w, string name, string step, IReadOnlyList<string> offsets)
        => EmitTable(w, name, $"Input offset of each reduction step {step}, from the output position's first input float.", offsets);

    /// <summary>A table of literal offsets with its summary sentence.</summary>
    public static void EmitTable(SourceWriter w, string name, string summary, IReadOnlyList<string> offsets)
    {
        w.Line();
        w.Line($"/// <summary>{summary}</summary>");
        w.Open($"private static readonly int[] {name} =");
        for (int i = 0; i < offsets.Count; i += PerLine)
        {
            int count = System.Math.Min(PerLine, offsets.Count - i);
            var line = new string[count];
            for (int j = 0; j < count; j++)
            {
                line[j] = offsets[i + j];
            }

            w.Line(string.Join(", ", line) + ",");
        }

        w.Close(";");
    }
}
