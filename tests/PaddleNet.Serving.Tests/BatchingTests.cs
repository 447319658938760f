using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace PaddleNet.Serving.Tests;

/// <summary>Dynamic batching, the bounded queue (429 + Retry-After), timeouts and graceful shutdown, each on its own server.</summary>
[Collection("timing")]
public sealed class BatchingTests
{
    private static StringContent DigitJson() => new(
        $"{{\"image\":\"{Convert.ToBase64String(File.ReadAllBytes(Path.Combine(SharedData.RepoRoot, "models/digits/images/0_0036.png")))}\"}}",
        Encoding.UTF8, "application/json");

    private static string PipelineBody() =>
        $"{{\"key\":[\"image\"],\"value\":[\"{Convert.ToBase64String(File.ReadAllBytes(Path.Combine(SharedData.RepoRoot, "models/digits/images/0_0036.png")))}\"]}}";

    [Fact]
    public async Task ConcurrentRequests_ShareOneBatch()
    {
        await using var s = await TestServer.StartAsync($"""
            host: 127.0.0.1
            http_port: 0
            models:
            {TestServer.DigitsModel(extra: "    batching: {max_batch_size: 8, max_delay_ms: 300}")}
            """);
        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => s.Http.PostAsync("/v1/models/digits:predict", DigitJson())));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        string metrics = await s.Http.GetStringAsync("/metrics");
        long single = Bucket(metrics, "1");
        long count = Count(metrics);
        Assert.True(count < 8, $"8 requests ran as {count} batches ({single} of size 1)");
    }

    [Fact]
    public async Task FullQueue_Is429WithRetryAfter_InEveryProtocol()
    {
        await using var s = await TestServer.StartAsync($"""
            host: 127.0.0.1
            http_port: 0
            models:
            {TestServer.DigitsModel(extra: "    batching: {max_batch_size: 8, max_delay_ms: 4000}\n    limits: {max_queue: 1}")}
            """);
        var first = s.Http.PostAsync("/v1/models/digits:predict", DigitJson());
        await WaitForQueuedAsync(s); // the first image now waits in the worker's 4 s gathering window, holding the only queue slot

        var api = await s.Http.PostAsync("/v1/models/digits:predict", DigitJson());
        Assert.Equal((HttpStatusCode)429, api.StatusCode);
        Assert.Equal("1", api.Headers.GetValues("Retry-After").Single());
        Assert.Equal("application/problem+json", api.Content.Headers.ContentType!.MediaType);

        var pipeline = await s.Http.PostAsync("/digits/prediction", new StringContent(PipelineBody()));
        Assert.Equal((HttpStatusCode)429, pipeline.StatusCode);
        Assert.True(pipeline.Headers.Contains("Retry-After"));
        Assert.Equal(8, JsonDocument.Parse(await pipeline.Content.ReadAsStringAsync()).RootElement.GetProperty("code").GetInt32());

        var hub = await s.Http.PostAsync("/predict/digits", new StringContent($"{{\"images\":[\"{Convert.ToBase64String(File.ReadAllBytes(Path.Combine(SharedData.RepoRoot, "models/digits/images/0_0036.png")))}\"]}}", Encoding.UTF8, "application/json"));
        Assert.Equal((HttpStatusCode)429, hub.StatusCode);
        Assert.Equal("101", JsonDocument.Parse(await hub.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetString());

        Assert.Equal(HttpStatusCode.OK, (await first).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await s.Http.PostAsync("/v1/models/digits:predict", DigitJson())).StatusCode);
        Assert.Empty(s.Logs.AtLeast(LogLevel.Error));
    }

    [Fact]
    public async Task SlowerThanTheTimeout_Is504_And6000()
    {
        await using var s = await TestServer.StartAsync($"""
            host: 127.0.0.1
            http_port: 0
            models:
            {TestServer.DigitsModel(extra: "    batching: {max_batch_size: 8, max_delay_ms: 1000}\n    limits: {timeout_ms: 100}")}
            """);
        var api = await s.Http.PostAsync("/v1/models/digits:predict", DigitJson());
        Assert.Equal(HttpStatusCode.GatewayTimeout, api.StatusCode);
        var pipeline = JsonDocument.Parse(await (await s.Http.PostAsync("/digits/prediction", new StringContent(PipelineBody()))).Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(6000, pipeline.GetProperty("err_no").GetInt32());
    }

    [Fact]
    public async Task Shutdown_DrainsInFlightRequests()
    {
        var s = await TestServer.StartAsync($"""
            host: 127.0.0.1
            http_port: 0
            shutdown_timeout_s: 10
            models:
            {TestServer.DigitsModel(extra: "    batching: {max_batch_size: 8, max_delay_ms: 1500}")}
            """);
        var http = new HttpClient { BaseAddress = new Uri(s.BaseUrl) };
        var inFlight = http.PostAsync("/v1/models/digits:predict", DigitJson());
        await WaitForQueuedAsync(s);
        var stopping = s.DisposeAsync().AsTask();
        var response = await inFlight;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"class_ids\":[0]", await response.Content.ReadAsStringAsync());
        await stopping;
        await Assert.ThrowsAsync<HttpRequestException>(() => new HttpClient().GetAsync(s.BaseUrl + "/healthz"));
    }

    // Polls /metrics until the digits queue holds an image (the request is inside the server, waiting for its batch).
    private static async Task WaitForQueuedAsync(TestServer s)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!(await s.Http.GetStringAsync("/metrics")).Contains("paddlenet_queue_depth{model=\"digits\"} 1", StringComparison.Ordinal))
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), "the first request never reached the queue");
            await Task.Delay(10);
        }
    }

    private static long Bucket(string metrics, string le) => long.Parse(metrics.Split('\n')
        .First(l => l.StartsWith("paddlenet_batch_size_bucket{model=\"digits\",le=\"" + le + "\"}", StringComparison.Ordinal)).Split(' ')[1]);

    private static long Count(string metrics) => long.Parse(metrics.Split('\n')
        .First(l => l.StartsWith("paddlenet_batch_size_count{model=\"digits\"}", StringComparison.Ordinal)).Split(' ')[1]);
}
