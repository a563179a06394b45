using System;
using System.Linq;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace ConvGen.Benchmarks.Onnx;

/// <summary>
/// An ONNX Runtime session on one thread (intra-op 1, inter-op 1, sequential, all graph optimizations)
/// for a model with one float input and one float output, bound to preallocated buffers:
/// fill <see cref="Input"/>, call <see cref="Run"/>, read <see cref="Output"/>. <see cref="Run"/> allocates no tensors,
/// so a benchmark loop measures inference only.
/// </summary>
public sealed class OrtSession : IDisposable
{
    private readonly SessionOptions _options;
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions;
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;
    private readonly OrtValue[] _inputValues;
    private readonly OrtValue[] _outputValues;

    /// <summary>Creates the session from ModelProto bytes (e.g. <see cref="OnnxGraphBuilder.Build"/>'s result).</summary>
    /// <param name="model">The model.</param>
    /// <param name="profilePrefix">When given, ORT's profiler records every node of every run into a JSON file whose
    /// name starts with this prefix; <see cref="EndProfiling"/> closes it and returns its path.</param>
    public OrtSession(byte[] model, string? profilePrefix = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        _options = CreateSingleThreadOptions();
        if (profilePrefix is not null)
        {
            // The prefix first: setting EnableProfiling hands ORT the prefix it has at that moment.
            _options.ProfileOutputPathPrefix = profilePrefix;
            _options.EnableProfiling = true;
        }

        _session = new InferenceSession(model, _options);
        _runOptions = new RunOptions();

        (string inputName, NodeMetadata inputMeta) = Single(_session.InputMetadata, "input");
        (string outputName, NodeMetadata outputMeta) = Single(_session.OutputMetadata, "output");
        InputShape = FixedShape(inputMeta, inputName);
        OutputShape = FixedShape(outputMeta, outputName);
        Input = new float[InputShape.Aggregate(1L, (a, d) => a * d)];
        Output = new float[OutputShape.Aggregate(1L, (a, d) => a * d)];

        _inputNames = [inputName];
        _outputNames = [outputName];
        _inputValues = [OrtValue.CreateTensorValueFromMemory(Input, InputShape)];
        _outputValues = [OrtValue.CreateTensorValueFromMemory(Output, OutputShape)];
    }

    /// <summary>The input buffer (row-major, <see cref="InputShape"/>); ORT reads it in place.</summary>
    public float[] Input { get; }

    /// <summary>The output buffer (row-major, <see cref="OutputShape"/>); ORT writes it in place.</summary>
    public float[] Output { get; }

    /// <summary>The model input's shape.</summary>
    public long[] InputShape { get; }

    /// <summary>The model output's shape.</summary>
    public long[] OutputShape { get; }

    /// <summary>The session options used: one thread, sequential execution, all graph optimizations.</summary>
    public static SessionOptions CreateSingleThreadOptions() => new()
    {
        IntraOpNumThreads = 1,
        InterOpNumThreads = 1,
        ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
        GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
    };

    /// <summary>Runs the model from <see cref="Input"/> into <see cref="Output"/>.</summary>
    public void Run() => _session.Run(_runOptions, _inputNames, _inputValues, _outputNames, _outputValues);

    /// <summary>Stops the profiler (see the constructor) and returns the JSON file's path.</summary>
    public string EndProfiling() => _session.EndProfiling();

    /// <inheritdoc />
    public void Dispose()
    {
        _inputValues[0].Dispose();
        _outputValues[0].Dispose();
        _runOptions.Dispose();
        _session.Dispose();
        _options.Dispose();
    }

    private static (string Name, NodeMetadata Meta) Single(
        System.Collections.Generic.IReadOnlyDictionary<string, NodeMetadata> metadata, string what)
    {
        if (metadata.Count != 1)
        {
            throw new InvalidOperationException($"OrtSession supports exactly one {what}; the model has {metadata.Count}.");
        }

        var (name, meta) = metadata.First();
        return meta.ElementDataType == TensorElementType.Float
            ? (name, meta)
            : throw new InvalidOperationException($"The model's {what} '{name}' is {meta.ElementDataType}, not float.");
    }

    private static long[] FixedShape(NodeMetadata meta, string name) =>
        meta.Dimensions.All(d => d > 0)
            ? [.. meta.Dimensions.Select(d => (long)d)]
            : throw new InvalidOperationException($"'{name}' has a dynamic shape [{string.Join(", ", meta.Dimensions)}]; a fixed one is needed.");
}
