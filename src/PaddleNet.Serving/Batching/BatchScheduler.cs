using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using PaddleNet.Serving.Config;
using PaddleNet.Serving.Metrics;
using PaddleNet.Serving.Models;

namespace PaddleNet.Serving.Batching;

/// <summary>
/// Dynamic batching for one model: requests put their inputs in a bounded queue (counted in inputs, so a
/// multi-image request is admitted whole or refused whole); <c>concurrency</c> workers each take the first waiting
/// input, gather more until the batch is full or <see cref="BatchingOptions.MaxDelay"/> has passed, and run the
/// batch. <see cref="Close"/> refuses new work and lets the workers drain the queue.
/// </summary>
internal sealed class BatchScheduler<TIn, TOut> : IAsyncDisposable
{
    private readonly string _model;
    private readonly BatchingOptions _batching;
    private readonly LimitOptions _limits;
    private readonly Func<IReadOnlyList<TIn>, IReadOnlyList<TOut>> _run;
    private readonly ServingMetrics _metrics;
    private readonly ILogger _logger;
    private readonly Channel<WorkItem<TIn, TOut>> _queue = Channel.CreateUnbounded<WorkItem<TIn, TOut>>();
    private readonly Task[] _workers;
    private int _depth;
    private volatile bool _closed;

    public BatchScheduler(string model, BatchingOptions batching, LimitOptions limits, int concurrency,
        Func<IReadOnlyList<TIn>, IReadOnlyList<TOut>> run, ServingMetrics metrics, ILogger logger)
    {
        _model = model;
        _batching = batching;
        _limits = limits;
        _run = run;
        _metrics = metrics;
        _logger = logger;
        _workers = Enumerable.Range(0, concurrency).Select(_ => Task.Run(WorkAsync)).ToArray();
    }

    public int Depth => Volatile.Read(ref _depth);

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
        var items = inputs.Select(i => new WorkItem<TIn, TOut>(i)).ToArray();
        foreach (var item in items)
        {
            if (!_queue.Writer.TryWrite(item))
            {
                foreach (var it in items) it.Completion.TrySetException(new ServerClosingException(_model));
                break;
            }
        }
        try
        {
            return await Task.WhenAll(items.Select(i => i.Completion.Task)).WaitAsync(_limits.Timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            foreach (var item in items) item.Completion.TrySetCanceled(CancellationToken.None);
            throw new RequestTimeoutException(_model, _limits.Timeout);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            foreach (var item in items) item.Completion.TrySetCanceled(cancellationToken);
            throw;
        }
    }

    /// <summary>Refuses new work; queued inputs are still run.</summary>
    public void Close()
    {
        _closed = true;
        _queue.Writer.TryComplete();
    }

    public async ValueTask DisposeAsync()
    {
        Close();
        await Task.WhenAll(_workers).ConfigureAwait(false);
    }

    // A rough hint: one batch time per full batch ahead, at least one second.
    private TimeSpan RetryAfter() => TimeSpan.FromSeconds(1);

    private async Task WorkAsync()
    {
        var reader = _queue.Reader;
        var batch = new List<WorkItem<TIn, TOut>>(_batching.MaxBatchSize);
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            if (!reader.TryRead(out var first)) continue;
            batch.Add(first);
            var gather = Stopwatch.StartNew();
            while (batch.Count < _batching.MaxBatchSize)
            {
                if (reader.TryRead(out var next))
                {
                    batch.Add(next);
                    continue;
                }
                var remaining = _batching.MaxDelay - gather.Elapsed;
                if (remaining <= TimeSpan.Zero) break;
                using var wait = new CancellationTokenSource(remaining);
                try
                {
                    if (!await reader.WaitToReadAsync(wait.Token).ConfigureAwait(false)) break;
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
            Interlocked.Add(ref _depth, -batch.Count);
            Run(batch);
        }
    }

    private void Run(List<WorkItem<TIn, TOut>> batch)
    {
        var live = batch.Where(w => !w.Abandoned).ToArray();
        if (live.Length == 0) return;
        var clock = Stopwatch.StartNew();
        try
        {
            var results = _run(live.Select(w => w.Input).ToArray());
            for (int i = 0; i < live.Length; i++) live[i].Completion.TrySetResult(results[i]);
        }
        catch (Exception e)
        {
            if (e is not InvalidInputException) _logger.LogError(e, "model {Model}: batch of {Count} failed", _model, live.Length);
            foreach (var w in live) w.Completion.TrySetException(e);
        }
        _metrics.ObserveBatch(_model, live.Length, clock.Elapsed);
    }
}
