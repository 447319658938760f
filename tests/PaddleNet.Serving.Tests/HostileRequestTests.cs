using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Grpc.Net.Client;
using PaddleNet.Serving.Protocols.Pipeline.Wire;

namespace PaddleNet.Serving.Tests;

/// <summary>A classifier and a detector behind the default limits (16 MiB bodies, 100 MP images).</summary>
public sealed class HostileServerFixture : ServerFixture
{
    protected override string Config => $"""
        host: 127.0.0.1
        http_port: 0
        grpc_port: 0
        models:
        {TestServer.ImagenetModel()}
          det:
            kind: detector
            config: {SharedData.PathOf("models/det/picodet_s_320_random/infer_cfg.yml")}
        """;
}

/// <summary>
/// What a client can send that is not a good request: decompression bombs, lying or broken headers, bodies over the
/// limit, a wrong method, a body trickled too slowly. Each gets its own 4xx with a short JSON error of our text
/// (nothing of OpenCV's), never a 500, and the server keeps serving.
/// </summary>
[Collection("timing")]
public sealed class HostileRequestTests : IClassFixture<HostileServerFixture>
{
    private readonly TestServer _s;

    public HostileRequestTests(HostileServerFixture fixture) => _s = fixture.Server;

    private static StringContent Json(byte[] image) =>
        new($"{{\"image\":\"{Convert.ToBase64String(image)}\"}}", Encoding.UTF8, "application/json");

    private static void AssertNoInternalText(string body)
    {
        foreach (string leak in new[] { "OpenCV", "cv::", "opencv", "imgcodecs", "PaddleNetNative", "Exception", "   at " })
        {
            Assert.DoesNotContain(leak, body, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("imagenet")]
    [InlineData("det")]
    public async Task PngBomb_Is400QuicklyWithShortJson(string model)
    {
        var clock = Stopwatch.StartNew();
        var r = await _s.Http.PostAsync($"/v1/models/{model}:predict", Json(HostileImages.Bomb));
        clock.Stop();

        string body = await r.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        Assert.Contains("max_image_pixels 100000000", JsonDocument.Parse(body).RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        AssertNoInternalText(body);
        Assert.True(clock.ElapsedMilliseconds < 5000, $"{clock.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task PngBomb_AsMultipartFile_Is400()
    {
        using var form = new MultipartFormDataContent { { new ByteArrayContent(HostileImages.Bomb), "image", "bomb.png" } };

        var r = await _s.Http.PostAsync("/v1/models/imagenet:predict", form);

        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        AssertNoInternalText(await r.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task PngBomb_OnEveryProtocol_NoServerError()
    {
        string b64 = Convert.ToBase64String(HostileImages.Bomb);
        var hub = await _s.Http.PostAsync("/predict/imagenet", new StringContent($"{{\"images\":[\"{b64}\"]}}", Encoding.UTF8, "application/json"));
        var pipeline = await _s.Http.PostAsync("/imagenet/prediction", new StringContent($"{{\"key\":[\"image\"],\"value\":[\"{b64}\"]}}"));
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{_s.Server.GrpcPort}", new GrpcChannelOptions { MaxSendMessageSize = null });
        var request = new Request { Name = "imagenet" };
        request.Key.Add("image");
        request.Value.Add(b64);
        var grpc = await new PipelineService.PipelineServiceClient(channel).inferenceAsync(request);

        Assert.True((int)hub.StatusCode < 500, $"hub {hub.StatusCode}");
        Assert.True((int)pipeline.StatusCode < 500, $"pipeline {pipeline.StatusCode}");
        AssertNoInternalText(await hub.Content.ReadAsStringAsync());
        AssertNoInternalText(await pipeline.Content.ReadAsStringAsync());
        Assert.NotEqual(0, grpc.ErrNo);
        Assert.NotEqual(13, grpc.ErrNo);
        AssertNoInternalText(grpc.ErrMsg);
    }

    /// <summary>Headers declaring sizes past OpenCV's own limit, broken headers, and 300 single-byte mutations of a
    /// real JPEG and PNG: each answer is 200 or 400, never a 500.</summary>
    [Fact]
    public async Task BrokenAndMutatedImages_Are200Or400_Never500()
    {
        byte[] jpeg = File.ReadAllBytes(SharedData.PathOf("models/images/scenes/dog.jpg"));
        byte[] png = File.ReadAllBytes(SharedData.PathOf("models/images/odd/rgba.png"));
        var inputs = new List<byte[]>
        {
            HostileImages.JpegDeclaring(65535, 65535),
            HostileImages.TiffDeclaring(uint.MaxValue, uint.MaxValue),
            HostileImages.TiffDeclaring(60000, 60000),
            HostileImages.Png(int.MaxValue, int.MaxValue, 2, [0x78, 0x9C, 3, 0, 0, 0, 0, 1]),
            HostileImages.Png(1, 1, 2, [1, 2, 3]),
            HostileImages.Png(0, 5, 2, []),
            "BM"u8.ToArray(),
            "P6\n99999999999999999999 2\n255\n"u8.ToArray(),
            new byte[] { 0xFF, 0xD8, 0xFF },
        };
        var random = new Random(17);
        for (int i = 0; i < 150; i++)
        {
            foreach (byte[] source in new[] { jpeg, png })
            {
                byte[] m = (byte[])source.Clone();
                int at = random.Next(Math.Min(m.Length, 400)); // the headers live in the first bytes
                m[at] = (byte)random.Next(256);
                inputs.Add(m);
            }
        }

        var statuses = new Dictionary<HttpStatusCode, int>();
        foreach (byte[] input in inputs)
        {
            var r = await _s.Http.PostAsync("/v1/models/imagenet:predict", Json(input));
            statuses[r.StatusCode] = statuses.GetValueOrDefault(r.StatusCode) + 1;
            if (r.StatusCode != HttpStatusCode.OK) AssertNoInternalText(await r.Content.ReadAsStringAsync());
        }

        Assert.All(statuses.Keys, s => Assert.True(s is HttpStatusCode.OK or HttpStatusCode.BadRequest, $"{s}: {statuses[s]} answers"));
        Assert.True(statuses.GetValueOrDefault(HttpStatusCode.BadRequest) >= 9);
    }

    /// <summary>A body declared over 16 MiB is answered 413 from its Content-Length, before a byte of it is read.</summary>
    [Fact]
    public async Task BodyOverDefaultLimit_Is413BeforeReading()
    {
        string answer = await RawAsync("POST /v1/models/imagenet:predict HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 17825792\r\n\r\n{\"image\":\"");

        Assert.StartsWith("HTTP/1.1 413", answer, StringComparison.Ordinal);
        Assert.Contains("16777216", answer, StringComparison.Ordinal);
    }

    /// <summary>Same without Content-Length (chunked): refused once 16 MiB have been read.</summary>
    [Fact]
    public async Task ChunkedBodyOverDefaultLimit_Is413()
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, _s.Server.HttpPort);
        var stream = client.GetStream();
        await stream.WriteAsync("POST /v1/models/imagenet:predict HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"u8.ToArray());
        var chunk = new byte[1 << 20];
        chunk.AsSpan().Fill((byte)'a');
        try
        {
            for (int i = 0; i < 17; i++)
            {
                await stream.WriteAsync("100000\r\n"u8.ToArray());
                await stream.WriteAsync(chunk);
                await stream.WriteAsync("\r\n"u8.ToArray());
            }
        }
        catch (IOException)
        {
            // the server answered and closed while the rest was still being sent
        }

        var buffer = new byte[8192];
        int n = await stream.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.StartsWith("HTTP/1.1 413", Encoding.ASCII.GetString(buffer, 0, n), StringComparison.Ordinal);
    }

    private async Task<string> RawAsync(string head)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, _s.Server.HttpPort);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        var buffer = new byte[8192];
        int n = await stream.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        return Encoding.ASCII.GetString(buffer, 0, n);
    }

    [Theory]
    [InlineData("/v1/models/imagenet:predict")]
    [InlineData("/imagenet/prediction")]
    [InlineData("/predict/imagenet")]
    public async Task WrongMethod_Is405WithAllow(string path)
    {
        var r = await _s.Http.GetAsync(path);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, r.StatusCode);
        Assert.Equal(["POST"], r.Content.Headers.Allow);
    }

    /// <summary>A body trickled below Kestrel's minimum data rate (240 B/s after a 5 s grace) gets 408, not 500.</summary>
    [Fact]
    public async Task TooSlowBody_Is408()
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, _s.Server.HttpPort);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(
            "POST /v1/models/imagenet:predict HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"));
        var answer = new StringBuilder();
        var buffer = new byte[4096];
        var reading = stream.ReadAsync(buffer).AsTask();
        for (int i = 0; i < 20 && !reading.IsCompleted; i++)
        {
            await Task.Delay(1000);
            try
            {
                await stream.WriteAsync("\"a"u8.ToArray());
            }
            catch (IOException)
            {
                break; // the server closed the connection after answering
            }
        }

        int n = await reading.WaitAsync(TimeSpan.FromSeconds(10));
        answer.Append(Encoding.ASCII.GetString(buffer, 0, n));

        Assert.StartsWith("HTTP/1.1 408", answer.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AfterHostileRequests_GoodImageStillClassified()
    {
        await _s.Http.PostAsync("/v1/models/imagenet:predict", Json(HostileImages.Bomb));
        byte[] jpeg = File.ReadAllBytes(SharedData.PathOf("models/images/scenes/dog.jpg"));

        var r = await _s.Http.PostAsync("/v1/models/imagenet:predict", Json(jpeg));

        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
    }
}
