namespace ConvGen.Generator.Emit;

/// <summary>
/// The small helpers every network's kernel class defines, so kernels read as math (<c>At(ref x, 5)</c>,
/// <c>Fma(v, Splat(w), acc)</c>) instead of fully qualified framework calls. They live in a private nested
/// class, so they cannot clash with the user's members, and they inline away.
/// </summary>
internal static class KernelHelpers
{
    public const string ClassName = "ConvGenKernels";

    private const string Inline = "[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]";
    private const string Vector = "global::System.Numerics.Vector<float>";

    private static readonly string[] Lines =
    {
        "// Element access without bounds tests: every offset below is a literal-bounded index into a buffer the planner sized.",
        Inline,
        "private static ref float At(ref float start, int offset) => ref global::System.Runtime.CompilerServices.Unsafe.Add(ref start, offset);",
        "// A native-sized offset folds into the load's address (no sign extension per access): the micro-kernels' inner loops use it.",
        Inline,
        "private static ref float At(ref float start, nint offset) => ref global::System.Runtime.CompilerServices.Unsafe.Add(ref start, offset);",
        Inline,
        "private static ref float Start(global::System.ReadOnlySpan<float> span) => ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(span);",
        Inline,
        "private static ref float Start(global::System.Span<float> span) => ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(span);",
        Inline,
        "private static ref int Start(int[] table) => ref global::System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(table);",
        Inline,
        "private static int At(ref int start, int offset) => global::System.Runtime.CompilerServices.Unsafe.Add(ref start, offset);",
        "",
        "// Vectors of Vector<float>.Count lanes (8 with AVX2).",
        $"private static int Lanes => {Vector}.Count;",
        $"private static {Vector} Zero => {Vector}.Zero;",
        Inline,
        $"private static {Vector} Splat(float value) => new {Vector}(value);",
        Inline,
        $"private static {Vector} Load(ref float start, int offset) => global::ConvGen.Kernels.Simd.Load(ref start, offset);",
        Inline,
        $"private static {Vector} Load(ref float start, nint offset) => global::ConvGen.Kernels.Simd.Load(ref global::System.Runtime.CompilerServices.Unsafe.Add(ref start, offset), 0);",
        Inline,
        $"private static void Store({Vector} value, ref float start, int offset) => global::ConvGen.Kernels.Simd.Store(value, ref start, offset);",
        Inline,
        $"private static {Vector} Fma({Vector} a, {Vector} b, {Vector} c) => global::ConvGen.Kernels.Simd.MultiplyAdd(a, b, c);",
        "",
        "// Activations (PyTorch's definitions) and max pooling's NaN-propagating maximum.",
        Inline,
        "private static float Relu(float v) => global::System.MathF.Max(v, 0f);",
        Inline,
        $"private static {Vector} Relu({Vector} v) => global::ConvGen.Kernels.Simd.ReLU(v);",
        Inline,
        "private static float Relu6(float v) => global::System.MathF.Min(global::System.MathF.Max(v, 0f), 6f);",
        Inline,
        $"private static {Vector} Relu6({Vector} v) => global::ConvGen.Kernels.Simd.ReLU6(v);",
        Inline,
        "private static float LeakyRelu(float v, float slope) => v >= 0f ? v : v * slope;",
        Inline,
        $"private static {Vector} LeakyRelu({Vector} v, float slope) => global::ConvGen.Kernels.Simd.LeakyReLU(v, slope);",
        "// Sigmoid, Tanh and SiLU: exp-based vector code (within 3 ulp); a scalar runs the same code on one lane, so a value does not depend on its position.",
        Inline,
        "private static float Sigmoid(float v) => global::ConvGen.Kernels.VectorMath.Sigmoid(v);",
        Inline,
        $"private static {Vector} Sigmoid({Vector} v) => global::ConvGen.Kernels.VectorMath.Sigmoid(v);",
        Inline,
        "private static float Tanh(float v) => global::ConvGen.Kernels.VectorMath.Tanh(v);",
        Inline,
        $"private static {Vector} Tanh({Vector} v) => global::ConvGen.Kernels.VectorMath.Tanh(v);",
        Inline,
        "private static float Silu(float v) => global::ConvGen.Kernels.VectorMath.SiLU(v);",
        Inline,
        $"private static {Vector} Silu({Vector} v) => global::ConvGen.Kernels.VectorMath.SiLU(v);",
        Inline,
        "private static float MaxNaN(float current, float value) => global::ConvGen.Kernels.PoolOps.Max(current, value);",
        Inline,
        $"private static {Vector} MaxNaN({Vector} current, {Vector} value) => global::ConvGen.Kernels.PoolOps.Max(current, value);",
        "",
        "// Lane shuffles of a row read as two vectors (element 2j, 2j + 1, and their maximum or sum), the inverse interleave, and a vector sum.",
        Inline,
        $"private static {Vector} Evens({Vector} low, {Vector} high) => global::ConvGen.Kernels.Simd.Evens(low, high);",
        Inline,
        $"private static {Vector} Odds({Vector} low, {Vector} high) => global::ConvGen.Kernels.Simd.Odds(low, high);",
        Inline,
        $"private static {Vector} MaxOfPairs({Vector} low, {Vector} high) => global::ConvGen.Kernels.PoolOps.MaxOfPairs(low, high);",
        Inline,
        $"private static {Vector} SumOfPairs({Vector} low, {Vector} high) => global::ConvGen.Kernels.PoolOps.SumOfPairs(low, high);",
        Inline,
        $"private static void Interleave({Vector} a, {Vector} b, out {Vector} low, out {Vector} high) => global::ConvGen.Kernels.Simd.Interleave(a, b, out low, out high);",
        Inline,
        "private static float Sum(ref float start, int length) => global::ConvGen.Kernels.VectorOps.Sum(ref start, length);",
    };

    public static void Emit(SourceWriter w)
    {
        foreach (var line in Lines)
        {
            w.Line(line);
        }
    }
}
