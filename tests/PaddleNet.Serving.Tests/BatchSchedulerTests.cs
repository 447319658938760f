using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using PaddleNet.Serving.Batching;
using PaddleNet.Serving.Config;
using PaddleNet.Serving.Metrics;
using Xunit.Abstractions;

namespace PaddleNet.Serving.Tests;

/// <summary>The dynamic batcher on its own, with a batch function whose cost does not grow with the batch (as on an accelerator).</summary>
[Collection("timing")]
public sealed class BatchSchedulerTests
{
    private readonly ITestOutputHelper _output;

    public BatchSchedulerTests(ITestOutputHelper output) => _output = output;

    /// <summary>
    /// Up to three rounds, the first that shows it passes: the submitters are thread-pool continuations, and with the other
    /// test assemblies saturating both cores they can arrive one by one (a CI run measured batch 1 95/s, batch 16 100/s).
    /// </summary>
    [Fact]
    public async Task FixedCostBatches_RaiseThroughputOverBatchOne()
    {
        var seen = new List<string>();
        for (int round = 0; round < 3; round++)
        {
            var one = await ThroughputAsync(maxBatch: 1);
            var sixteen = await ThroughputAsync(maxBatch: 16);
            _output.WriteLine($"fixed 10 ms per batch, 96 inputs, 32 concurrent: batch 1 {one:F0}/s, batch 16 {sixteen:F0}/s");
            if (sixteen > 3 * one) return;
            seen.Add($"batch 1 {one:F0}/s, batch 16 {sixteen:F0}/s");
        }
        Assert.Fail(string.Join("; ", seen));
    }

    [Fact]
    public async Task ResultsGoBackToTheirOwnRequests_InOrder()
    {
        await using var scheduler = new BatchScheduler<int, int>("m", new BatchingOptions(4, TimeSpan.FromMilliseconds(5)), new LimitOptions(100, TimeSpan.FromSeconds(10), 10), 2,
            (inputs, _) => inputs.Select(i => i * 10).ToArray(), new ServingMetrics(), NullLogger.Instance);
        var results = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => scheduler.SubmitAsync([i, i + 1000], CancellationToken.None)));
        for (int i = 0; i < 40; i++) Assert.Equal([i * 10, (i + 1000) * 10], results[i]);
        Assert.Equal(0, scheduler.Depth);
    }

    [Fact]
    public async Task ClosedScheduler_RefusesButDrains()
    {
        var gate = new ManualResetEventSlim();
        var scheduler = new BatchScheduler<int, int>("m", new BatchingOptions(1, TimeSpan.Zero), new LimitOptions(100, TimeSpan.FromSeconds(10), 10), 1,
            (inputs, _) => { gate.Wait(); return inputs.ToArray(); }, new ServingMetrics(), NullLogger.Instance);
        var queued = Enumerable.Range(0, 3).Select(i => scheduler.SubmitAsync([i], CancellationToken.None)).ToArray();
        scheduler.Close();
        await Assert.ThrowsAsync<PaddleNet.Serving.Models.ServerClosingException>(() => scheduler.SubmitAsync([9], CancellationToken.None));
        gate.Set();
        Assert.Equal([[0], [1], [2]], await Task.WhenAll(queued));
        await scheduler.DisposeAsync();
    }

    private static async Task<double> ThroughputAsync(int maxBatch)
    {
        await using var scheduler = new BatchScheduler<int, int>("m", new BatchingOptions(maxBatch, TimeSpan.FromMilliseconds(2)), new LimitOptions(1000, TimeSpan.FromSeconds(30), 10), 1,
            (inputs, _) => { Thread.Sleep(10); return inputs.ToArray(); }, new ServingMetrics(), NullLogger.Instance);
        const int Inputs = 96;
        int next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, 32).Select(async _ =>
        {
            while (Interlocked.Increment(ref next) < Inputs) await scheduler.SubmitAsync([1], CancellationToken.None);
        }));
        return Inputs / clock.Elapsed.TotalSeconds;
    }
}
