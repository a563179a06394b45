using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;

namespace ConvGen.Kernels;

/// <summary>
/// Dropout's random mask for the generated trainers: each element is kept with probability 1 − p and then scaled by
/// 1/(1 − p) (PyTorch's inverted dropout), or dropped (0). The generator is SplitMix64, seeded by the trainer, so a seed
/// gives the same sequence of masks on every machine; it is not PyTorch's generator, so masks differ from PyTorch's.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class DropoutMask
{
    /// <summary>The generator state a seed starts from.</summary>
    /// <returns>The state.</returns>
    public static ulong Seed(int seed) => 0x9E3779B97F4A7C15UL * ((ulong)(uint)seed + 1);

    /// <summary>Fills <paramref name="mask"/> with 0 (dropped) or 1/(1 − p) (kept) and advances <paramref name="state"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="p"/> is outside [0, 1].</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Fill(Span<float> mask, double p, ref ulong state)
    {
        if (!(p >= 0 && p <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(p), p, "A dropout probability must lie in [0, 1].");
        }

        // p = 1 drops everything, as PyTorch does (it would otherwise scale by 1/0).
        float keep = p < 1 ? (float)(1 / (1 - p)) : 0f;
        for (int i = 0; i < mask.Length; i++)
        {
            double u = (Next(ref state) >> 11) * (1.0 / (1UL << 53));
            mask[i] = u >= p ? keep : 0f;
        }
    }

    private static ulong Next(ref ulong state)
    {
        ulong z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
