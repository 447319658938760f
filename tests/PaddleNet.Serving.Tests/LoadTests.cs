using System.Diagnostics;
using System.Net;
using System.Text;
using Xunit.Abstractions;

namespace PaddleNet.Serving.Tests;

/// <summary>
/// A bounded load test on loopback: a fixed number of requests at fixed concurrency (and a wall-clock cap), once
/// with batching off (max_batch_size 1) and on (16, 2 ms); reports throughput and p50/p99 and checks batching helps.
/// </summary>
[Collection("timing")]
public sealed class LoadTests
{
    private const int Requests = 600;
    private const int Concurrency = 16;
    private readonly ITestOutputHelper _output;

    public LoadTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public async Task RealModel_BoundedLoad_AllAnsweredAndBatchesForm()
    {
        // Interleaved, best of two each: the machine is shared, so a single run can catch someone else's build.
        var runs = new List<(int Batch, LoadResult Result)>();
        foreach (int batch in new[] { 1, 16, 1, 16 }) runs.Add((batch, await RunAsync(batch, batch == 1 ? 0 : 2)));
        var one = runs.Where(r => r.Batch == 1).MaxBy(r => r.Result.Throughput).Result;
        var batched = runs.Where(r => r.Batch == 16).MaxBy(r => r.Result.Throughput).Result;
        string report = $"load (digits model, pipeline HTTP, {Requests} requests, concurrency {Concurrency}, 1 worker, 1 thread):\n  batch 1:  {one}\n  batch 16: {batched}";
        _output.WriteLine(report);
        File.WriteAllText(Path.Combine(Path.GetTempPath(), "paddlenet-serving-load.txt"), report + "\n");
        // Throughput is reported, not asserted: CI machines are shared and timings move with the load (the
        // speed comparison is a benchmark, see README). What must hold: every request answered (RunAsync asserts
        // each reply) and real batches form. The batcher's gain with a sublinear batch cost is asserted in
        // BatchSchedulerTests with a wide margin.
        Assert.True(batched.MeanBatch > 1.5, report);
        Assert.True(one.Throughput > 0 && batched.Throughput > 0, report);
    }

    private async Task<LoadResult> RunAsync(int maxBatch, int delayMs)
    {
        await using var s = await TestServer.StartAsync($"""
            host: 127.0.0.1
            http_port: 0
            models:
            {TestServer.DigitsModel(extra: $"    batching: {{max_batch_size: {maxBatch}, max_delay_ms: {delayMs}}}\n    limits: {{max_queue: 1000, timeout_ms: 120000}}")}
            """);
        string body = $"{{\"key\":[\"image\"],\"value\":[\"{Convert.ToBase64String(File.ReadAllBytes(Path.Combine(SharedData.RepoRoot, "models/digits/images/0_0036.png")))}\"]}}";
        await s.Http.PostAsync("/digits/prediction", new StringContent(body)); // warm-up
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
                var r = await s.Http.PostAsync("/digits/prediction", new StringContent(body), cap.Token);
                Assert.Equal(HttpStatusCode.OK, r.StatusCode);
                Assert.Contains("\"err_no\":0", await r.Content.ReadAsStringAsync(cap.Token));
                latencies[i] = t.Elapsed.TotalMilliseconds;
            }
        }));
        double seconds = clock.Elapsed.TotalSeconds;
        Array.Sort(latencies);
        var metrics = (await s.Http.GetStringAsync("/metrics")).Split('\n');
        double Value(string prefix) => double.Parse(metrics.First(l => l.StartsWith(prefix, StringComparison.Ordinal)).Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        double meanBatch = Value("paddlenet_batch_size_sum{model=\"digits\"}") / Value("paddlenet_batch_size_count{model=\"digits\"}");
        return new LoadResult(Requests / seconds, latencies[Requests / 2], latencies[(int)(Requests * 0.99) - 1], seconds, meanBatch);
    }

    private sealed record LoadResult(double Throughput, double P50, double P99, double Seconds, double MeanBatch)
    {
        public override string ToString() => $"{Throughput:F1} req/s, p50 {P50:F0} ms, p99 {P99:F0} ms, mean batch {MeanBatch:F1} ({Seconds:F1} s)";
    }
}
