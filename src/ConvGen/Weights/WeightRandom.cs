using System;
using System.Text;

namespace ConvGen;

/// <summary>
/// xoshiro256** seeded through SplitMix64 (Blackman and Vigna), with Box-Muller normals. ConvGen carries its own
/// generator so that initial weights depend only on the seed and the tensor's name, never on the .NET version's
/// <see cref="Random"/>.
/// </summary>
internal struct WeightRandom
{
    private const double TwoPow53Inverse = 1.0 / (1UL << 53);

    private ulong _s0;
    private ulong _s1;
    private ulong _s2;
    private ulong _s3;
    private double _spareNormal;
    private bool _hasSpareNormal;

    public WeightRandom(ulong seed)
    {
        // SplitMix64 spreads any seed, even 0, over the 256-bit state, which must not be all zero.
        _s0 = SplitMix64(ref seed);
        _s1 = SplitMix64(ref seed);
        _s2 = SplitMix64(ref seed);
        _s3 = SplitMix64(ref seed);
        _spareNormal = 0;
        _hasSpareNormal = false;
    }

    /// <summary>
    /// The stream for one tensor: a function of the seed and the tensor's name only, so adding, removing or
    /// reordering other tensors leaves this one's values unchanged.
    /// </summary>
    public static WeightRandom ForTensor(int seed, string name)
    {
        // FNV-1a over the UTF-8 name, then mixed with the seed.
        ulong hash = 14695981039346656037UL;
        foreach (byte b in Encoding.UTF8.GetBytes(name))
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        ulong seedState = unchecked((ulong)(long)seed);
        return new WeightRandom(SplitMix64(ref seedState) ^ hash);
    }

    public ulong NextUInt64()
    {
        ulong result = RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform on [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * TwoPow53Inverse;

    /// <summary>Uniform on [-bound, bound).</summary>
    public double NextUniform(double bound) => bound * ((2.0 * NextDouble()) - 1.0);

    /// <summary>Standard normal by the Box-Muller transform; each pair of uniforms gives two values.</summary>
    public double NextStandardNormal()
    {
        if (_hasSpareNormal)
        {
            _hasSpareNormal = false;
            return _spareNormal;
        }

        double u1 = 1.0 - NextDouble(); // (0, 1]: keeps Log away from 0
        double u2 = NextDouble();
        double radius = Math.Sqrt(-2.0 * Math.Log(u1));
        double angle = 2.0 * Math.PI * u2;
        _spareNormal = radius * Math.Sin(angle);
        _hasSpareNormal = true;
        return radius * Math.Cos(angle);
    }

    private static ulong SplitMix64(ref ulong state)
    {
        ulong z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));
}
