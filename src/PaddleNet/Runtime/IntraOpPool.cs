namespace PaddleNet.Runtime;

/// <summary>Work split into contiguous ranges [start, end) by <see cref="IntraOpPool.For{T}"/>.</summary>
internal interface IParallelBody
{
    void Run(int start, int end);
}

/// <summary>
/// The session's own intra-op thread pool: N−1 dedicated workers plus the calling thread. Work is
/// split statically into contiguous chunks (deterministic results for any thread count, no
/// reduction split across threads). When another run holds the pool, work runs inline.
/// Allocation-free after the first call for each body type.
/// </summary>
internal sealed class IntraOpPool : IDisposable
{
    private readonly Thread[] _workers;
    private readonly object _gate = new();
    private readonly Dictionary<Type, object> _holders = new();
    private readonly SemaphoreSlim _start;
    private readonly CountdownEvent _done = new(1);
    private volatile IWork? _work;
    private int _chunks;
    private int _n;
    private volatile bool _disposed;

    public IntraOpPool(int threads)
    {
        Threads = Math.Max(1, threads);
        _start = new SemaphoreSlim(0);
        _workers = new Thread[Threads - 1];
        for (int i = 0; i < _workers.Length; i++)
        {
            int index = i + 1;
            _workers[i] = new Thread(() => WorkerLoop(index)) { IsBackground = true, Name = $"paddlenet-intraop-{index}" };
            _workers[i].Start();
        }
    }

    public int Threads { get; }

    /// <summary>Runs <paramref name="body"/> over [0, n) split into at most <see cref="Threads"/> contiguous chunks.</summary>
    public void For<T>(int n, T body, int minChunk = 1) where T : struct, IParallelBody
    {
        int chunks = Math.Min(Threads, Math.Max(1, n / Math.Max(1, minChunk)));
        if (chunks <= 1 || !Monitor.TryEnter(_gate))
        {
            body.Run(0, n);
            return;
        }
        try
        {
            if (!_holders.TryGetValue(typeof(T), out var h)) _holders[typeof(T)] = h = new Holder<T>();
            var holder = (Holder<T>)h;
            holder.Body = body;
            _n = n;
            _chunks = chunks;
            _work = holder;
            _done.Reset(chunks - 1);
            // Reset by the caller, before any worker can take a chunk: every worker of the previous
            // job has already taken its chunk (we waited for all of them), so no stale increment follows.
            _taken = 0;
            _start.Release(chunks - 1);
            Exception? callerError = null;
            try
            {
                RunChunk(holder, 0, chunks, n);
            }
            catch (Exception e)
            {
                callerError = e;
            }
            // Always wait: workers must be done with this job before the next one reuses the fields.
            _done.Wait();
            _work = null;
            holder.Body = default;
            var workerError = Interlocked.Exchange(ref _error, null);
            if (callerError is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(callerError);
            if (workerError is not null) throw new PaddleNetException($"a kernel failed on an intra-op thread: {workerError.Message}", workerError);
        }
        finally
        {
            Monitor.Exit(_gate);
        }
    }

    private static void RunChunk(IWork work, int index, int chunks, int n)
    {
        long start = (long)n * index / chunks;
        long end = (long)n * (index + 1) / chunks;
        if (end > start) work.Run((int)start, (int)end);
    }

    private void WorkerLoop(int index)
    {
        while (true)
        {
            _start.Wait();
            if (_disposed) return;
            var work = _work!;
            // Workers take chunk numbers 1.._chunks-1 in arrival order.
            int chunk = Interlocked.Increment(ref _taken);
            try
            {
                RunChunk(work, chunk, _chunks, _n);
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref _error, e, null);
            }
            finally
            {
                _done.Signal();
            }
        }
    }

    private int _taken;
    private Exception? _error;

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        if (_workers.Length > 0) _start.Release(_workers.Length);
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
