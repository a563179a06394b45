using System;

namespace ConvGen.Tests.Infrastructure;

/// <summary>Bytes a call allocates on the calling thread, measured so that the runtime's own one-off work does not count.</summary>
internal static class AllocationProbe
{
    /// <summary>
    /// Runs <paramref name="call"/> in up to three windows of <paramref name="calls"/> calls and returns what the last
    /// window allocated: a per-call allocation shows in every window, the runtime's one-off work (tiering finishing late
    /// on a loaded test machine) in one at most, so the first window that allocates nothing ends the measurement.
    /// </summary>
    public static long PerWindow(Action call, int calls)
    {
        long allocated = 0;
        for (int window = 0; window < 3; window++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < calls; i++)
            {
                call();
            }

            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            if (allocated == 0)
            {
                break;
            }
        }

        return allocated;
    }
}
