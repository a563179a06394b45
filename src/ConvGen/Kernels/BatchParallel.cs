using System;
using System.ComponentModel;
using System.Runtime.ExceptionServices;
using System.Threading;
using ConvGen.Shapes;

namespace ConvGen.Kernels;

/// <summary>
/// One sample of a batch on one worker: a generated network implements it with its per-sample kernel chain and the
/// worker's own workspace.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IBatchWork
{
    /// <summary>Runs one sample with worker <paramref name="worker"/>'s workspace (0 is the caller's).</summary>
    void Sample(int worker, ReadOnlySpan<float> input, Span<float> output);

    /// <summary>
    /// Runs part <paramref name="part"/> of the layer kernel <paramref name="op"/> that was split by output channels:
    /// on the tensors of workspace <paramref name="home"/> (the sample's), with the scratch of workspace
    /// <paramref name="worker"/>.
    /// </summary>
    void Part(int op, int part, int worker, int home);
}

/// <summary>
/// Splits a batch across cores for the generated <c>Forward</c>. Samples are independent and each is computed by the
/// same code whichever thread takes it, so the result is bitwise the sequential one. The caller works too; the other
/// workers are a process-wide pool of <c>ProcessorCount − 1</c> background threads, started on first use and parked on
/// a semaphore between batches. A call allocates nothing: no <see cref="System.Threading.Tasks.Task"/>, no closure;
/// the spans are pinned for the call and the workers read them through pointers. One batch uses the pool at a time:
/// a batch that finds it busy (another network instance on another thread) runs on its caller's thread alone.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class BatchParallel
{
    /// <summary>
    /// How many workers a batch gets (see <see cref="ParallelSplit.Workers"/>): at most <paramref name="maxDegree"/>, the
    /// batch and the processors, and no more than the work keeps busy; 1 means run on the caller's thread.
    /// </summary>
    public static int Workers(int maxDegree, int batch, long cyclesPerSample)
        => ParallelSplit.Workers(maxDegree, Environment.ProcessorCount, batch, cyclesPerSample);

    /// <summary>
    /// Runs samples 0 … <paramref name="batch"/> − 1 of <paramref name="input"/> (<paramref name="inputLength"/> floats
    /// each) into <paramref name="output"/> (<paramref name="outputLength"/> each) on up to <paramref name="workers"/>
    /// workers, each sample through <see cref="IBatchWork.Sample"/>. Returns when every sample is done; an exception
    /// thrown by a sample is rethrown here once all workers have stopped.
    /// </summary>
    /// <exception cref="ArgumentException">The spans do not hold <paramref name="batch"/> samples.</exception>
    public static void Run(IBatchWork work, ReadOnlySpan<float> input, int inputLength, Span<float> output, int outputLength, int batch, int workers)
        => RunChunks(work, input, inputLength, output, outputLength, batch, 1, workers);

    /// <summary>
    /// As <see cref="Run"/>, but each <see cref="IBatchWork.Sample"/> call gets a chunk of up to
    /// <paramref name="chunk"/> consecutive samples (the last chunk may hold fewer): a network whose linear head runs
    /// several samples at once takes them together. Workers take chunks one at a time, so a chunk is the most by which
    /// one worker's share can exceed another's.
    /// </summary>
    /// <exception cref="ArgumentException">The spans do not hold <paramref name="batch"/> samples, or the chunk is below 1.</exception>
    public static unsafe void RunChunks(IBatchWork work, ReadOnlySpan<float> input, int inputLength, Span<float> output, int outputLength, int batch, int chunk, int workers)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (batch < 0 || chunk < 1 || inputLength < 0 || outputLength < 0 || input.Length < (long)batch * inputLength || output.Length < (long)batch * outputLength)
        {
            throw new ArgumentException($"{batch} samples of {inputLength} → {outputLength} floats in chunks of {chunk} do not fit a {input.Length}-float input and a {output.Length}-float output.", nameof(output));
        }

        int chunks = (int)(((long)batch + chunk - 1) / chunk);
        workers = Math.Min(Math.Min(workers, chunks), Environment.ProcessorCount);
        lastWorkers = 1;
        lastParticipants = 1;
        if (workers < 2 || !Pool.TryEnter())
        {
            for (int n = 0; n < batch; n += chunk)
            {
                int count = Math.Min(chunk, batch - n);
                work.Sample(0, input.Slice(n * inputLength, count * inputLength), output.Slice(n * outputLength, count * outputLength));
            }

            return;
        }

        try
        {
            fixed (float* x = input)
            fixed (float* y = output)
            {
                lastWorkers = workers;
                lastParticipants = Pool.Run(work, x, inputLength, y, outputLength, batch, chunk, workers);
            }
        }
        finally
        {
            Pool.Exit();
        }
    }

    /// <summary>
    /// Runs the <paramref name="parts"/> parts of layer kernel <paramref name="op"/> (see <see cref="IBatchWork.Part"/>) for
    /// the sample in workspace <paramref name="home"/> on up to <paramref name="maxDegree"/> workers and returns true; or,
    /// where that cannot use a second core (one core allowed or present, the sample is in a worker's workspace of a
    /// batch split across cores, or the pool is busy), runs nothing and returns false: the caller then runs the
    /// whole-layer kernel, which is cheaper than the parts one after another. Parts write disjoint output channels, so
    /// the result does not depend on which worker runs which part.
    /// </summary>
    public static bool Parts(IBatchWork work, int op, int parts, int home, int maxDegree)
    {
        ArgumentNullException.ThrowIfNull(work);
        int workers = Math.Min(Math.Min(maxDegree, parts), Environment.ProcessorCount);
        lastWorkers = 1;
        lastParticipants = 1;
        if (workers < 2 || home != 0 || !Pool.TryEnter())
        {
            return false;
        }

        try
        {
            lastWorkers = workers;
            lastParticipants = Pool.Run(work, op, parts, workers);
            return true;
        }
        finally
        {
            Pool.Exit();
        }
    }

    /// <summary>Tests only: the workers the last <see cref="Run"/> or <see cref="Parts"/> on this thread split across (1: it ran alone).</summary>
    [ThreadStatic]
    internal static int lastWorkers;

    /// <summary>Tests only: how many of them took at least one sample.</summary>
    [ThreadStatic]
    internal static int lastParticipants;

    /// <summary>Tests only: bytes the pool's threads allocated while working on batches, in all.</summary>
    internal static long workerAllocations;

    /// <summary>The worker threads and the one batch they work on (guarded by <see cref="busy"/>).</summary>
    private static unsafe class Pool
    {
        private static readonly object Gate = new();
        private static readonly ManualResetEventSlim Done = new(false);
        private static SemaphoreSlim[] wake = Array.Empty<SemaphoreSlim>();
        private static int busy;

        // The batch in flight.
        private static IBatchWork? work;
        private static float* x;
        private static float* y;
        private static int inputLength;
        private static int outputLength;
        private static int batchSamples;
        private static int chunkSamples;
        private static int batch;
        private static int op = -1;
        private static int next;
        private static int pending;
        private static int participants;
        private static ExceptionDispatchInfo? failure;

        public static bool TryEnter() => Interlocked.CompareExchange(ref busy, 1, 0) == 0;

        public static void Exit() => Volatile.Write(ref busy, 0);

        /// <summary>Runs the batch in chunks of up to <paramref name="chunk"/> samples; returns how many workers took at least one chunk.</summary>
        public static int Run(IBatchWork w, float* input, int inLength, float* output, int outLength, int samples, int chunk, int workers)
        {
            x = input;
            y = output;
            inputLength = inLength;
            outputLength = outLength;
            batchSamples = samples;
            chunkSamples = chunk;
            return Run(w, -1, (int)(((long)samples + chunk - 1) / chunk), workers);
        }

        /// <summary>
        /// Runs items 0 … <paramref name="count"/> − 1: the samples when <paramref name="kernel"/> &lt; 0 (after the
        /// pointers are set), else the parts of that layer kernel; returns how many workers took at least one.
        /// </summary>
        public static int Run(IBatchWork w, int kernel, int count, int workers)
        {
            Start(workers - 1);
            work = w;
            op = kernel;
            batch = count;
            failure = null;
            participants = 0;
            Done.Reset();
            Volatile.Write(ref next, 0);
            Volatile.Write(ref pending, workers - 1);
            for (int i = 0; i < workers - 1; i++)
            {
                wake[i].Release();
            }

            Work(0);

            // The pointers stay pinned until every worker has left the batch, even if this thread's samples failed. Always
            // wait for the signal (not for the count alone): the last worker sets it after counting down, and a set left
            // over from this batch must not end the next one's wait early.
            Done.Wait();

            work = null;
            x = y = null;
            failure?.Throw();
            return participants;
        }

        /// <summary>Takes samples until none is left.</summary>
        private static void Work(int worker)
        {
            int taken = 0;
            try
            {
                for (int n = Interlocked.Increment(ref next) - 1; n < batch; n = Interlocked.Increment(ref next) - 1)
                {
                    taken++;
                    if (op >= 0)
                    {
                        work!.Part(op, n, worker, 0);
                    }
                    else
                    {
                        long first = (long)n * chunkSamples;
                        int count = (int)Math.Min(chunkSamples, batchSamples - first);
                        work!.Sample(worker, new ReadOnlySpan<float>(x + (first * inputLength), count * inputLength), new Span<float>(y + (first * outputLength), count * outputLength));
                    }
                }
            }
            catch (Exception e)
            {
                lock (Gate)
                {
                    failure ??= ExceptionDispatchInfo.Capture(e);
                }

                Volatile.Write(ref next, int.MaxValue / 2);
            }

            if (taken > 0)
            {
                Interlocked.Increment(ref participants);
            }
        }

        /// <summary>Makes sure <paramref name="count"/> worker threads exist (they are never stopped: background threads).</summary>
        private static void Start(int count)
        {
            if (wake.Length >= count)
            {
                return;
            }

            lock (Gate)
            {
                var grown = new SemaphoreSlim[count];
                Array.Copy(wake, grown, wake.Length);
                for (int i = wake.Length; i < count; i++)
                {
                    grown[i] = new SemaphoreSlim(0);
                    var thread = new Thread(Loop) { IsBackground = true, Name = $"ConvGen batch worker {i + 1}" };
                    thread.Start((grown[i], i + 1));
                }

                wake = grown;
            }
        }

        private static void Loop(object? state)
        {
            var (signal, worker) = ((SemaphoreSlim, int))state!;
            while (true)
            {
                signal.Wait();
                long before = GC.GetAllocatedBytesForCurrentThread();
                Work(worker);
                Interlocked.Add(ref workerAllocations, GC.GetAllocatedBytesForCurrentThread() - before);
                if (Interlocked.Decrement(ref pending) == 0)
                {
                    Done.Set();
                }
            }
        }
    }
}
