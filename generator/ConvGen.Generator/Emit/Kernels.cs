using System.Collections.Generic;
using ConvGen.Generator.Emit.Strategies;
using ConvGen.Shapes;

namespace ConvGen.Generator.Emit;

/// <summary>
/// How each kernel is computed. Convolutions, transposed convolutions and linear layers run the kernel the cost model chose for them
/// (<see cref="CostModel"/>: a strategy from its table, its register tile and input layout, see <see cref="Op.Choice"/>);
/// the other layers have one kernel each, written here: every shape, stride and padding a literal, taps unrolled
/// (within the unroll budget), the padded border and the interior as separate paths, the interior indexed through
/// refs without bounds tests.
/// </summary>
internal static class Kernels
{
    private const string Span = "global::System.ReadOnlySpan<float>";
    private const string OutSpan = "global::System.Span<float>";

    private static string L(long value) => Literals.Int(value);

    /// <summary>The parameter list of an op's kernel: input, [skip], output, [weight, bias].</summary>
    public static string Parameters(Op op)
    {
        var list = new List<string> { Span + " input" };
        if (op.Skip is not null)
        {
            list.Add(Span + " skip");
        }

        list.Add(OutSpan + " output");
        if (op.WeightField is not null)
        {
            list.Add(Span + " weight");
        }

        if (op.BiasField is not null)
        {
            list.Add(Span + " bias");
        }

        if (op.ScratchField is not null)
        {
            list.Add(OutSpan + " scratch");
        }

        return string.Join(", ", list);
    }

    public static void Emit(SourceWriter w, Op op)
    {
        switch (op.Kind)
        {
            case OpKind.Conv or OpKind.ConvTranspose or OpKind.Linear: op.Choice!.Strategy.Emit(w, op, op.Choice); break;
            case OpKind.Pad: PaddedInputKernel.Emit(w, op); break;
            case OpKind.ScaleShift or OpKind.Activation or OpKind.Add: ElementwiseKernel.Emit(w, op); break;
            case OpKind.MaxPool or OpKind.AvgPool when VectorPoolKernel.Applies(op): VectorPoolKernel.Emit(w, op); break;
            case OpKind.MaxPool or OpKind.AvgPool: PoolKernel.Emit(w, op); break;
            case OpKind.GlobalAvgPool: GlobalAvgPoolKernel.Emit(w, op); break;
            case OpKind.Upsample or OpKind.PixelShuffle or OpKind.PixelUnshuffle: ResampleKernel.Emit(w, op); break;
            case OpKind.Concat: Concat(w, op); break;
        }
    }

    /// <summary>Methods a kernel calls besides itself (the border paths), written after it.</summary>
    public static void EmitHelpers(SourceWriter w, Op op)
    {
        switch (op.Kind)
        {
            case OpKind.Conv or OpKind.ConvTranspose or OpKind.Linear:
                op.Choice!.Strategy.EmitHelpers(w, op, op.Choice);
                break;
            case OpKind.MaxPool or OpKind.AvgPool:
                PoolKernel.EmitHelpers(w, op);
                break;
        }
    }


    internal static void Prologue(SourceWriter w, Op op)
    {
        w.Line($"ref float x = ref Start(input);");
        w.Line($"ref float y = ref Start(output);");
        if (op.Skip is not null)
        {
            w.Line($"ref float s = ref Start(skip);");
        }

        if (op.WeightField is not null)
        {
            w.Line($"ref float w = ref Start(weight);");
        }
    }

    /// <summary>The element <paramref name="offset"/> floats after <paramref name="baseRef"/>, with no bounds test.</summary>
    internal static string At(string baseRef, string offset) => $"At(ref {baseRef}, {offset})";


    /// <summary>Concatenation along channels: the current tensor's channels, then the saved tensor's.</summary>
    private static void Concat(SourceWriter w, Op op)
    {
        var p = op.Layer;
        w.Line($"input.Slice(0, {L(p.Input.Size)}).CopyTo(output);");
        w.Line($"skip.Slice(0, {L(p.Skip.Size)}).CopyTo(output.Slice({L(p.Input.Size)}));");
    }
}
