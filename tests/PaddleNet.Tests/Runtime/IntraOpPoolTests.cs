using PaddleNet.Runtime;

namespace PaddleNet.Tests.Runtime;

public sealed class IntraOpPoolTests
{
    private struct MarkBody : IParallelBody
    {
        public int[] Hits;

        public readonly void Run(int start, int end)
        {
            for (int i = start; i < end; i++) Interlocked.Increment(ref Hits[i]);
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void For_ManyBackToBackJobs_CoversEveryIndexExactlyOnce(int threads)
    {
        using var pool = new IntraOpPool(threads);
        var rng = new Random(42);
        for (int job = 0; job < 5000; job++)
        {
            int n = rng.Next(0, 40);
            var hits = new int[n];
            pool.For(n, new MarkBody { Hits = hits });
            for (int i = 0; i < n; i++) Assert.True(hits[i] == 1, $"job {job}: index {i} of {n} ran {hits[i]} times");
        }
    }

    private struct RecordBody : IParallelBody
    {
        public System.Collections.Concurrent.ConcurrentBag<(int Start, int End)> Chunks;

        public readonly void Run(int start, int end) => Chunks.Add((start, end));
    }

    /// <summary>
    /// Guided chunks: contiguous, largest first (never more than ⌈left/(2·threads)⌉ or the floor), none below the floor
    /// (minChunk, or n/(FinestSplit·threads)) except that a remainder below it joins the last chunk.
    /// </summary>
    [Theory]
    [InlineData(3, 7, 1)]
    [InlineData(3, 43, 2)]
    [InlineData(3, 98, 4)]
    [InlineData(4, 100000, 100)]
    public void For_GuidedChunks_LargestFirstNeverBelowTheFloor(int threads, int n, int minChunk)
    {
        using var pool = new IntraOpPool(threads);
        var chunks = new System.Collections.Concurrent.ConcurrentBag<(int Start, int End)>();
        pool.For(n, new RecordBody { Chunks = chunks }, minChunk);
        var sorted = chunks.OrderBy(c => c.Start).ToArray();
        int floor = Math.Max(minChunk, n / (IntraOpPool.FinestSplit * threads));
        Assert.Equal(0, sorted[0].Start);
        Assert.Equal(n, sorted[^1].End);
        Assert.True(sorted.Length > 1, $"{n} items on {threads} threads ran as one chunk");
        for (int i = 0; i < sorted.Length; i++)
        {
            var (start, end) = sorted[i];
            if (i > 0) Assert.Equal(sorted[i - 1].End, start);
            int left = n - start, size = end - start;
            int guided = Math.Max(floor, (left + 2 * threads - 1) / (2 * threads));
            if (end < n) Assert.Equal(guided, size);
            else Assert.InRange(size, Math.Min(left, guided), guided + floor - 1);
            if (i > 0) Assert.True(size <= sorted[i - 1].End - sorted[i - 1].Start + floor, $"chunk {i} ({size}) larger than the one before");
        }
    }

    private struct OwnerBody : IParallelBody
    {
        public System.Collections.Concurrent.ConcurrentBag<(int Start, int End, int Worker)> Chunks;
        public int SpinMicroseconds;

        public readonly void Run(int start, int end)
        {
            Chunks.Add((start, end, IntraOpPool.CurrentWorker));
            // Work long enough per item that the worker joins before the caller has taken everything.
            long until = System.Diagnostics.Stopwatch.GetTimestamp() + System.Diagnostics.Stopwatch.Frequency / 1_000_000 * SpinMicroseconds * (end - start);
            while (System.Diagnostics.Stopwatch.GetTimestamp() < until) { }
        }
    }

    /// <summary>
    /// Two threads: the caller's chunks form a prefix [0, m) and the worker's the suffix [m, n), each claimed as guided
    /// chunks (⌈left/4⌉ of what lies between the cursors, never below the floor except the whole remainder), so every
    /// thread keeps one contiguous range; whoever arrives takes everything when the other does not (on a loaded machine
    /// the worker may take no chunk at all: the ranges' shape is what is checked, not that both threads ran).
    /// </summary>
    [Theory]
    [InlineData(7, 1)]
    [InlineData(43, 2)]
    [InlineData(1000, 1)]
    [InlineData(IntraOpPool.TwoEndedMax, 100)]
    public void For_TwoThreads_CallerTakesAPrefixWorkerTheSuffix(int n, int minChunk)
    {
        using var pool = new IntraOpPool(2);
        int floor = Math.Max(minChunk, n / (IntraOpPool.FinestSplit * 2));
        for (int round = 0; round < 20; round++)
        {
            var chunks = new System.Collections.Concurrent.ConcurrentBag<(int Start, int End, int Worker)>();
            pool.For(n, new OwnerBody { Chunks = chunks, SpinMicroseconds = n > 1000 ? 0 : 20 }, minChunk);
            var sorted = chunks.OrderBy(c => c.Start).ToArray();
            Assert.Equal(0, sorted[0].Start);
            Assert.Equal(n, sorted[^1].End);
            for (int i = 1; i < sorted.Length; i++) Assert.Equal(sorted[i - 1].End, sorted[i].Start);
            Assert.All(sorted, c => Assert.True(c.End - c.Start >= Math.Min(floor, n), $"chunk [{c.Start}, {c.End}) below the floor {floor}"));
            // Owners along [0, n): caller (0) first, then only the worker.
            int switches = sorted.Zip(sorted.Skip(1), (a, b) => a.Worker != b.Worker ? 1 : 0).Sum();
            Assert.True(switches == 0 || (switches == 1 && sorted[0].Worker == 0), $"owners along the range: {string.Join(",", sorted.Select(c => c.Worker))}");
            // Whichever thread claims first takes the guided share of the whole call from its end: the caller's first chunk
            // starts the range, the worker's ends it (a caller descheduled right after publishing can leave it all to the worker).
            var ends = new List<int>();
            if (sorted[0].Worker == 0) ends.Add(sorted[0].End - sorted[0].Start);
            if (sorted[^1].Worker == 1) ends.Add(sorted[^1].End - sorted[^1].Start);
            int firstClaim = ends.Max();
            int guided = Math.Max(floor, (n + 3) / 4);
            Assert.Equal(n - guided < floor ? n : guided, firstClaim);
        }
    }

    [Fact]
    public void For_TwoThreadsAboveTheTwoEndedLimit_CoversEveryIndexOnce()
    {
        using var pool = new IntraOpPool(2);
        foreach (int n in new[] { IntraOpPool.TwoEndedMax, IntraOpPool.TwoEndedMax + 1, 100_000 })
        {
            var hits = new int[n];
            pool.For(n, new MarkBody { Hits = hits });
            Assert.All(hits, h => Assert.Equal(1, h));
        }
    }

    [Theory]
    [InlineData(7, 2, 1.0 / 7)]    // 4:3
    [InlineData(8, 2, 0.0)]
    [InlineData(43, 2, 1.0 / 43)]  // 22:21
    [InlineData(5, 4, 3.0 / 5)]    // 2:1:1:1
    [InlineData(9, 1, 0.0)]
    public void SplitLoss_IsTheSlowestThreadsExcessOverAnEvenSplit(int items, int threads, double expected) =>
        Assert.Equal(expected, IntraOpPool.SplitLoss(items, threads), 12);

    private struct ThrowBody : IParallelBody
    {
        public readonly void Run(int start, int end)
        {
            if (start > 0) throw new InvalidOperationException("boom");
        }
    }

    [Fact]
    public void For_WorkerThrows_SurfacesAsPaddleNetExceptionAndPoolKeepsWorking()
    {
        using var pool = new IntraOpPool(2);
        var e = Assert.Throws<PaddleNetException>(() => pool.For(10, new ThrowBody()));
        Assert.Contains("boom", e.Message);
        var hits = new int[10];
        pool.For(10, new MarkBody { Hits = hits });
        Assert.All(hits, h => Assert.Equal(1, h));
    }

    private struct ThrowOnCallerBody : IParallelBody
    {
        public readonly void Run(int start, int end)
        {
            if (start == 0) throw new InvalidOperationException("caller chunk");
            Thread.Sleep(20); // a worker still busy when the caller's chunk fails
        }
    }

    [Fact]
    public void For_CallerChunkThrows_WaitsForWorkersThenRethrows()
    {
        using var pool = new IntraOpPool(2);
        var e = Assert.Throws<PaddleNetException>(() => pool.For(10, new ThrowOnCallerBody()));
        Assert.IsType<InvalidOperationException>(e.InnerException);
        var hits = new int[10];
        pool.For(10, new MarkBody { Hits = hits });
        Assert.All(hits, h => Assert.Equal(1, h));
    }

    [Fact]
    public void Dispose_SingleThreadPool_DoesNotThrow()
    {
        var pool = new IntraOpPool(1);
        pool.Dispose();
        pool.Dispose();
    }
}
