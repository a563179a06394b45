using System;
using System.ComponentModel;

namespace ConvGen.Kernels;

/// <summary>Transposes one sample between channels-last (NHWC / NLC) and the channels-first layout the kernels use.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class Layout
{
    /// <summary>[positions, channels] → [channels, positions].</summary>
    public static void ToChannelsFirst(ReadOnlySpan<float> source, Span<float> destination, int channels, int positions)
    {
        for (int p = 0; p < positions; p++)
        {
            for (int c = 0; c < channels; c++)
            {
                destination[(c * positions) + p] = source[(p * channels) + c];
            }
        }
    }

    /// <summary>[channels, positions] → [positions, channels].</summary>
    public static void ToChannelsLast(ReadOnlySpan<float> source, Span<float> destination, int channels, int positions)
    {
        for (int c = 0; c < channels; c++)
        {
            for (int p = 0; p < positions; p++)
            {
                destination[(p * channels) + c] = source[(c * positions) + p];
            }
        }
    }
}
