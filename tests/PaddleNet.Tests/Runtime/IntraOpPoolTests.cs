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
