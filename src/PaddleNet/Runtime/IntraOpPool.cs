namespace PaddleNet.Runtime;

/// <summary>Work split into contiguous ranges [start, end) by <see cref="IntraOpPool.For{T}"/>.</summary>
internal interface IParallelBody
{
    void Run(int start, int end);
}

/// <summary>
/// The session's own intra-op thread pool: N−1 dedicated workers plus the calling thread. [0, n) is
/// cut into contiguous chunks (up to <see cref="ChunksPerThread"/> per thread, at least minChunk
/// items each) that the caller and the workers claim dynamically, so a worker the OS schedules late
/// (a busy machine) costs a smaller share instead of stalling the whole call: the caller runs what
/// is left and waits only for chunks already started. Bodies compute disjoint outputs whatever the
/// chunking (no reduction is split across chunks), so results do not depend on thread count or
/// timing. When another run holds the pool, work runs inline. Allocation-free after the first call
/// for each body type.
/// </summary>
internal sealed class IntraOpPool : IDisposable
{
    /// <summary>Chunks per thread: enough slack to rebalance around a late worker, few enough to keep per-chunk setup cheap.</summary>
    public const int ChunksPerThread = 3;

    private const int Closed = int.MaxValue;

    private readonly Thread[] _workers;
    private readonly object _gate = new();
    private readonly Dictionary<Type, object> _holders = new();
    private readonly SemaphoreSlim _start;

    // Published before _state for each call (generation); read by workers only after a matching _state.
    private IWork? _work;
    private int _chunks;
    private int _n;

    // High 32 bits: generation; low 32: next chunk to claim (Closed once the call is complete).
    private long _state;
    private int _completed;
    private Exception? _error;
    private volatile bool _disposed;

    public IntraOpPool(int threads)
    {
        Threads = Math.Max(1, threads);
        _start = new SemaphoreSlim(0);
        _state = Closed;
        _workers = new Thread[Threads - 1];
        for (int i = 0; i < _workers.Length; i++)
        {
            int index = i + 1;
            _workers[i] = new Thread(() => { t_worker = index; WorkerLoop(); }) { IsBackground = true, Name = $"paddlenet-intraop-{index}" };
            _workers[i].Start();
        }
    }

    public int Threads { get; }

    [ThreadStatic] private static int t_worker;

    /// <summary>This thread's index in the pool it serves: 1..Threads−1 on a pool worker, 0 on any other (calling) thread. Indexes per-run scratch (<see cref="RunScratch"/>).</summary>
    public static int CurrentWorker => t_worker;
    /// <summary>Worker threads still running (0 some time after <see cref="Dispose"/>).</summary>
    internal int LiveWorkers => _workers.Count(w => w.IsAlive);

    /// <summary>Runs <paramref name="body"/> over [0, n) in contiguous chunks of at least <paramref name="minChunk"/> items, on up to <see cref="Threads"/> threads.</summary>
    public void For<T>(int n, T body, int minChunk = 1) where T : struct, IParallelBody
    {
        int chunks = Math.Min(Threads * ChunksPerThread, Math.Max(1, n / Math.Max(1, minChunk)));
        if (Threads <= 1 || chunks <= 1 || !Monitor.TryEnter(_gate))
        {
            body.Run(0, n);
            return;
        }
        try
        {
            if (!_holders.TryGetValue(typeof(T), out var h)) _holders[typeof(T)] = h = new Holder<T>();
            var holder = (Holder<T>)h;
            holder.Body = body;
            _work = holder;
            _n = n;
            _chunks = chunks;
            _completed = 0;
            long gen = (Volatile.Read(ref _state) >> 32) + 1;
            Interlocked.Exchange(ref _state, gen << 32); // publishes the fields above; full fence before reading _sleepers
            // Spinning workers pick the call up from _state; only blocked ones need a wake-up.
            int sleepers = Volatile.Read(ref _sleepers);
            if (sleepers > 0) _start.Release(Math.Min(sleepers, chunks - 1));
            Drain(gen << 32, holder, chunks, n);
            // Chunks still running on workers: short by construction (each is ~1/(3·Threads) of the call).
            var spin = new SpinWait();
            while (Volatile.Read(ref _completed) < chunks) spin.SpinOnce(sleep1Threshold: -1);
            Volatile.Write(ref _state, (gen << 32) | Closed);
            holder.Body = default;
            if (Interlocked.Exchange(ref _error, null) is Exception e) throw new PaddleNetException($"a kernel failed on an intra-op thread: {e.Message}", e);
        }
        finally
        {
            Monitor.Exit(_gate);
        }
    }

    /// <summary>Claims and runs chunks of the call identified by <paramref name="snapshot"/>'s generation until none are left.</summary>
    private void Drain(long snapshot, IWork work, int chunks, int n)
    {
        long s = snapshot;
        while (true)
        {
            int next = (int)(s & 0xFFFFFFFF);
            if (next >= chunks) return;
            long seen = Interlocked.CompareExchange(ref _state, s + 1, s);
            if (seen != s)
            {
                // Another thread claimed; retry on the same generation only.
                if ((seen >> 32) != (snapshot >> 32)) return;
                s = seen;
                continue;
            }
            long start = (long)n * next / chunks;
            long end = (long)n * (next + 1) / chunks;
            try
            {
                if (end > start) work.Run((int)start, (int)end);
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref _error, e, null);
            }
            Interlocked.Increment(ref _completed);
            s++;
        }
    }

    /// <summary>How long an idle worker polls for the next call before blocking (consecutive ops of one run follow within microseconds).</summary>
    private static readonly long SpinTicks = System.Diagnostics.Stopwatch.Frequency / 5000; // 200 µs

    private int _sleepers;

    /// <summary>True when <paramref name="s"/> is an open call newer than <paramref name="lastGen"/>.</summary>
    private static bool IsNew(long s, long lastGen) => (int)(s & 0xFFFFFFFF) != Closed && (s >> 32) != lastGen;

    private void WorkerLoop()
    {
        long lastGen = -1;
        while (true)
        {
            long snapshot = Volatile.Read(ref _state);
            if (!IsNew(snapshot, lastGen))
            {
                long until = System.Diagnostics.Stopwatch.GetTimestamp() + SpinTicks;
                while (!IsNew(snapshot = Volatile.Read(ref _state), lastGen) && !_disposed && System.Diagnostics.Stopwatch.GetTimestamp() < until)
                {
                    Thread.SpinWait(16);
                }
                if (!IsNew(snapshot, lastGen))
                {
                    Interlocked.Increment(ref _sleepers); // full fence: a call published after this sees the sleeper
                    snapshot = Volatile.Read(ref _state);
                    if (!IsNew(snapshot, lastGen) && !_disposed) _start.Wait();
                    Interlocked.Decrement(ref _sleepers);
                    if (_disposed) return;
                    continue; // a wake-up may be stale (a call already over): recheck
                }
            }
            if (_disposed) return;
            lastGen = snapshot >> 32;
            // Fields read after the snapshot belong to its generation whenever a claim on it succeeds:
            // a newer call first closes this generation, so every later claim on it fails.
            var work = _work;
            int chunks = _chunks, n = _n;
            if (work is null) continue;
            Drain(snapshot, work, chunks, n);
        }
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        if (_workers.Length > 0) _start.Release(_workers.Length);
    }

    /// <summary>
    /// What a session holds instead of the pool itself: the workers' loops root the pool, so a finalizer on the
    /// pool would never run; this small object is rooted only by its session, and when a session is collected
    /// without <c>Dispose</c> its finalizer stops the workers. Small on purpose: a finalizer on the session would
    /// keep the whole plan and its weights alive for one more collection.
    /// </summary>
    internal sealed class Owner : IDisposable
    {
        public Owner(int threads) => Pool = new IntraOpPool(threads);

        ~Owner() => Pool.Dispose();

        public IntraOpPool Pool { get; }

        public void Dispose()
        {
            Pool.Dispose();
            GC.SuppressFinalize(this);
        }
    }

    private interface IWork
    {
        void Run(int start, int end);
    }

    private sealed class Holder<T> : IWork where T : struct, IParallelBody
    {
        public T Body;

        public void Run(int start, int end) => Body.Run(start, end);
    }
}
