using System.Linq;
using System.Numerics;
using ConvGen.Kernels;
using Xunit;

namespace ConvGen.Tests.Kernels;

/// <summary>
/// <see cref="TileStore"/> against its definition: position j's vector holds the channels, channel c's positions land
/// at c·stride + j, only the first count channels are written, and nothing else is touched. The test process has the
/// machine's vector width (8 lanes with AVX2: the in-register transpose); other widths run the lane-by-lane path,
/// which the child-process tile tests cover.
/// </summary>
public sealed class TileStoreTests
{
    private const int Stride = 11;

    public static TheoryData<int, int> Cases()
    {
        var data = new TheoryData<int, int>();
        foreach (int positions in new[] { 1, 2, 4, 8 })
        {
            for (int count = 0; count <= Vector<float>.Count; count++)
            {
                data.Add(positions, count);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Each_channel_gets_its_positions_in_a_row(int positions, int count)
    {
        int lanes = Vector<float>.Count;
        var tile = Enumerable.Range(0, positions)
            .Select(j => new Vector<float>(Enumerable.Range(0, lanes).Select(c => (100f * c) + j).ToArray()))
            .ToArray();
        var destination = Enumerable.Repeat(-1f, (lanes * Stride) + 8).ToArray();
        if (positions == 1)
        {
            TileStore.Channels1(tile[0], ref destination[0], Stride, count);
        }
        else if (positions == 2)
        {
            TileStore.Channels2(tile[0], tile[1], ref destination[0], Stride, count);
        }
        else if (positions == 4)
        {
            TileStore.Channels4(tile[0], tile[1], tile[2], tile[3], ref destination[0], Stride, count);
        }
        else
        {
            TileStore.Channels8(tile[0], tile[1], tile[2], tile[3], tile[4], tile[5], tile[6], tile[7], ref destination[0], Stride, count);
        }

        for (int i = 0; i < destination.Length; i++)
        {
            int c = i / Stride, j = i % Stride;
            float expected = c < count && j < positions ? (100f * c) + j : -1f;
            Assert.True(expected == destination[i], $"destination[{i}] (channel {c}, position {j}) = {destination[i]}, expected {expected}");
        }
    }
}
