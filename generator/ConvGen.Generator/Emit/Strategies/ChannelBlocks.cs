namespace ConvGen.Generator.Emit.Strategies;

/// <summary>
/// A tensor handed from a channel tile to a depthwise lanes kernel in the layout the latter computes in, as NCHWc
/// engines keep activations: blocks of <c>Vector&lt;float&gt;.Count</c> channels, each a zero-framed grid of padded
/// height × padded width vectors whose lanes are the block's channels ([C/Lanes][H_pad][W_pad][Lanes]). The channel
/// tile's accumulators already hold channels on the lanes: it clears the frames' borders and stores each vector at its
/// position's cell, with no transpose; the depthwise kernel reads the blocks as they are, with no interleaving.
/// </summary>
internal sealed class ChannelBlocks
{
    public ChannelBlocks(KernelChoice producer, KernelChoice consumer, string producerName, string consumerName)
    {
        var p = consumer.Problem;
        Channels = ChannelTileConv.PaddedChannels(producer);
        Height = p.Height;
        Width = p.Width;
        Top = p.PadTop;
        Left = p.PadLeft;
        FrameHeight = p.PaddedHeight;
        FrameWidth = p.PaddedWidth;
        ProducerName = producerName;
        ConsumerName = consumerName;
        producer.OutputBlocks = this;
        consumer.InputBlocks = this;
    }

    /// <summary>Channels with room: the producer's padded channel count, a multiple of 16, so any vector width fits.</summary>
    public int Channels { get; }

    public int Height { get; }

    public int Width { get; }

    public int Top { get; }

    public int Left { get; }

    public int FrameHeight { get; }

    public int FrameWidth { get; }

    /// <summary>Vectors of one block's frame.</summary>
    public int FrameSize => FrameHeight * FrameWidth;

    /// <summary>Floats of all blocks (Channels / Lanes blocks of FrameSize vectors of Lanes floats).</summary>
    public int Floats => Channels * FrameSize;

    public string ProducerName { get; }

    public string ConsumerName { get; }

    /// <summary>The frame cell (vector index within a block) of output position (oh, ow) of the producer.</summary>
    public int Cell(int oh, int ow) => ((oh + Top) * FrameWidth) + ow + Left;

    /// <summary>
    /// The pair can hand off: the producer is an ungrouped channel tile over several positions (every activation works
    /// on its whole vectors), and the consumer keeps one output channel per input channel (its lanes are the producer's).
    /// </summary>
    public static bool Fits(KernelChoice producer, KernelChoice consumer)
        => producer.Problem.Groups == 1 && producer.Problem.Positions > 1 && consumer.Problem.OutPerGroup == 1;
}
