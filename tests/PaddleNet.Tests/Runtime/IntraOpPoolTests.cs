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
    [InlineData(2, 7, 1)]
    [InlineData(2, 43, 2)]
    [InlineData(2, 1000, 1)]
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
