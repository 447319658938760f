using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace PaddleNet.Serving.Tests;

/// <summary>PaddleNet's /v1 API, health, metrics and OpenAPI.</summary>
[Collection("protocol server")]
public sealed class ApiTests
{
    private readonly TestServer _s;

    public ApiTests(ProtocolServerFixture fixture) => _s = fixture.Server;

    private static string Digit(string name) => Path.Combine(SharedData.RepoRoot, "models/digits/images", name);

    [Fact]
    public async Task Multipart_ClassifiesEveryFile_AsPredictDoes()
    {
        // models/digits/expected.stdout is predict_cls's output for these files.
        var expected = File.ReadAllLines(Path.Combine(SharedData.RepoRoot, "models/digits/expected.stdout"))
            .Select(l => l.Split(":\t")).ToDictionary(p => p[0], p => p[1]);
        var names = expected.Keys.Take(6).ToArray();
        using var form = new MultipartFormDataContent();
        foreach (var n in names) form.Add(new ByteArrayContent(File.ReadAllBytes(Digit(n))), "image", n);
        var r = await _s.Http.PostAsync("/v1/models/digits:predict", form);
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        var root = JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("digits", root.GetProperty("model").GetString());
        var results = root.GetProperty("results").EnumerateArray().ToArray();
        Assert.Equal(names.Length, results.Length);
        for (int i = 0; i < names.Length; i++)
        {
            int id = results[i].GetProperty("class_ids")[0].GetInt32();
            string label = results[i].GetProperty("label_names")[0].GetString()!;
            string score = PaddleNet.Pipeline.Output.PyFormat.Fixed(results[i].GetProperty("scores")[0].GetDouble(), 2);
            Assert.Equal($"class id(s): [{id}], score(s): [{score}], label_name(s): ['{label}']", expected[names[i]]);
        }
    }

    [Fact]
    public async Task Json_WithTopK()
    {
        string b64 = Convert.ToBase64String(SharedData.ReadAllBytes("models/images/imagenet/ILSVRC2012_val_00000010.jpeg"));
        var r = await _s.Http.PostAsync("/v1/models/imagenet:predict", new StringContent($"{{\"image\":\"{b64}\",\"top_k\":3}}", Encoding.UTF8, "application/json"));
        var result = JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement.GetProperty("results")[0];
        Assert.Equal("[153,204,332]", result.GetProperty("class_ids").GetRawText());
        Assert.Equal(0.74323, result.GetProperty("scores")[0].GetDouble());
    }

    [Theory]
    [InlineData("/v1/models/imagenet:predict", "application/json", "{\"image\":\"***\"}", 400)]
    [InlineData("/v1/models/imagenet:predict", "application/json", "{\"image\":\"aGVsbG8=\"}", 400)]
    [InlineData("/v1/models/imagenet:predict", "application/json", "[1,2]", 400)]
    [InlineData("/v1/models/imagenet:predict", "application/json", "not json", 400)]
    [InlineData("/v1/models/imagenet:predict", "application/json", "{}", 400)]
    [InlineData("/v1/models/imagenet:predict", "text/plain", "hello", 415)]
    [InlineData("/v1/models/nope:predict", "application/json", "{\"image\":\"aGVsbG8=\"}", 404)]
    public async Task Mistakes_AreProblemDetails(string path, string mediaType, string body, int status)
    {
        var r = await _s.Http.PostAsync(path, new StringContent(body, Encoding.UTF8, mediaType));
        Assert.Equal(status, (int)r.StatusCode);
        Assert.Equal("application/problem+json", r.Content.Headers.ContentType!.MediaType);
        var problem = JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("detail").GetString()));
        Assert.Empty(_s.Logs.AtLeast(LogLevel.Error));
    }

    [Fact]
    public async Task OversizedBody_Is413()
    {
        var content = new ByteArrayContent(new byte[3 * 1024 * 1024]);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/models/imagenet:predict") { Content = content };
        request.Headers.ExpectContinue = true;
        var r = await _s.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, r.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _s.Http.GetAsync("/healthz")).StatusCode);
    }

    [Fact]
    public async Task ModelsHealthMetricsOpenApi()
    {
        var models = JsonDocument.Parse(await _s.Http.GetStringAsync("/v1/models")).RootElement.GetProperty("models");
        Assert.Equal(["imagenet", "digits"], models.EnumerateArray().Select(m => m.GetProperty("name").GetString()));
        Assert.Equal(4, models[1].GetProperty("max_batch_size").GetInt32());
        Assert.Equal(5, models[0].GetProperty("default_top_k").GetInt32());
        Assert.Equal("ok\n", await _s.Http.GetStringAsync("/healthz"));
        Assert.Equal("ready\n", await _s.Http.GetStringAsync("/readyz"));

        await _s.Http.PostAsync("/v1/models/digits:predict", new StringContent($"{{\"image\":\"{Convert.ToBase64String(File.ReadAllBytes(Digit("0_0036.png")))}\"}}", Encoding.UTF8, "application/json"));
        var metrics = await _s.Http.GetAsync("/metrics");
        Assert.StartsWith("text/plain", metrics.Content.Headers.ContentType!.ToString());
        string text = await metrics.Content.ReadAsStringAsync();
        Assert.Contains("paddlenet_requests_total{protocol=\"api\",model=\"digits\",outcome=\"ok\"}", text);
        Assert.Contains("# TYPE paddlenet_request_duration_seconds histogram", text);
        Assert.Contains("paddlenet_request_duration_seconds_bucket{protocol=\"api\",model=\"digits\",le=\"+Inf\"}", text);
        Assert.Contains("paddlenet_batch_size_bucket{model=\"digits\",le=\"1\"}", text);
        Assert.Contains("paddlenet_queue_depth{model=\"imagenet\"} ", text);
        Assert.DoesNotContain("model=\"nope\"", text);

        var openapi = JsonDocument.Parse(await _s.Http.GetStringAsync("/openapi/v1.json")).RootElement;
        var paths = openapi.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/v1/models/{name}:predict", out var predict));
        Assert.True(predict.TryGetProperty("post", out var post));
        var bodyTypes = post.GetProperty("requestBody").GetProperty("content").EnumerateObject().Select(p => p.Name).ToArray();
        Assert.Equal(["application/json", "multipart/form-data"], bodyTypes);
        Assert.True(paths.TryGetProperty("/v1/models", out _));
        Assert.False(paths.TryGetProperty("/{name}/{method}", out _));
    }
}
