using System.Linq;
using ConvGen.Kernels;
using Xunit;

namespace ConvGen.Tests.Kernels;

/// <summary><see cref="Layout.Deinterleave"/> against the definition, for counts around the vector width, and that it writes nothing past them.</summary>
public sealed class DeinterleaveTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(16)]
    [InlineData(23)]
    [InlineData(48)]
    public void Splits_a_row_into_its_even_and_odd_columns(int pairs)
    {
        float[] source = Enumerable.Range(0, (2 * pairs) + 3).Select(i => (float)i).ToArray();
        var even = Enumerable.Repeat(-1f, pairs + 2).ToArray();
        var odd = Enumerable.Repeat(-1f, pairs + 2).ToArray();
        Layout.Deinterleave(ref source[0], ref even[0], ref odd[0], pairs);
        for (int j = 0; j < pairs; j++)
        {
            Assert.Equal(2 * j, even[j]);
            Assert.Equal((2 * j) + 1, odd[j]);
        }

        Assert.All(even.Skip(pairs), v => Assert.Equal(-1f, v));
        Assert.All(odd.Skip(pairs), v => Assert.Equal(-1f, v));
    }
}
