using System.Diagnostics;
using System.Net;
using System.Text;
using Xunit.Abstractions;

namespace PaddleNet.Serving.Tests;

/// <summary>
/// A bounded load test on loopback: a fixed number of requests at fixed concurrency (and a wall-clock cap), once
/// with batching off (max_batch_size 1) and once on; reports throughput and p50/p99 and checks batching helps.
/// </summary>
public sealed class LoadTests
{
    private const int Requests = 240;
    private const int Concurrency = 16;
    private readonly ITestOutputHelper _output;

    public LoadTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public async Task Batching_RaisesThroughputOverBatchOne()
    {
        var one = await RunAsync(1, 0);
        var batched = await RunAsync(16, 2);
        string report = $"load (imagenet ShuffleNetV2, {Requests} requests, concurrency {Concurrency}, 1 worker, 1 thread):\n  batch 1:  {one}\n  batch 16: {batched}";
        _output.WriteLine(report);
        File.WriteAllText(Path.Combine(Path.GetTempPath(), "paddlenet-serving-load.txt"), report + "\n");
        Assert.True(batched.Throughput > one.Throughput * 1.05, report);
    }

    private async Task<LoadResult> RunAsync(int maxBatch, int delayMs)
    {
        await using var s = await TestServer.StartAsync($"""
            host: 127.0.0.1
            http_port: 0
            models:
            {TestServer.ImagenetModel(extra: $"    batching: {{max_batch_size: {maxBatch}, max_delay_ms: {delayMs}}}\n    limits: {{max_queue: 1000, timeout_ms: 120000}}")}
            """);
        string body = $"{{\"key\":[\"image\"],\"value\":[\"{Convert.ToBase64String(SharedData.ReadAllBytes("models/images/imagenet/ILSVRC2012_val_00000010.jpeg"))}\"]}}";
        await s.Http.PostAsync("/imagenet/prediction", new StringContent(body)); // warm-up
        var latencies = new double[Requests];
        int next = -1;
        using var cap = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Concurrency).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < Requests)
            {
                var t = Stopwatch.StartNew();
                var r = await s.Http.PostAsync("/imagenet/prediction", new StringContent(body), cap.Token);
                Assert.Equal(HttpStatusCode.OK, r.StatusCode);
                Assert.Contains("\"err_no\":0", await r.Content.ReadAsStringAsync(cap.Token));
                latencies[i] = t.Elapsed.TotalMilliseconds;
            }
        }));
        double seconds = clock.Elapsed.TotalSeconds;
        Array.Sort(latencies);
        return new LoadResult(Requests / seconds, latencies[Requests / 2], latencies[(int)(Requests * 0.99) - 1], seconds);
    }

    private sealed record LoadResult(double Throughput, double P50, double P99, double Seconds)
    {
        public override string ToString() => $"{Throughput:F1} req/s, p50 {P50:F0} ms, p99 {P99:F0} ms ({Seconds:F1} s)";
    }
}
