using System;
using System.Collections.Generic;

namespace ConvGen.Benchmarks.Onnx;

/// <summary>
/// Deterministic test weights that do not depend on System.Random's implementation: SplitMix64 seeded from
/// (seed, tensor name), so every tensor can be regenerated alone, on any runtime, by ConvGen's side too.
/// </summary>
public static class SeededWeights
{
    /// <summary>Uniform values in [-bound, bound), derived from <paramref name="seed"/> and <paramref name="key"/>.</summary>
    public static float[] Uniform(ulong seed, string key, int count, float bound)
    {
        ArgumentNullException.ThrowIfNull(key);
        ulong state = seed ^ Fnv1a(key);
        var values = new float[count];
        for (int i = 0; i < count; i++)
        {
            // SplitMix64 step, then the top 24 bits as a float in [0, 1).
            state += 0x9E3779B97F4A7C15UL;
            ulong z = state;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            z ^= z >> 31;
            float unit = (z >> 40) * (1.0f / (1 << 24));
            values[i] = ((2f * unit) - 1f) * bound;
        }

        return values;
    }

    /// <summary>
    /// Adds <c>{module}.weight</c> and <c>{module}.bias</c> drawn like PyTorch's default Conv2d/Linear init
    /// (uniform in ±1/sqrt(fan_in) for both).
    /// </summary>
    /// <param name="stateDict">The dictionary to fill.</param>
    /// <param name="seed">The seed.</param>
    /// <param name="module">The module's key prefix, e.g. "0".</param>
    /// <param name="weightCount">Number of weight values (out × in/groups × kH × kW, or out × in).</param>
    /// <param name="biasCount">Number of bias values (out), or 0 for no bias.</param>
    /// <param name="fanIn">in/groups × kH × kW, or in.</param>
    public static void AddLayer(IDictionary<string, float[]> stateDict, ulong seed, string module, int weightCount, int biasCount, int fanIn)
    {
        ArgumentNullException.ThrowIfNull(stateDict);
        float bound = 1f / MathF.Sqrt(fanIn);
        stateDict[module + ".weight"] = Uniform(seed, module + ".weight", weightCount, bound);
        if (biasCount > 0)
        {
            stateDict[module + ".bias"] = Uniform(seed, module + ".bias", biasCount, bound);
        }
    }

    private static ulong Fnv1a(string text)
    {
        ulong hash = 14695981039346656037UL;
        foreach (char c in text)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return hash;
    }
}
