using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.Logging.Abstractions;
using PaddleNet.Serving.Batching;
using PaddleNet.Serving.Config;
using PaddleNet.Serving.Metrics;
using PaddleNet.Serving.Protocols.Pipeline.Wire;

namespace PaddleNet.Serving.Tests;

/// <summary>
/// Abandoned requests free the worker: a client that gives up (HTTP disconnect, gRPC cancellation) while its batch
/// runs has the run cancelled between operators (RunOptions.CancellationToken), and the next request is served.
/// </summary>
[Collection("timing")]
public sealed class CancellationTests
{
    // One request of this many ImageNet images is one ShuffleNetV2 forward pass on one thread: long enough (about a
    // second on a quiet machine) to be seen running and cancelled mid-run.
    private const int Images = 96;

    private static string Yaml => $"""
        host: 127.0.0.1
        http_port: 0
        grpc_port: 0
        max_request_bytes: 67108864
        models:
        {TestServer.ImagenetModel(extra: $"    threads: 1\n    concurrency: 1\n    batching: {{max_batch_size: {Images}, max_delay_ms: 1000}}\n    limits: {{max_queue: 256, timeout_ms: 600000, max_images_per_request: {Images}}}")}
        """;

    private static byte[] Photo => SharedData.ReadAllBytes("models/images/imagenet/ILSVRC2012_val_00000010.jpeg");

    [Fact]
    public async Task HttpClientDisconnect_CancelsTheRunningBatch_AndFreesTheWorker()
    {
        await using var s = await TestServer.StartAsync(Yaml);
        string b64 = Convert.ToBase64String(Photo);
        string many = $"{{\"images\":[{string.Join(",", Enumerable.Repeat($"\"{b64}\"", Images))}]}}";
        var (abandoned, abandon, finished) = await StartRunningAsync(s, ct =>
            s.Http.PostAsync("/v1/models/imagenet:predict", new StringContent(many, Encoding.UTF8, "application/json"), ct));
        abandon.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned);

        await WaitForCancelledAsync(s);
        Assert.Equal(finished, await MetricAsync(s, "paddlenet_batch_size_count"));   // no batch of it finished

        // The worker is free: the next request is answered, and it is the only batch that ran to the end.
        var next = await s.Http.PostAsync("/v1/models/imagenet:predict", new StringContent($"{{\"image\":\"{b64}\"}}", Encoding.UTF8, "application/json"));
        Assert.Equal(System.Net.HttpStatusCode.OK, next.StatusCode);
        Assert.Equal(finished + 1, await MetricAsync(s, "paddlenet_batch_size_count"));
        Assert.Empty(s.Logs.AtLeast(Microsoft.Extensions.Logging.LogLevel.Error));
    }

    /// <summary>The model's timeout (timeout_ms) passing while the batch runs: the request is answered 504 and, as no
    /// other request waits on the batch, the run is cancelled instead of keeping the worker busy to the end.</summary>
    [Fact]
    public async Task ServerTimeout_AnswersGatewayTimeout_AndCancelsTheRunningBatch()
    {
        string yaml = Yaml.Replace("timeout_ms: 600000", "timeout_ms: 400", StringComparison.Ordinal);
        Assert.NotEqual(Yaml, yaml);
        await using var s = await TestServer.StartAsync(yaml);
        string b64 = Convert.ToBase64String(Photo);
        string many = $"{{\"images\":[{string.Join(",", Enumerable.Repeat($"\"{b64}\"", Images))}]}}";
        double finished = await MetricAsync(s, "paddlenet_batch_size_count");
        var clock = Stopwatch.StartNew();

        using var answer = await s.Http.PostAsync("/v1/models/imagenet:predict", new StringContent(many, Encoding.UTF8, "application/json"));

        Assert.Equal(System.Net.HttpStatusCode.GatewayTimeout, answer.StatusCode);
        await WaitForCancelledAsync(s);
        Assert.Equal(finished, await MetricAsync(s, "paddlenet_batch_size_count"));   // the batch did not run to the end
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"took {clock.Elapsed}");
        Assert.Empty(s.Logs.AtLeast(Microsoft.Extensions.Logging.LogLevel.Error));
    }

    [Fact]
    public async Task GrpcCallCancelled_CancelsTheRunningBatch()
    {
        await using var s = await TestServer.StartAsync(Yaml);
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{s.Server.GrpcPort}");
        var client = new PipelineService.PipelineServiceClient(channel);
        var request = new Request { Name = "imagenet" };
        string b64 = Convert.ToBase64String(Photo);
        for (int i = 0; i < Images; i++)
        {
            request.Key.Add($"image_{i}");
            request.Value.Add(b64);
        }
        var (call, abandon, finished) = await StartRunningAsync(s, ct => client.inferenceAsync(request, cancellationToken: ct).ResponseAsync);
        abandon.Cancel();
        var e = await Assert.ThrowsAsync<RpcException>(() => call);
        Assert.Equal(StatusCode.Cancelled, e.StatusCode);

        await WaitForCancelledAsync(s);
        Assert.Equal(finished, await MetricAsync(s, "paddlenet_batch_size_count"));
    }

    [Fact]
    public async Task BatchShared_IsCancelledOnlyWhenEveryRequestInItIsGone()
    {
        var started = new SemaphoreSlim(0);
        var metrics = new ServingMetrics();
        await using var scheduler = new BatchScheduler<int, int>("m", new BatchingOptions(2, TimeSpan.FromSeconds(5)), new LimitOptions(100, TimeSpan.FromMinutes(1), 10), 1,
            (inputs, abandoned) =>
            {
                started.Release();
                // Stands for a model run: returns when the batch is cancelled, or fails the test after 30 s.
                if (!abandoned.WaitHandle.WaitOne(TimeSpan.FromSeconds(30))) throw new TimeoutException("the batch was not cancelled");
                abandoned.ThrowIfCancellationRequested();
                return inputs.ToArray();
            },
            metrics, NullLogger.Instance);
        using var first = new CancellationTokenSource();
        using var second = new CancellationTokenSource();
        var a = scheduler.SubmitAsync([1], first.Token);
        var b = scheduler.SubmitAsync([2], second.Token);
        Assert.True(await started.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(2, scheduler.Running);

        first.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => a);
        await Task.Delay(200);
        Assert.Equal(2, scheduler.Running);   // the other request still waits: the batch goes on
        Assert.DoesNotContain("paddlenet_cancelled_batches_total{model=\"m\"}", metrics.Render());

        var clock = Stopwatch.StartNew();
        second.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => b);
        while (scheduler.Running != 0 && clock.Elapsed < TimeSpan.FromSeconds(30)) await Task.Delay(5);
        Assert.Equal(0, scheduler.Running);
        Assert.Contains("paddlenet_cancelled_batches_total{model=\"m\"} 1", metrics.Render());
    }

    /// <summary>
    /// Sends the big request and returns once its batch is seen running (with the token that abandons it and the
    /// batches finished before it). On a stalled machine the poll can miss a whole batch; that attempt is sent again.
    /// </summary>
    private static async Task<(Task<T> Request, CancellationTokenSource Abandon, double FinishedBefore)> StartRunningAsync<T>(TestServer s, Func<CancellationToken, Task<T>> send)
    {
        for (int attempt = 1; ; attempt++)
        {
            double finished = await MetricAsync(s, "paddlenet_batch_size_count");
            var abandon = new CancellationTokenSource();
            var request = send(abandon.Token);
            var clock = Stopwatch.StartNew();
            // The request's inputs are queued one by one: a batch may start before all are in, so any running input counts.
            while (await MetricAsync(s, "paddlenet_running_inputs") == 0)
            {
                if (request.IsCompleted) break;
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), "the request's batch was not seen running within 60 s");
                await Task.Delay(2);
            }
            if (!request.IsCompleted) return (request, abandon, finished);
            await request;   // it must at least have succeeded
            Assert.True(attempt < 3, "three batches ran to the end before the poll saw one running");
        }
    }

    /// <summary>Waits until a running batch was cancelled and nothing of the request is left running or queued.</summary>
    private static async Task WaitForCancelledAsync(TestServer s)
    {
        var clock = Stopwatch.StartNew();
        while (await MetricAsync(s, "paddlenet_cancelled_batches_total") < 1
               || await MetricAsync(s, "paddlenet_running_inputs") != 0
               || await MetricAsync(s, "paddlenet_queue_depth") != 0)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), "no cancelled batch, or inputs still running or queued, 60 s after the client gave up");
            await Task.Delay(5);
        }
    }

    private static async Task<double> MetricAsync(TestServer s, string name)
    {
        string text = await s.Http.GetStringAsync("/metrics");
        var m = Regex.Match(text, $"^{Regex.Escape(name)}\\{{model=\"imagenet\"\\}} (\\S+)$", RegexOptions.Multiline);
        return m.Success ? double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
    }
}
