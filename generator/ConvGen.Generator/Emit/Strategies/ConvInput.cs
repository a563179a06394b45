namespace ConvGen.Generator.Emit.Strategies;

/// <summary>
/// Where a tiled convolution kernel reads its input: either the producer's tensor as it is ([C, H, W]), or a copy
/// that the padding kernel prepared: zero- (or reflect-, replicate-, circular-) padded, and for the row tile with a
/// stride split into stride_h × stride_w phase planes, so that every tap of a strided convolution reads consecutive
/// floats (plane (r mod s_h, c mod s_w) holds the padded input's rows r and columns c of that phase).
/// </summary>
/// <param name="Prepared">The padding kernel writes this layout into a workspace buffer before the convolution.</param>
/// <param name="SplitH">Phase planes per channel along the height (the stride when split, else 1).</param>
/// <param name="SplitW">Phase planes along the width.</param>
/// <param name="PlaneHeight">Rows of one plane.</param>
/// <param name="PlaneWidth">Columns of one plane: the row pitch the kernel addresses with.</param>
/// <param name="StepH">Plane rows between two output rows (the stride when not split, else 1).</param>
/// <param name="StepW">Plane columns between two output columns.</param>
internal sealed record ConvInput(bool Prepared, int SplitH, int SplitW, int PlaneHeight, int PlaneWidth, int StepH, int StepW)
{
    /// <summary>Floats of one phase plane.</summary>
    public int PlaneSize => PlaneHeight * PlaneWidth;

    /// <summary>Floats between two input channels.</summary>
    public int ChannelStride => SplitH * SplitW * PlaneSize;

    /// <summary>The offset of tap (a, c) from its output position's base, within one channel.</summary>
    public int TapOffset(int a, int c, int dilationH, int dilationW)
    {
        int rows = a * dilationH, cols = c * dilationW;
        int plane = ((rows % SplitH) * SplitW) + (cols % SplitW);
        return (plane * PlaneSize) + (rows / SplitH * PlaneWidth) + (cols / SplitW);
    }

    /// <summary>The offset of output position (oh, ow)'s window, within one channel.</summary>
    public int Base(int oh, int ow) => (oh * StepH * PlaneWidth) + (ow * StepW);
}
