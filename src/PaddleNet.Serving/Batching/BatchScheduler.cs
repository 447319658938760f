using System.Diagnostics;
using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using PaddleNet.Serving.Config;
using PaddleNet.Serving.Metrics;
using PaddleNet.Serving.Models;

namespace PaddleNet.Serving.Batching;

/// <summary>
/// Dynamic batching for one model: requests put their (already preprocessed) inputs in a bounded queue (counted in
/// inputs, so a multi-image request is admitted whole or refused whole); <c>concurrency</c> workers, each on a
/// dedicated thread (a batch blocks its thread for the forward pass; the thread pool stays free for the requests),
/// take the first waiting input, take whatever else is queued at once, wait for more only while the batch is short
/// and <see cref="BatchingOptions.MaxDelay"/> has not passed, and run the batch. <see cref="Close"/> refuses new
/// work and lets the workers drain the queue. A request whose client goes away (its token is cancelled) is skipped
/// while queued; a running batch is cancelled (the token given to the run function) once every request in it has
/// gone (its client went away, or the model's timeout passed and it was answered 504), so the worker is free for the
/// next batch.
/// </summary>
internal sealed class BatchScheduler<TIn, TOut> : IAsyncDisposable
{
    private readonly string _model;
    private readonly BatchingOptions _batching;
    private readonly LimitOptions _limits;
    private readonly Func<IReadOnlyList<TIn>, CancellationToken, IReadOnlyList<TOut>> _run;
    private readonly ServingMetrics _metrics;
    private readonly ILogger _logger;
    private readonly BlockingCollection<WorkItem<TIn, TOut>> _queue = new(new ConcurrentQueue<WorkItem<TIn, TOut>>());
    private readonly Task[] _workers;
    private int _depth;
    private int _running;
    private volatile bool _closed;

    public BatchScheduler(string model, BatchingOptions batching, LimitOptions limits, int concurrency,
        Func<IReadOnlyList<TIn>, CancellationToken, IReadOnlyList<TOut>> run, ServingMetrics metrics, ILogger logger)
    {
        _model = model;
        _batching = batching;
        _limits = limits;
        _run = run;
        _metrics = metrics;
        _logger = logger;
        _workers = Enumerable.Range(0, concurrency).Select(i =>
        {
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            new Thread(() =>
            {
                try
                {
                    Work();
                }
                finally
                {
                    done.SetResult();
                }
            }) { IsBackground = true, Name = $"batch {model} #{i}" }.Start();
            return done.Task;
        }).ToArray();
    }

    public int Depth => Volatile.Read(ref _depth);

    /// <summary>Inputs in the batches running now.</summary>
    public int Running => Volatile.Read(ref _running);

    /// <summary>
    /// A cheap early refusal (closing, or the queue already too full for <paramref name="count"/> more inputs) so an
    /// overloaded server does not decode and preprocess images it would refuse; <see cref="SubmitAsync"/> checks again.
    /// </summary>
    public void ThrowIfRefused(int count)
    {
        if (_closed) throw new ServerClosingException(_model);
        int depth = Depth;
        if (depth + count > _limits.MaxQueue) throw new QueueFullException(_model, depth, RetryAfter());
    }

    /// <summary>Queues the inputs and waits for all their results (in order), within the model's timeout.</summary>
    public async Task<TOut[]> SubmitAsync(IReadOnlyList<TIn> inputs, CancellationToken cancellationToken)
    {
        if (inputs.Count == 0) return [];
        if (_closed) throw new ServerClosingException(_model);
        int depth = Interlocked.Add(ref _depth, inputs.Count);
        if (depth > _limits.MaxQueue)
        {
            Interlocked.Add(ref _depth, -inputs.Count);
            throw new QueueFullException(_model, depth - inputs.Count, RetryAfter());
        }
        // One token for the request's inputs, cancelled when its client goes away or its timeout passes: a running
        // batch is stopped once every request in it has given up either way. (Not disposed: a worker may still
        // register on it; it holds no timer or wait handle.)
        var gone = new CancellationTokenSource();
        using var onAbort = cancellationToken.UnsafeRegister(static g => ((CancellationTokenSource)g!).Cancel(), gone);
        var items = new WorkItem<TIn, TOut>[inputs.Count];
        for (int i = 0; i < items.Length; i++) items[i] = new WorkItem<TIn, TOut>(inputs[i], gone.Token);
        foreach (var item in items)
        {
            if (!TryAdd(item))
            {
                foreach (var it in items) it.Completion.TrySetException(new ServerClosingException(_model));
                break;
            }
        }
        try
        {
            if (items.Length == 1) return [await items[0].Completion.Task.WaitAsync(_limits.Timeout, cancellationToken).ConfigureAwait(false)];
            return await Task.WhenAll(Array.ConvertAll(items, i => i.Completion.Task)).WaitAsync(_limits.Timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            foreach (var item in items) item.Completion.TrySetCanceled(CancellationToken.None);
            gone.Cancel();
            throw new RequestTimeoutException(_model, _limits.Timeout);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            foreach (var item in items) item.Completion.TrySetCanceled(cancellationToken);
            // Also here: this catch can run inside the client token's callbacks, and leaving it disposes onAbort
            // before its own callback has run.
            gone.Cancel();
            throw;
        }
    }

    /// <summary>Refuses new work; queued inputs are still run.</summary>
    public void Close()
    {
        _closed = true;
        lock (_queue)
        {
            if (!_queue.IsAddingCompleted) _queue.CompleteAdding();
        }
    }

    public async ValueTask DisposeAsync()
    {
        Close();
        await Task.WhenAll(_workers).ConfigureAwait(false);
    }

    // A rough hint: one batch time per full batch ahead, at least one second.
    private TimeSpan RetryAfter() => TimeSpan.FromSeconds(1);

    private bool TryAdd(WorkItem<TIn, TOut> item)
    {
        lock (_queue)
        {
            if (_queue.IsAddingCompleted) return false;
            _queue.Add(item);
            return true;
        }
    }

    private void Work()
    {
        var batch = new List<WorkItem<TIn, TOut>>(_batching.MaxBatchSize);
        long delayTicks = (long)(_batching.MaxDelay.TotalSeconds * Stopwatch.Frequency);
        while (_queue.TryTake(out var first, Timeout.Infinite))
        {
            batch.Clear();
            batch.Add(first);
            long deadline = Stopwatch.GetTimestamp() + delayTicks;
            while (batch.Count < _batching.MaxBatchSize)
            {
                if (_queue.TryTake(out var next))
                {
                    batch.Add(next);
                    continue;
                }
                long remaining = deadline - Stopwatch.GetTimestamp();
                if (remaining <= 0 || _queue.IsCompleted) break;
                int ms = (int)Math.Max(1, remaining * 1000 / Stopwatch.Frequency);
                if (!_queue.TryTake(out next, ms)) break;
                batch.Add(next);
            }
            Interlocked.Add(ref _depth, -batch.Count);
            Run(batch);
        }
    }

    private void Run(List<WorkItem<TIn, TOut>> batch)
    {
        var live = batch.Where(w => !w.Abandoned).ToArray();
        if (live.Length == 0) return;
        var inputs = new TIn[live.Length];
        for (int i = 0; i < live.Length; i++) inputs[i] = live[i].Input;
        // The run stops (between operators) when the last request still waiting for this batch goes away.
        using var abandoned = new CancellationTokenSource();
        int waiting = live.Length;
        var registrations = new CancellationTokenRegistration[live.Length];
        for (int i = 0; i < live.Length; i++)
        {
            registrations[i] = live[i].RequestAborted.Register(() =>
            {
                if (Interlocked.Decrement(ref waiting) == 0) abandoned.Cancel();
            });
        }
        var clock = Stopwatch.StartNew();
        Interlocked.Add(ref _running, live.Length);
        IReadOnlyList<TOut>? results = null;
        Exception? failure = null;
        try
        {
            results = _run(inputs, abandoned.Token);
            if (results.Count != live.Length) throw new InvalidOperationException($"the model run returned {results.Count} results for {live.Length} inputs");
        }
        catch (OperationCanceledException) when (abandoned.IsCancellationRequested)
        {
            _logger.LogDebug("model {Model}: batch of {Count} cancelled after {Ms} ms: every request in it was abandoned", _model, live.Length, clock.ElapsedMilliseconds);
        }
        catch (Exception e)
        {
            if (e is not InvalidInputException) _logger.LogError(e, "model {Model}: batch of {Count} failed", _model, live.Length);
            failure = e;
        }
        finally
        {
            foreach (var r in registrations) r.Dispose();
            Interlocked.Add(ref _running, -live.Length);
        }
        // Metrics are settled before any request is answered, so a client that reads /metrics after its answer sees
        // its batch counted and no longer running.
        if (results is null && failure is null)
        {
            _metrics.ObserveCancelledBatch(_model);
            foreach (var w in live) w.Completion.TrySetCanceled(w.RequestAborted);   // already answered (timeout) or gone
            return;
        }
        _metrics.ObserveBatch(_model, live.Length, clock.Elapsed);
        for (int i = 0; i < live.Length; i++)
        {
            if (failure is null) live[i].Completion.TrySetResult(results![i]);
            else live[i].Completion.TrySetException(failure);
        }
    }
}
