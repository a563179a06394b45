using System.ComponentModel;
using System.Runtime.CompilerServices;

namespace ConvGen.Kernels;

/// <summary>
/// The generated constructor's last step: the network runs on zeros before any caller uses it, so that the caller's
/// first <c>Forward</c> runs at its steady speed.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class Warmup
{
    /// <summary>
    /// Runs <paramref name="network"/> twice on a zero input, through the <see cref="INetwork"/> interface. The first pass
    /// compiles every kernel (they are AggressiveOptimization). The second is there because, measured, the pass after
    /// the one that compiled the code still ran 1.4-1.8 times its steady time (DS-CNN 102-108 µs against 70-74, with or
    /// without tiered compilation, concurrent GC or a warmed-up core); after it, a caller's first call took 1.05-1.15
    /// times. Through the interface, not inlined, so that the runtime has resolved the interface's dispatch to the
    /// network's type before a caller's first interface call.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Forward(INetwork network)
    {
        System.ArgumentNullException.ThrowIfNull(network);
        var input = new float[network.InputSize];
        var output = new float[network.OutputSize];
        network.Forward(input, output, 1);
        network.Forward(input, output, 1);
    }
}
