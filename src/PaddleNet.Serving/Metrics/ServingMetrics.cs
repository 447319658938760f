using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace PaddleNet.Serving.Metrics;

/// <summary>
/// The server's Prometheus metrics (one instance per server): requests by protocol/model/outcome, request
/// latency, batch sizes, inference time and queue depth. Rendered as text format 0.0.4 at <c>/metrics</c>.
/// </summary>
public sealed class ServingMetrics
{
    private static readonly double[] LatencyBounds = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
    private static readonly double[] BatchBounds = [1, 2, 4, 8, 16, 32, 64, 128];

    private readonly ConcurrentDictionary<(string Protocol, string Model, string Outcome), long[]> _requests = new();
    private readonly ConcurrentDictionary<(string Protocol, string Model), Histogram> _latency = new();
    private readonly ConcurrentDictionary<string, Histogram> _batchSizes = new();
    private readonly ConcurrentDictionary<string, Histogram> _inference = new();
    private readonly ConcurrentDictionary<string, Func<int>> _queueDepth = new();
    private readonly ConcurrentDictionary<string, long[]> _cancelledBatches = new();
    private readonly ConcurrentDictionary<string, Func<int>> _running = new();
    private long _activity;
    private long _inFlight;
    private long _trims;

    /// <summary>Counts a request; a model name that is not served is recorded as <c>_unknown</c> (clients choose names).</summary>
    public void ObserveRequest(string protocol, string model, string outcome, TimeSpan elapsed)
    {
        if (!_queueDepth.ContainsKey(model)) model = "_unknown";
        Interlocked.Increment(ref _requests.GetOrAdd((protocol, model, outcome), _ => new long[1])[0]);
        _latency.GetOrAdd((protocol, model), _ => new Histogram(LatencyBounds)).Observe(elapsed.TotalSeconds);
    }

    /// <summary>Records one executed batch of <paramref name="model"/>: its size and how long it ran.</summary>
    public void ObserveBatch(string model, int size, TimeSpan elapsed)
    {
        _batchSizes.GetOrAdd(model, _ => new Histogram(BatchBounds)).Observe(size);
        _inference.GetOrAdd(model, _ => new Histogram(LatencyBounds)).Observe(elapsed.TotalSeconds);
    }

    /// <summary>Starts and ends of requests other than probes and metrics scrapes, refused ones included (the idle
    /// trimmer watches it change).</summary>
    internal long Activity => Interlocked.Read(ref _activity);

    /// <summary>Counts one request towards <see cref="Activity"/> and holds it in flight until <see cref="EndRequest"/>.</summary>
    internal void MarkActivity()
    {
        Interlocked.Increment(ref _inFlight);
        Interlocked.Increment(ref _activity);
    }

    /// <summary>A request counted by <see cref="MarkActivity"/> has been answered (its end is activity too).</summary>
    internal void EndRequest()
    {
        Interlocked.Decrement(ref _inFlight);
        Interlocked.Increment(ref _activity);
    }

    /// <summary>Requests received and not yet answered: the idle trimmer never runs while one is.</summary>
    internal long InFlight => Interlocked.Read(ref _inFlight);

    /// <summary>Counts one idle-time memory trim.</summary>
    internal void ObserveTrim() => Interlocked.Increment(ref _trims);

    /// <summary>Counts a batch stopped mid-run because every request waiting for it was abandoned.</summary>
    internal void ObserveCancelledBatch(string model) => Interlocked.Increment(ref _cancelledBatches.GetOrAdd(model, _ => new long[1])[0]);

    /// <summary>Reports <paramref name="depth"/> as the queue-depth gauge of <paramref name="model"/>.</summary>
    public void TrackQueue(string model, Func<int> depth) => _queueDepth[model] = depth;

    /// <summary>Reports <paramref name="running"/> (inputs in the model's running batches) as a gauge.</summary>
    internal void TrackRunning(string model, Func<int> running) => _running[model] = running;

    /// <summary>Total requests seen for a protocol/outcome (tests and the load report read this).</summary>
    public long RequestCount(string protocol, string outcome) =>
        _requests.Where(kv => kv.Key.Protocol == protocol && kv.Key.Outcome == outcome).Sum(kv => Interlocked.Read(ref kv.Value[0]));

    /// <summary>The metrics in Prometheus text format 0.0.4.</summary>
    public string Render()
    {
        var sb = new StringBuilder();
        sb.Append("# HELP paddlenet_requests_total Requests by protocol, model and outcome.\n# TYPE paddlenet_requests_total counter\n");
        foreach (var (k, v) in _requests.OrderBy(kv => kv.Key))
        {
            sb.Append("paddlenet_requests_total{protocol=\"").Append(Esc(k.Protocol)).Append("\",model=\"").Append(Esc(k.Model))
                .Append("\",outcome=\"").Append(Esc(k.Outcome)).Append("\"} ").Append(Interlocked.Read(ref v[0])).Append('\n');
        }
        WriteHistograms(sb, "paddlenet_request_duration_seconds", "Request latency in seconds.",
            _latency.OrderBy(kv => kv.Key).Select(kv => ($"protocol=\"{Esc(kv.Key.Protocol)}\",model=\"{Esc(kv.Key.Model)}\"", kv.Value)));
        WriteHistograms(sb, "paddlenet_batch_size", "Inputs per executed batch.",
            _batchSizes.OrderBy(kv => kv.Key).Select(kv => ($"model=\"{Esc(kv.Key)}\"", kv.Value)));
        WriteHistograms(sb, "paddlenet_inference_duration_seconds", "Time to run one batch in seconds.",
            _inference.OrderBy(kv => kv.Key).Select(kv => ($"model=\"{Esc(kv.Key)}\"", kv.Value)));
        sb.Append("# HELP paddlenet_cancelled_batches_total Batches stopped mid-run because all their requests were abandoned.\n# TYPE paddlenet_cancelled_batches_total counter\n");
        foreach (var (model, v) in _cancelledBatches.OrderBy(kv => kv.Key))
        {
            sb.Append("paddlenet_cancelled_batches_total{model=\"").Append(Esc(model)).Append("\"} ").Append(Interlocked.Read(ref v[0])).Append('\n');
        }
        sb.Append("# HELP paddlenet_queue_depth Inputs waiting for a batch.\n# TYPE paddlenet_queue_depth gauge\n");
        foreach (var (model, depth) in _queueDepth.OrderBy(kv => kv.Key))
        {
            sb.Append("paddlenet_queue_depth{model=\"").Append(Esc(model)).Append("\"} ").Append(depth()).Append('\n');
        }
        sb.Append("# HELP paddlenet_running_inputs Inputs in batches running now.\n# TYPE paddlenet_running_inputs gauge\n");
        foreach (var (model, running) in _running.OrderBy(kv => kv.Key))
        {
            sb.Append("paddlenet_running_inputs{model=\"").Append(Esc(model)).Append("\"} ").Append(running()).Append('\n');
        }
        WriteMemory(sb);
        return sb.ToString();
    }

    // Where the process's memory is, for the soak's report (scripts/soak) and for operators: resident set, the GC's
    // heap (live + fragmentation) and what it has committed, and glibc malloc's in-use and free bytes (native:
    // OpenCV, the shim, the runtime itself).
    private void WriteMemory(StringBuilder sb)
    {
        var gc = GC.GetGCMemoryInfo();
        Gauge(sb, "process_resident_memory_bytes", "Resident set size in bytes.", Environment.WorkingSet);
        Gauge(sb, "paddlenet_gc_heap_bytes", "GC heap size after the last collection (live objects and fragmentation).", gc.HeapSizeBytes);
        Gauge(sb, "paddlenet_gc_fragmented_bytes", "Free space inside the GC heap after the last collection.", gc.FragmentedBytes);
        Gauge(sb, "paddlenet_gc_committed_bytes", "Memory the GC has committed.", gc.TotalCommittedBytes);
        if (Hosting.NativeHeap.Info() is { } native)
        {
            Gauge(sb, "paddlenet_native_heap_in_use_bytes", "Bytes glibc malloc has handed out (arenas and mmapped blocks).", native.InUse);
            Gauge(sb, "paddlenet_native_heap_free_bytes", "Free bytes glibc malloc holds in its arenas.", native.Free);
        }
        sb.Append("# HELP paddlenet_memory_trims_total Idle-time memory trims (full GC and malloc_trim after a burst).\n# TYPE paddlenet_memory_trims_total counter\n");
        sb.Append("paddlenet_memory_trims_total ").Append(Interlocked.Read(ref _trims)).Append('\n');
    }

    private static void Gauge(StringBuilder sb, string name, string help, long value) =>
        sb.Append("# HELP ").Append(name).Append(' ').Append(help).Append("\n# TYPE ").Append(name).Append(" gauge\n").Append(name).Append(' ').Append(value).Append('\n');

    private static void WriteHistograms(StringBuilder sb, string name, string help, IEnumerable<(string Labels, Histogram H)> series)
    {
        sb.Append("# HELP ").Append(name).Append(' ').Append(help).Append("\n# TYPE ").Append(name).Append(" histogram\n");
        foreach (var (labels, h) in series)
        {
            var (buckets, sum, count) = h.Snapshot();
            foreach (var (bound, c) in buckets)
            {
                sb.Append(name).Append("_bucket{").Append(labels).Append(",le=\"").Append(Num(bound)).Append("\"} ").Append(c).Append('\n');
            }
            sb.Append(name).Append("_bucket{").Append(labels).Append(",le=\"+Inf\"} ").Append(count).Append('\n');
            sb.Append(name).Append("_sum{").Append(labels).Append("} ").Append(Num(sum)).Append('\n');
            sb.Append(name).Append("_count{").Append(labels).Append("} ").Append(count).Append('\n');
        }
    }

    private static string Num(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    private static string Esc(string s) => s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}
