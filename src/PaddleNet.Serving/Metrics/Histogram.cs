namespace PaddleNet.Serving.Metrics;

/// <summary>A Prometheus histogram: cumulative bucket counts, sum and count; thread-safe.</summary>
internal sealed class Histogram
{
    private readonly double[] _bounds;
    private readonly long[] _counts;
    private long _count;
    private double _sum;
    private readonly object _sumLock = new();

    public Histogram(double[] bounds)
    {
        _bounds = bounds;
        _counts = new long[bounds.Length];
    }

    public void Observe(double value)
    {
        for (int i = 0; i < _bounds.Length; i++)
        {
            if (value <= _bounds[i]) Interlocked.Increment(ref _counts[i]);
        }
        Interlocked.Increment(ref _count);
        lock (_sumLock) _sum += value;
    }

    public (IReadOnlyList<(double Bound, long Count)> Buckets, double Sum, long Count) Snapshot()
    {
        double sum;
        lock (_sumLock) sum = _sum;
        return (_bounds.Select((b, i) => (b, Interlocked.Read(ref _counts[i]))).ToArray(), sum, Interlocked.Read(ref _count));
    }
}
