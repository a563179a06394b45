using System;
using ConvGen.Reference;
using Xunit;

namespace ConvGen.Tests.Reference;

public sealed class ReferencePaddingTests
{
    // x = [[1 2 3],
    //      [4 5 6]]  as [N=1, C=1, H=2, W=3].
    private static readonly float[] X2x3 = [1, 2, 3, 4, 5, 6];

    [Fact]
    public void Zeros_pads_asymmetrically()
    {
        // top 1, bottom 0, left 1, right 1 -> 3 x 5.
        float[] y = ReferenceOps.Pad(X2x3, 1, 1, 2, 3, 1, 0, 1, 1, PaddingMode.Zeros);
        Assert.Equal(
            new float[]
            {
                0, 0, 0, 0, 0,
                0, 1, 2, 3, 0,
                0, 4, 5, 6, 0,
            },
            y);
    }

    [Fact]
    public void Reflect_mirrors_without_repeating_the_edge()
    {
        // 1-D (H = 1): [1 2 3] padded by 2 on both sides -> 3 2 [1 2 3] 2 1.
        float[] y = ReferenceOps.Pad([1, 2, 3], 1, 1, 1, 3, 0, 0, 2, 2, PaddingMode.Reflect);
        Assert.Equal(new float[] { 3, 2, 1, 2, 3, 2, 1 }, y);

        // 2-D: one row on top mirrors row 1 (row -1 reads row 1).
        float[] y2 = ReferenceOps.Pad(X2x3, 1, 1, 2, 3, 1, 0, 0, 0, PaddingMode.Reflect);
        Assert.Equal(new float[] { 4, 5, 6, 1, 2, 3, 4, 5, 6 }, y2);
    }

    [Fact]
    public void Replicate_repeats_the_edge()
    {
        // [1 2 3], left 2, right 1 -> 1 1 [1 2 3] 3.
        float[] y = ReferenceOps.Pad([1, 2, 3], 1, 1, 1, 3, 0, 0, 2, 1, PaddingMode.Replicate);
        Assert.Equal(new float[] { 1, 1, 1, 2, 3, 3 }, y);
    }

    [Fact]
    public void Circular_wraps_around()
    {
        // [1 2 3], left 2, right 1 -> 2 3 [1 2 3] 1.
        float[] y = ReferenceOps.Pad([1, 2, 3], 1, 1, 1, 3, 0, 0, 2, 1, PaddingMode.Circular);
        Assert.Equal(new float[] { 2, 3, 1, 2, 3, 1 }, y);

        // A pad as large as the dimension is allowed (PyTorch: no wrapping more than once).
        float[] y3 = ReferenceOps.Pad([1, 2, 3], 1, 1, 1, 3, 0, 0, 3, 0, PaddingMode.Circular);
        Assert.Equal(new float[] { 1, 2, 3, 1, 2, 3 }, y3);
    }

    [Fact]
    public void Batches_and_channels_are_padded_independently()
    {
        // N = 2, C = 2, H = 1, W = 2; replicate one column on the right.
        float[] y = ReferenceOps.Pad([1, 2, 3, 4, 5, 6, 7, 8], 2, 2, 1, 2, 0, 0, 0, 1, PaddingMode.Replicate);
        Assert.Equal(new float[] { 1, 2, 2, 3, 4, 4, 5, 6, 6, 7, 8, 8 }, y);
    }

    [Fact]
    public void Out_of_range_pads_throw()
    {
        Assert.Throws<ArgumentException>(() => ReferenceOps.Pad([1, 2, 3], 1, 1, 1, 3, 0, 0, 3, 0, PaddingMode.Reflect));
        Assert.Throws<ArgumentException>(() => ReferenceOps.Pad([1, 2, 3], 1, 1, 1, 3, 1, 0, 0, 0, PaddingMode.Reflect));
        Assert.Throws<ArgumentException>(() => ReferenceOps.Pad([1, 2, 3], 1, 1, 1, 3, 0, 0, 4, 0, PaddingMode.Circular));
        Assert.Throws<ArgumentException>(() => ReferenceOps.Pad([1, 2, 3], 1, 1, 1, 3, 0, 0, -1, 0, PaddingMode.Zeros));
        Assert.Throws<ArgumentException>(() => ReferenceOps.Pad([1, 2, 3], 1, 1, 1, 4, 0, 0, 1, 0, PaddingMode.Zeros));
    }
}
