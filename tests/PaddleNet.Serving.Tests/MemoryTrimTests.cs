using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace PaddleNet.Serving.Tests;

/// <summary>
/// The idle memory trim (MemoryTrimmer): after a burst of requests and <c>idle_trim_ms</c> without any, the server runs
/// one full GC and malloc_trim (counted in <c>paddlenet_memory_trims_total</c>); probes and scrapes do not count as
/// activity, so an idle server scraped by Prometheus is not trimmed again and again. <c>/metrics</c> reports where the
/// memory is (RSS, GC heap, native malloc).
/// </summary>
[Collection("timing")]
public sealed class MemoryTrimTests
{
    [Fact]
    public async Task AfterABurst_TrimsOnce_AndProbesDoNotCountAsActivity()
    {
        await using var s = await TestServer.StartAsync($"host: 127.0.0.1\nhttp_port: 0\nidle_trim_ms: 300\nmodels:\n{TestServer.DigitsModel()}\n");
        Assert.Equal(0, await MetricAsync(s, "paddlenet_memory_trims_total"));
        byte[] digit = File.ReadAllBytes(Path.Combine(SharedData.RepoRoot, "models", "digits", "images", "0_0036.png"));
        string body = $"{{\"image\":\"{Convert.ToBase64String(digit)}\"}}";
        for (int i = 0; i < 20; i++)
        {
            using var answer = await s.Http.PostAsync("/v1/models/digits:predict", new StringContent(body, Encoding.UTF8, "application/json"));
            Assert.Equal(System.Net.HttpStatusCode.OK, answer.StatusCode);
        }
        using (var refused = await s.Http.GetAsync("/v1/models/digits:predict")) Assert.Equal(System.Net.HttpStatusCode.MethodNotAllowed, refused.StatusCode);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (await MetricAsync(s, "paddlenet_memory_trims_total") < 1)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), "no trim 30 s after the burst");
            await Task.Delay(50);
        }

        // (A loaded machine can leave a gap of idle_trim_ms inside the burst: a trim then, and one after.)
        await Task.Delay(1000);
        double trims = await MetricAsync(s, "paddlenet_memory_trims_total");

        // Idle and only probed and scraped: no further trim.
        for (int i = 0; i < 10; i++)
        {
            await s.Http.GetStringAsync("/healthz");
            await Task.Delay(100);
        }
        Assert.Equal(trims, await MetricAsync(s, "paddlenet_memory_trims_total"));
        Assert.True(await MetricAsync(s, "process_resident_memory_bytes") > 10 << 20);
        Assert.True(await MetricAsync(s, "paddlenet_gc_heap_bytes") > 0);
        Assert.True(await MetricAsync(s, "paddlenet_native_heap_in_use_bytes") > 0); // glibc (CI's Linux)

        // Another request starts a new burst: trimmed again once it is over.
        using (var again = await s.Http.PostAsync("/v1/models/digits:predict", new StringContent(body, Encoding.UTF8, "application/json"))) Assert.Equal(System.Net.HttpStatusCode.OK, again.StatusCode);
        clock.Restart();
        while (await MetricAsync(s, "paddlenet_memory_trims_total") <= trims)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), "no second trim 30 s after the second burst");
            await Task.Delay(50);
        }
    }

    /// <summary>A request still in flight (here: its body arrives slowly) holds the trim off however long it takes: the
    /// trim's blocking GC must never pause an inference or an upload; once it is answered the trim follows.</summary>
    [Fact]
    public async Task RequestInFlight_HoldsTheTrimOff()
    {
        await using var s = await TestServer.StartAsync($"host: 127.0.0.1\nhttp_port: 0\nidle_trim_ms: 200\nmodels:\n{TestServer.DigitsModel()}\n");
        byte[] digit = File.ReadAllBytes(Path.Combine(SharedData.RepoRoot, "models", "digits", "images", "0_0036.png"));
        byte[] body = Encoding.UTF8.GetBytes($"{{\"image\":\"{Convert.ToBase64String(digit)}\"}}");
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var content = new SlowContent(body, release.Task);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        var post = s.Http.PostAsync("/v1/models/digits:predict", content);
        await content.HalfSent;
        await Task.Delay(1500); // 7× idle_trim_ms with the request in flight
        Assert.Equal(0, await MetricAsync(s, "paddlenet_memory_trims_total"));
        release.SetResult();
        using (var answer = await post) Assert.Equal(System.Net.HttpStatusCode.OK, answer.StatusCode);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (await MetricAsync(s, "paddlenet_memory_trims_total") < 1)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), "no trim 30 s after the request was answered");
            await Task.Delay(50);
        }
    }

    /// <summary>Sends the first half of a body, then waits for <paramref name="rest"/> before sending the other half.</summary>
    private sealed class SlowContent(byte[] body, Task rest) : HttpContent
    {
        private readonly TaskCompletionSource _half = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task HalfSent => _half.Task;

        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            int half = body.Length / 2;
            await stream.WriteAsync(body.AsMemory(0, half));
            await stream.FlushAsync();
            _half.SetResult();
            await rest;
            await stream.WriteAsync(body.AsMemory(half));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = body.Length;
            return true;
        }
    }

    private static async Task<double> MetricAsync(TestServer s, string name)
    {
        string text = await s.Http.GetStringAsync("/metrics");
        var m = Regex.Match(text, $"^{Regex.Escape(name)} (\\S+)$", RegexOptions.Multiline);
        Assert.True(m.Success, $"{name} is not in /metrics");
        return double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
    }
}
