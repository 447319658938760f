using System.Runtime.CompilerServices;

namespace PaddleNet.Runtime;

/// <summary>Work split into contiguous ranges [start, end) by <see cref="IntraOpPool.For{T}"/>.</summary>
internal interface IParallelBody
{
    void Run(int start, int end);
}

/// <summary>
/// The session's own intra-op thread pool: N−1 dedicated workers plus the calling thread. [0, n) is
/// cut into contiguous chunks of at least minChunk items that the caller and the workers claim
/// dynamically, largest first (guided: each claim takes 1/(2·Threads) of what is left, down to a floor
/// of <see cref="FinestSplit"/>ths of n), so a worker the OS schedules late costs a smaller share
/// instead of stalling the whole call, and the last chunks are small enough that no thread ends long
/// after the other (equal chunks of n/(3·Threads) left one thread up to a third of its share behind
/// when the chunk count did not divide evenly: 7 panels on 2 threads as 1,1,1,1,1,2). On 2 threads the
/// caller claims from the front and the worker from the back (<see cref="TwoEnded"/>), so each keeps
/// nearly the same contiguous half from call to call (its share of a layer's input and output stays in
/// its own L2 across repeated runs) and the two cross one cache line per claim, not a shared cursor
/// they both chase. The caller runs what is left and waits only for chunks already started. Bodies compute disjoint outputs whatever
/// the chunking (no reduction is split across chunks), so results do not depend on thread count or
/// timing. When another run holds the pool, work runs inline. Allocation-free after the first call
/// for each body type.
/// </summary>
internal sealed class IntraOpPool : IDisposable
{
    /// <summary>Kernels choosing between two split axes: fewer items than this per thread balance poorly (see <see cref="SplitLoss"/>).</summary>
    public const int ChunksPerThread = 3;

    /// <summary>Smallest guided chunk, as a fraction 1/(FinestSplit·Threads) of the call (minChunk permitting): bounds the claims per call.</summary>
    public const int FinestSplit = 16;

    private const int Closed = int.MaxValue;

    /// <summary>
    /// Largest call run two-ended: the low 32 bits of the state then hold the front (low 16) and back (high 16) cursors,
    /// and a call never holds <see cref="Closed"/> (front 0xFFFF above back 0x7FFF) while open.
    /// </summary>
    internal const int TwoEndedMax = 0x7FFE;

    private readonly Thread[] _workers;
    private readonly object _gate = new();
    private readonly Dictionary<Type, object> _holders = new();
    private readonly SemaphoreSlim _start;

    // Published before _state for each call (generation); read by workers only after a matching _state.
    private IWork? _work;
    private int _minChunk;
    private int _n;
    private bool _twoEnded;

    // High 32 bits: generation; low 32: first item not yet claimed (Closed once the call is complete).
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
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void For<T>(int n, T body, int minChunk = 1) where T : struct, IParallelBody
    {
        minChunk = Math.Max(1, minChunk);
        int pieces = Math.Max(1, n / minChunk);
        if (Threads <= 1 || pieces <= 1 || !Monitor.TryEnter(_gate))
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
            _minChunk = Math.Max(minChunk, n / (FinestSplit * Threads));
            bool twoEnded = TwoEnded && n <= TwoEndedMax;
            _twoEnded = twoEnded;
            _completed = 0;
            long gen = (Volatile.Read(ref _state) >> 32) + 1;
            long open = twoEnded ? (gen << 32) | ((long)n << 16) : gen << 32;
            Interlocked.Exchange(ref _state, open); // publishes the fields above; full fence before reading _sleepers
            // Spinning workers pick the call up from _state; only blocked ones need a wake-up.
            int sleepers = Volatile.Read(ref _sleepers);
            if (sleepers > 0) _start.Release(Math.Min(sleepers, pieces - 1));
            if (twoEnded) DrainEnd(open, holder, _minChunk, fromBack: false);
            else Drain(gen << 32, holder, n, _minChunk);
            // Chunks still running on workers: the last claims are the smallest (guided), so this wait is short.
            var spin = new SpinWait();
            while (Volatile.Read(ref _completed) < n) spin.SpinOnce(sleep1Threshold: -1);
            Volatile.Write(ref _state, (gen << 32) | Closed);
            holder.Body = default;
            if (Interlocked.Exchange(ref _error, null) is Exception e) throw new PaddleNetException($"a kernel failed on an intra-op thread: {e.Message}", e);
        }
        finally
        {
            Monitor.Exit(_gate);
        }
    }

    /// <summary>
    /// Guided chunk starting at <paramref name="next"/>: 1/(2·Threads) of the items left, at least <paramref name="floor"/>
    /// (a pure function of its arguments, so every thread cuts the same chunks).
    /// </summary>
    private int ChunkEnd(int next, int n, int floor)
    {
        int left = n - next;
        int size = Math.Max(floor, (int)(((long)left + 2 * Threads - 1) / (2 * Threads)));
        // A remainder smaller than the floor joins this chunk rather than run alone.
        return left - size < floor ? n : next + size;
    }

    /// <summary>
    /// How much longer than a perfect split the slowest of <paramref name="threads"/> threads runs when <paramref name="items"/>
    /// equal items are shared whole: ⌈items/threads⌉·threads/items − 1 (0 when they divide evenly). Kernels compare two axes with it.
    /// </summary>
    public static double SplitLoss(int items, int threads) =>
        items <= 0 || threads <= 1 ? 0 : (double)((items + threads - 1) / threads * threads) / items - 1;

    /// <summary>Claims and runs chunks of the call identified by <paramref name="snapshot"/>'s generation until none are left.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Drain(long snapshot, IWork work, int n, int floor)
    {
        long s = snapshot;
        while (true)
        {
            int next = (int)(s & 0xFFFFFFFF);
            if (next >= n) return;
            int end = ChunkEnd(next, n, floor);
            long seen = Interlocked.CompareExchange(ref _state, (s & ~0xFFFFFFFFL) | (uint)end, s);
            if (seen != s)
            {
                // Another thread claimed; retry on the same generation only.
                if ((seen >> 32) != (snapshot >> 32)) return;
                s = seen;
                continue;
            }
            RunChunk(work, next, end);
            s = (s & ~0xFFFFFFFFL) | (uint)end;
        }
    }

    /// <summary>Whether 2-thread calls run two-ended (the caller from the front, the worker from the back); off only to measure the single-cursor split (PADDLENET_POOL_FRONT_ONLY=1).</summary>
    private bool TwoEnded => Threads == 2 && !s_frontOnly;

    private static readonly bool s_frontOnly = Environment.GetEnvironmentVariable("PADDLENET_POOL_FRONT_ONLY") == "1";

    /// <summary>
    /// Two-ended claims on the call <paramref name="snapshot"/> opened: the front thread takes guided chunks from the front
    /// cursor up, the back thread from the back cursor down (chunks cut by <see cref="ChunkEnd"/> over what lies between),
    /// until the cursors meet.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void DrainEnd(long snapshot, IWork work, int floor, bool fromBack)
    {
        long s = snapshot;
        long gen = snapshot & ~0xFFFFFFFFL;
        while (true)
        {
            int low = (int)(s & 0xFFFFFFFF);
            if (low == Closed) return;
            int front = low & 0xFFFF, back = low >> 16;
            if (front >= back) return;
            int size = ChunkEnd(front, back, floor) - front;
            int start = fromBack ? back - size : front, end = start + size;
            long next = gen | (fromBack ? ((long)start << 16) | (uint)front : ((long)back << 16) | (uint)end);
            long seen = Interlocked.CompareExchange(ref _state, next, s);
            if (seen != s)
            {
                if ((seen & ~0xFFFFFFFFL) != gen) return;
                s = seen;
                continue;
            }
            RunChunk(work, start, end);
            s = next;
        }
    }

    /// <summary>Runs one claimed chunk: the first error of the call is kept for the caller, and the chunk counts as completed either way.</summary>
    private void RunChunk(IWork work, int start, int end)
    {
        try
        {
            work.Run(start, end);
        }
        catch (Exception e)
        {
            Interlocked.CompareExchange(ref _error, e, null);
        }
        Interlocked.Add(ref _completed, end - start);
    }

    /// <summary>How long an idle worker polls for the next call before blocking (consecutive ops of one run follow within microseconds).</summary>
    private static readonly long SpinTicks = System.Diagnostics.Stopwatch.Frequency / 5000; // 200 µs

    /// <summary>A gap this long between two polls (a poll takes well under 1 µs) means the thread was descheduled.</summary>
    private static readonly long PreemptedTicks = System.Diagnostics.Stopwatch.Frequency / 20000; // 50 µs

    private int _sleepers;

    /// <summary>True when <paramref name="s"/> is an open call newer than <paramref name="lastGen"/>.</summary>
    private static bool IsNew(long s, long lastGen) => (int)(s & 0xFFFFFFFF) != Closed && (s >> 32) != lastGen;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void WorkerLoop()
    {
        long lastGen = -1;
        while (true)
        {
            long snapshot = Volatile.Read(ref _state);
            if (!IsNew(snapshot, lastGen))
            {
                long last = System.Diagnostics.Stopwatch.GetTimestamp(), until = last + SpinTicks;
                while (!IsNew(snapshot = Volatile.Read(ref _state), lastGen) && !_disposed)
                {
                    Thread.SpinWait(16);
                    long now = System.Diagnostics.Stopwatch.GetTimestamp();
                    // Time this thread was preempted (a busy machine) is not spinning: it does not use up the window, else a
                    // worker descheduled mid-spin would park at once and the next call would pay a wake-up.
                    if (now - last > PreemptedTicks) until += now - last;
                    last = now;
                    if (now >= until) break;
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
            int n = _n, floor = _minChunk;
            bool twoEnded = _twoEnded;
            if (work is null) continue;
            if (twoEnded) DrainEnd(snapshot, work, floor, fromBack: true);
            else Drain(snapshot, work, n, floor);
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

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Run(int start, int end) => Body.Run(start, end);
    }
}
