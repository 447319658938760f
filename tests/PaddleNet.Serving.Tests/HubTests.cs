using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace PaddleNet.Serving.Tests;

/// <summary>PaddleHub Serving 2.4.0 app_compat: envelope bytes, key order, status codes, both request forms.</summary>
[Collection("protocol server")]
public sealed class HubTests
{
    private readonly TestServer _s;

    public HubTests(ProtocolServerFixture fixture) => _s = fixture.Server;

    private Task<HttpResponseMessage> Post(string module, string json, string? mediaType = "application/json") =>
        _s.Http.PostAsync($"/predict/{module}", mediaType is null ? new ByteArrayContent(Encoding.UTF8.GetBytes(json)) : new StringContent(json, Encoding.UTF8, mediaType));

    [Fact]
    public async Task CapturedGenericRequest_ReturnsSortedEnvelopeWithTrailingNewline()
    {
        var r = await Post("imagenet", File.ReadAllText(SharedData.PathOf("serving/hub_request.json")));
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Equal("application/json", r.Content.Headers.ContentType!.MediaType);
        Assert.Equal("{\"msg\":\"\",\"results\":[{\"Maltese dog, Maltese terrier, Maltese\":{prob}}],\"status\":\"000\"}\n", PaddleTop1.Masked(await r.Content.ReadAsStringAsync(), "Maltese\":"));
    }

    [Fact]
    public async Task UnknownModule_IsTheCapturedErrorBytes()
    {
        var r = await Post("nope", "{}");
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Equal(File.ReadAllText(SharedData.PathOf("serving/hub_response_error_example.json")), await r.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ClasSystemFloatBatch_MatchesPaddlesReferenceOutput()
    {
        // The preprocessed 1×3×224×224 input Paddle itself ran, sent twice as a clas_system client would (N=2).
        var inputTensor = NpyFile.Read(SharedData.PathOf("models/cls/ShuffleNetV2_imagenet/reference/val_00000010.in.image.npy"));
        var output = NpyFile.Read(SharedData.PathOf("models/cls/ShuffleNetV2_imagenet/reference/val_00000010.out.0.npy")).AsSpan<float>().ToArray();
        Assert.Equal([1, 3, 224, 224], inputTensor.Shape.ToArray());
        var input = inputTensor.AsSpan<float>().ToArray();
        var batch = input.Concat(input).ToArray();
        var bytes = new byte[batch.Length * 4];
        Buffer.BlockCopy(batch, 0, bytes, 0, bytes.Length);
        string body = JsonSerializer.Serialize(new { images = Convert.ToBase64String(bytes), revert_params = new { shape = new[] { 2, 3, 224, 224 }, dtype = "float32" } });
        var r = await Post("imagenet", body);
        string text = await r.Content.ReadAsStringAsync();
        Assert.EndsWith("}\n", text);
        var root = JsonDocument.Parse(text).RootElement;
        Assert.Equal("000", root.GetProperty("status").GetString());
        Assert.Equal(["msg", "results", "status"], root.EnumerateObject().Select(p => p.Name));
        var results = root.GetProperty("results");
        Assert.Equal(["elapse", "prediction"], results.EnumerateObject().Select(p => p.Name));
        var prediction = results.GetProperty("prediction");
        Assert.Equal(2, prediction.GetArrayLength());
        var best = Enumerable.Range(0, output.Length).OrderByDescending(i => output[i]).Take(5).ToArray();
        foreach (var p in prediction.EnumerateArray())
        {
            Assert.Equal(["class_ids", "label_names", "scores"], p.EnumerateObject().Select(x => x.Name));
            Assert.Equal(best, p.GetProperty("class_ids").EnumerateArray().Select(e => e.GetInt32()));
            Assert.Equal("Maltese dog, Maltese terrier, Maltese", p.GetProperty("label_names")[0].GetString());
            var scores = p.GetProperty("scores").EnumerateArray().Select(e => e.GetDouble()).ToArray();
            for (int i = 0; i < 5; i++) Assert.Equal(Math.Round((double)output[best[i]], 5), scores[i], 4);
        }
    }

    [Fact]
    public async Task Mistakes_GetFlask3Answers_AndServerKeepsServing()
    {
        var noType = await Post("imagenet", "{\"images\": []}", mediaType: null);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, noType.StatusCode);
        Assert.Contains("415 Unsupported Media Type", await noType.Content.ReadAsStringAsync());

        var badJson = await Post("imagenet", "{nope");
        Assert.Equal(HttpStatusCode.BadRequest, badJson.StatusCode);

        foreach (var (json, msg) in new[]
        {
            ("{\"images\": [\"aGVsbG8=\"], \"top_k\": 1, \"extra\": 1}", "serving_method() got an unexpected keyword argument 'extra'"),
            ("{\"pics\": []}", "serving_method() got an unexpected keyword argument 'pics'"),
            ("{}", "serving_method() missing 1 required positional argument: 'images'"),
            ("{\"images\": [\"aGVsbG8=\"]}", "image 0: not a decodable image"),
            ("{\"images\": [\"aGVsbG8\"]}", "Incorrect padding"),
            ("[1]", "argument after ** must be a mapping, not list"),
            (File.ReadAllText(SharedData.PathOf("serving/hub_request_clas_system.json")), "does not fit the model input"),
        })
        {
            var r = await Post("imagenet", json);
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            var root = JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal("101", root.GetProperty("status").GetString());
            Assert.Contains(msg, root.GetProperty("msg").GetString());
            Assert.Equal("", root.GetProperty("results").GetString());
        }
        var hugeRequest = new HttpRequestMessage(HttpMethod.Post, "/predict/imagenet")
        {
            Content = new StringContent("{\"images\": [\"" + new string('A', 3 * 1024 * 1024) + "\"]}", Encoding.UTF8, "application/json"),
        };
        hugeRequest.Headers.ExpectContinue = true;
        var huge = await _s.Http.SendAsync(hugeRequest);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.StatusCode);
        Assert.Empty(_s.Logs.AtLeast(LogLevel.Error));
        await CapturedGenericRequest_ReturnsSortedEnvelopeWithTrailingNewline();
    }

}
