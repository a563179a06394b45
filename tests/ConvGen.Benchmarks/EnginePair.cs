using System;
using System.Globalization;
using ConvGen.Benchmarks.Onnx;

namespace ConvGen.Benchmarks;

/// <summary>
/// One zoo network in both engines at one batch size, from one set of weights: the ORT session reads
/// <see cref="OrtSession.Input"/>, and ConvGen reads the very same array, so inputs are shared as well as weights.
/// </summary>
public sealed class EnginePair : IDisposable
{
    /// <summary>Largest |ConvGen - ORT| allowed, relative to the largest |ORT| output.</summary>
    public const double Tolerance = 1e-4;

    /// <summary>The seed of the weights (and, through <see cref="ReferenceNetworks.DefaultSeed"/>, of the input).</summary>
    public const int WeightSeed = 20240601;

    private readonly INetwork _network;
    private readonly OrtSession _session;
    private readonly float[] _output;

    /// <summary>Builds both engines for <paramref name="network"/> at <paramref name="batch"/> and fills the input.</summary>
    public EnginePair(ZooNetwork network, int batch)
    {
        ArgumentNullException.ThrowIfNull(network);
        Network = network;
        Batch = batch;
        ModelWeights weights = network.CreateWeights(WeightSeed);
        _network = network.CreateConvGen(weights);
        _session = new OrtSession(network.CreateOnnx(weights, batch));
        SeededWeights.Uniform(ReferenceNetworks.DefaultSeed, "input", _session.Input.Length, 1f).CopyTo(_session.Input, 0);
        _output = new float[_session.Output.Length];
    }

    /// <summary>The network.</summary>
    public ZooNetwork Network { get; }

    /// <summary>Samples per run.</summary>
    public int Batch { get; }

    /// <summary>ONNX Runtime's run; returns its first output.</summary>
    public float RunOrt()
    {
        _session.Run();
        return _session.Output[0];
    }

    /// <summary>ConvGen's Forward on the same input; returns its first output.</summary>
    public float RunConvGen()
    {
        _network.Forward(_session.Input, _output, Batch);
        return _output[0];
    }

    /// <summary>Runs both once; throws unless ConvGen matches ORT within <see cref="Tolerance"/> (relative).</summary>
    public string Verify()
    {
        Array.Clear(_session.Output);
        Array.Clear(_output);
        RunOrt();
        RunConvGen();
        double maxDiff = 0, maxRef = 0;
        for (int i = 0; i < _output.Length; i++)
        {
            double diff = Math.Abs((double)_output[i] - _session.Output[i]);
            maxDiff = double.IsNaN(diff) ? double.PositiveInfinity : Math.Max(maxDiff, diff);
            maxRef = Math.Max(maxRef, Math.Abs(_session.Output[i]));
        }

        double relative = maxRef > 0 ? maxDiff / maxRef : maxDiff;
        string report = string.Create(
            CultureInfo.InvariantCulture,
            $"{Network.Name} batch {Batch}: {_output.Length} outputs, max |ConvGen - ORT| = {maxDiff:0.00e+00}, relative to max |ORT| ({maxRef:0.00e+00}) = {relative:0.00e+00} (tolerance {Tolerance:0e+00})");
        return relative <= Tolerance && maxRef > 0
            ? report
            : throw new InvalidOperationException("ConvGen and ONNX Runtime disagree. " + report);
    }

    /// <inheritdoc />
    public void Dispose() => _session.Dispose();
}
