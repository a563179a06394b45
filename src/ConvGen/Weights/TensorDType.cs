namespace ConvGen;

/// <summary>
/// How a <see cref="Tensor"/> stores its values, named as safetensors names its dtypes.
/// Files may also hold F64, F16 and BF16 tensors: those are converted to <see cref="F32"/> when read.
/// </summary>
public enum TensorDType
{
    /// <summary>32-bit IEEE floats, in <see cref="Tensor.Data"/>. Every parameter and floating-point buffer.</summary>
    F32,

    /// <summary>
    /// 64-bit signed integers, in <see cref="Tensor.Int64Data"/> (with a float copy in <see cref="Tensor.Data"/>):
    /// batch-norm's <c>num_batches_tracked</c>.
    /// </summary>
    I64,
}
