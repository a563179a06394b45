using System;
using System.Globalization;
using System.Linq;
using ConvGen.Tests.Infrastructure;
using Xunit;

namespace ConvGen.Tests.Forward;

/// <summary>
/// Max and average pooling take the vector strategy (stride 1 or 2, at least 8 interior columns) or the scalar one;
/// global average pooling sums on vector lanes. Each case of <see cref="KernelCases.Pooling"/> is checked against the
/// naive reference ops and asserts the strategy its kernel comment names. Max-pool inputs hold NaN, ±∞ and ±0: a NaN
/// anywhere in a window must give NaN in that lane, as PyTorch's max pooling does.
/// </summary>
public sealed class PoolingKernelTests
{
    public static TheoryData<string> Cases() => KernelCases.Names(KernelCases.Pooling);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Pooling_matches_the_reference(string name) => KernelCases.AssertMatchesReference(KernelCases.Named(name));

    /// <summary>
    /// The vector sum adds in another order than a left-to-right float sum; both stay within 1e-6 of the exact mean,
    /// relative to the mean magnitude of the plane (a relative bound on the mean itself cannot hold where it cancels to 0).
    /// </summary>
    [Theory]
    [InlineData(8, 7, 7)]
    [InlineData(3, 1, 300)]
    [InlineData(2, 33, 31)]
    public void Global_average_stays_within_1e_6_of_the_exact_mean(int channels, int height, int width)
    {
        string attributes = height == 1 ? $"[Network({channels}, {width})]\n[GlobalAvgPool]" : $"[Network({channels}, {height}, {width})]\n[GlobalAvgPool]";
        var net = GeneratorHarness.Build(attributes);
        var random = new Random(channels * width);
        int plane = height * width;
        float[] x = Enumerable.Range(0, channels * plane).Select(_ => (float)((random.NextDouble() * 4) - 1)).ToArray();
        var y = new float[channels];
        net.Forward(x, y, 1);
        for (int c = 0; c < channels; c++)
        {
            var values = x.AsSpan(c * plane, plane).ToArray();
            double exact = values.Sum(v => (double)v) / plane;
            float leftToRight = 0f;
            foreach (float v in values)
            {
                leftToRight += v;
            }

            double scale = values.Average(v => Math.Abs((double)v));
            Assert.True(Math.Abs(y[c] - exact) <= 1e-6 * scale, string.Create(CultureInfo.InvariantCulture, $"channel {c}: vector mean {y[c]:R}, exact {exact:R}"));
            Assert.True(Math.Abs(y[c] - (leftToRight / plane)) <= 1e-6 * scale, string.Create(CultureInfo.InvariantCulture, $"channel {c}: vector mean {y[c]:R}, left-to-right float mean {leftToRight / plane:R}"));
        }
    }
}
