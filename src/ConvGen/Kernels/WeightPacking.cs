using System;
using System.ComponentModel;

namespace ConvGen.Kernels;

/// <summary>
/// Repacks finalized (PyTorch-layout, BatchNorm-folded) convolution and linear weights, once at construction, into the
/// order a generated micro-kernel reads them, so its inner loop walks one contiguous stream. The user-facing weights
/// (loading, saving, <c>ExportWeights</c>) keep PyTorch's layout; only the network's private copy is repacked.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class WeightPacking
{
    /// <summary>
    /// For kernels that keep a block of <paramref name="block"/> output channels in registers and broadcast their
    /// weights: [C_out, C_in/g, taps] becomes, per block of output channels, [C_in/g][taps][block].
    /// <paramref name="block"/> must divide the output channels per group.
    /// </summary>
    /// <returns>A new array of the same length.</returns>
    /// <exception cref="ArgumentException">The sizes do not describe <paramref name="weight"/>, or the block does not divide a group.</exception>
    public static float[] ChannelBlocks(ReadOnlySpan<float> weight, int outChannels, int inPerGroup, int taps, int block)
    {
        Check(weight, outChannels, inPerGroup, taps);
        if (block < 1 || outChannels % block != 0)
        {
            throw new ArgumentException($"The channel block {block} must divide the {outChannels} output channels.", nameof(block));
        }

        int k = inPerGroup * taps;
        var packed = new float[weight.Length];
        for (int co = 0; co < outChannels; co++)
        {
            int start = co / block * block * k, lane = co % block;
            for (int j = 0; j < k; j++)
            {
                packed[start + (j * block) + lane] = weight[(co * k) + j];
            }
        }

        return packed;
    }

    /// <summary>
    /// <see cref="ChannelBlocks"/> for a transposed convolution, whose weight PyTorch stores as [C_in, C_out/g, taps]:
    /// per block of <paramref name="block"/> output channels, [C_in/g][taps][block], each output channel's weights from
    /// the input channels of its group (the roles of C_in and C_out swapped, as in the direct convolution it computes).
    /// <paramref name="block"/> must divide the output channels per group.
    /// </summary>
    /// <returns>A new array of the same length.</returns>
    /// <exception cref="ArgumentException">The sizes do not describe <paramref name="weight"/>, or the block does not divide a group.</exception>
    public static float[] TransposedChannelBlocks(ReadOnlySpan<float> weight, int groups, int inChannels, int outPerGroup, int taps, int block)
    {
        if (groups < 1 || inChannels % groups != 0 || outPerGroup < 1 || block < 1 || outPerGroup % block != 0)
        {
            throw new ArgumentException($"{inChannels} input channels in {groups} groups with {outPerGroup} output channels each do not split into blocks of {block}.", nameof(block));
        }

        Check(weight, inChannels, outPerGroup, taps);
        int inPerGroup = inChannels / groups;
        var direct = new float[weight.Length];
        for (int ci = 0; ci < inChannels; ci++)
        {
            int g = ci / inPerGroup, c = ci % inPerGroup;
            for (int j = 0; j < outPerGroup; j++)
            {
                int co = (g * outPerGroup) + j;
                weight.Slice(((ci * outPerGroup) + j) * taps, taps).CopyTo(direct.AsSpan(((co * inPerGroup) + c) * taps, taps));
            }
        }

        return ChannelBlocks(direct, groups * outPerGroup, inPerGroup, taps, block);
    }

    /// <summary>
    /// For kernels whose vector lanes are output channels (inputs broadcast): [C_out, C_in/g, taps] becomes, per group
    /// and per block of <paramref name="block"/> output channels (the kernel's register tile, whole vectors),
    /// [C_in/g][taps][block]: one block's weights are one contiguous stream, so a tile's reduction reads sequential
    /// memory the prefetcher follows. Each group's channels are zero-padded to <paramref name="paddedOutPerGroup"/>, a
    /// multiple of the block, so that whole vectors can always be loaded. A linear layer is the case of one group and
    /// one tap.
    /// </summary>
    /// <returns>An array of groups × C_in/g × taps × <paramref name="paddedOutPerGroup"/> floats.</returns>
    /// <exception cref="ArgumentException">The sizes do not describe <paramref name="weight"/>, the padding is too small, or the block does not divide it.</exception>
    public static float[] ChannelLanes(ReadOnlySpan<float> weight, int groups, int outChannels, int inPerGroup, int taps, int paddedOutPerGroup, int block)
    {
        Check(weight, outChannels, inPerGroup, taps);
        if (groups < 1 || outChannels % groups != 0 || paddedOutPerGroup < outChannels / groups)
        {
            throw new ArgumentException($"{groups} groups of {outChannels} output channels do not fit rows of {paddedOutPerGroup} lanes.", nameof(paddedOutPerGroup));
        }

        if (block < 1 || paddedOutPerGroup % block != 0)
        {
            throw new ArgumentException($"The channel block {block} must divide the {paddedOutPerGroup} padded output channels of a group.", nameof(block));
        }

        int outPerGroup = outChannels / groups, k = inPerGroup * taps;
        var packed = new float[(long)groups * k * paddedOutPerGroup];
        for (int co = 0; co < outChannels; co++)
        {
            int g = co / outPerGroup, lane = co % outPerGroup;
            long start = ((long)g * paddedOutPerGroup * k) + ((long)(lane / block) * block * k);
            for (int j = 0; j < k; j++)
            {
                packed[start + ((long)j * block) + (lane % block)] = weight[(co * k) + j];
            }
        }

        return packed;
    }

    /// <summary>A per-channel bias spread over groups of <paramref name="paddedOutPerGroup"/> lanes (the padding lanes 0).</summary>
    /// <returns>An array of groups × <paramref name="paddedOutPerGroup"/> floats.</returns>
    /// <exception cref="ArgumentException">The bias does not split into <paramref name="groups"/> groups that fit the padding.</exception>
    public static float[] PaddedBias(ReadOnlySpan<float> bias, int groups, int paddedOutPerGroup)
    {
        if (groups < 1 || bias.Length % groups != 0 || paddedOutPerGroup < bias.Length / groups)
        {
            throw new ArgumentException($"A bias of {bias.Length} values does not split into {groups} groups of at most {paddedOutPerGroup} lanes.", nameof(bias));
        }

        int outPerGroup = bias.Length / groups;
        var packed = new float[groups * paddedOutPerGroup];
        for (int co = 0; co < bias.Length; co++)
        {
            packed[(co / outPerGroup * paddedOutPerGroup) + (co % outPerGroup)] = bias[co];
        }

        return packed;
    }

    /// <summary>
    /// For the Winograd F(2×2, 3×3) kernel: each 3×3 filter g becomes its 4×4 transform U = G·g·Gᵀ (computed in double,
    /// rounded once), with G = [[1, 0, 0], [½, ½, ½], [½, −½, ½], [0, 0, 1]], laid out as [16][C_out/block][C_in][block]:
    /// for each of the 16 transform points ξ, one multiply-accumulate matrix whose <paramref name="block"/> output
    /// channels the kernel broadcasts per input channel.
    /// </summary>
    /// <returns>An array of 16 × C_out × C_in floats.</returns>
    /// <exception cref="ArgumentException">The sizes do not describe 3×3 weights, or the block does not divide the output channels.</exception>
    public static float[] Winograd2x2(ReadOnlySpan<float> weight, int outChannels, int inChannels, int block)
    {
        Check(weight, outChannels, inChannels, 9);
        if (block < 1 || outChannels % block != 0)
        {
            throw new ArgumentException($"The channel block {block} must divide the {outChannels} output channels.", nameof(block));
        }

        var packed = new float[16L * outChannels * inChannels];
        Span<double> gg = stackalloc double[12]; // G·g, 4 × 3
        for (int co = 0; co < outChannels; co++)
        {
            for (int ci = 0; ci < inChannels; ci++)
            {
                var g = weight.Slice(((co * inChannels) + ci) * 9, 9);
                for (int col = 0; col < 3; col++)
                {
                    double g0 = g[col], g1 = g[3 + col], g2 = g[6 + col];
                    gg[col] = g0;
                    gg[3 + col] = (g0 + g1 + g2) * 0.5;
                    gg[6 + col] = (g0 - g1 + g2) * 0.5;
                    gg[9 + col] = g2;
                }

                long start = ((long)co / block * block * inChannels) + ((long)ci * block) + (co % block);
                for (int row = 0; row < 4; row++)
                {
                    double r0 = gg[row * 3], r1 = gg[(row * 3) + 1], r2 = gg[(row * 3) + 2];
                    long at = start + ((long)row * 4 * outChannels * inChannels);
                    long point = (long)outChannels * inChannels;
                    packed[at] = (float)r0;
                    packed[at + point] = (float)((r0 + r1 + r2) * 0.5);
                    packed[at + (2 * point)] = (float)((r0 - r1 + r2) * 0.5);
                    packed[at + (3 * point)] = (float)r2;
                }
            }
        }

        return packed;
    }

    private static void Check(ReadOnlySpan<float> weight, int outChannels, int inPerGroup, int taps)
    {
        if (outChannels < 1 || inPerGroup < 1 || taps < 1 || weight.Length != (long)outChannels * inPerGroup * taps)
        {
            throw new ArgumentException($"The weights hold {weight.Length} floats, but {outChannels} output channels × {inPerGroup} input channels per group × {taps} taps need {(long)outChannels * inPerGroup * taps}.", nameof(weight));
        }
    }

    /// <summary>
    /// The packed weights (or biases) of a layer split by output channels: each part's packed array, one after another,
    /// so that part k's kernel reads the slice from k × (one part's length).
    /// </summary>
    /// <exception cref="ArgumentException">The parts differ in length.</exception>
    public static float[] Concat(params float[][] parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        int length = parts.Length == 0 ? 0 : parts[0].Length;
        var all = new float[(long)parts.Length * length];
        for (int k = 0; k < parts.Length; k++)
        {
            if (parts[k].Length != length)
            {
                throw new ArgumentException($"Part {k} holds {parts[k].Length} floats where part 0 holds {length}.", nameof(parts));
            }

            parts[k].CopyTo(all, (long)k * length);
        }

        return all;
    }
}
