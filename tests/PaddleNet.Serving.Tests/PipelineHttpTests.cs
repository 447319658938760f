using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using PaddleNet.Imaging;
using PaddleNet.Pipeline;
using PaddleNet.Pipeline.Config;

namespace PaddleNet.Serving.Tests;

/// <summary>Paddle Serving pipeline over HTTP, against the README's wire facts and the captured bytes.</summary>
[Collection("protocol server")]
public sealed class PipelineHttpTests
{
    private const string GoldenImage = "models/images/imagenet/ILSVRC2012_val_00000010.jpeg";
    private readonly TestServer _s;

    public PipelineHttpTests(ProtocolServerFixture fixture) => _s = fixture.Server;

    [Fact]
    public async Task CapturedClientRequest_IsAnsweredLikeTheGateway()
    {
        // The exact body bytes of the PaddleClas client (no Content-Type).
        var content = new ByteArrayContent(SharedData.ReadAllBytes("serving/http_pipeline_request.json"));
        var r = await _s.Http.PostAsync("/imagenet/prediction", content);
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Equal("application/json", r.Content.Headers.ContentType!.MediaType);
        string body = await r.Content.ReadAsStringAsync();
        Assert.Equal("{\"err_no\":0,\"err_msg\":\"\",\"key\":[\"label\",\"prob\"],\"value\":[\"['Maltese dog Maltese terrier Maltese']\",\"[{prob}]\"],\"tensors\":[]}", PaddleTop1.Masked(body, "\"["));

        // Same shape as the real gateway's golden: the five fields in order, compact, no trailing newline.
        string golden = File.ReadAllText(SharedData.PathOf("serving/http_pipeline_response_example.json"));
        Assert.Equal(FieldNames(golden), FieldNames(body));
        Assert.False(body.EndsWith('\n'));
    }

    [Fact]
    public async Task Prob_IsTheUnroundedFloat32MaxOfTheModelRow_AsPythonPrintsIt()
    {
        byte[] jpeg = SharedData.ReadAllBytes(GoldenImage);
        using var classifier = ImageClassifier.FromConfigFile(TestServer.ImagenetConfig, [
            $"Global.inference_model_dir='{Path.Combine(TestServer.SharedModels, "cls/ShuffleNetV2_imagenet")}'",
            $"PostProcess.Topk.class_id_map_file='{Path.Combine(TestServer.SharedModels, "labels/imagenet1k_label_list.txt")}'"]);
        var row = classifier.Predict([Image.Decode(jpeg)])[0];
        float max = row.Max();
        var expected = classifier.Classify(jpeg);
        var body = await PostJson("/imagenet/prediction", new { key = new[] { "image" }, value = new[] { Convert.ToBase64String(jpeg) } });
        Assert.Equal($"[{PyRepr.Float(max)}]", body.GetProperty("value")[1].GetString());
        Assert.Equal($"[{PyRepr.String(expected.TopLabel!.Replace(",", ""))}]", body.GetProperty("value")[0].GetString());
    }

    [Fact]
    public async Task OfficialPythonProbe_RunsUnchanged()
    {
        var (code, stdout, stderr) = await RunProbe($"{_s.BaseUrl}/imagenet/prediction");
        Assert.True(code == 0, stdout + stderr);
        Assert.Equal("{\"label\": \"['Maltese dog Maltese terrier Maltese']\", \"prob\": \"[{prob}]\"}", PaddleTop1.Masked(stdout.Trim(), "\"["));
        var (code3002, _, stderr3002) = await RunProbe($"{_s.BaseUrl}/nope/prediction", "--expect-err-no", "3002");
        Assert.True(code3002 == 0, stderr3002);
        var (mismatch, _, _) = await RunProbe($"{_s.BaseUrl}/nope/prediction");
        Assert.Equal(1, mismatch);
    }

    [Fact]
    public async Task UnknownService_IsTheGatewaysErrorBytes()
    {
        var r = await _s.Http.PostAsync("/nope/prediction", new StringContent("{\"key\": [\"image\"], \"value\": [\"aGVsbG8=\"]}"));
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Equal(File.ReadAllText(SharedData.PathOf("serving/http_pipeline_response_error_example.json")), await r.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task PathOverridesBodyName_UnknownFieldsIgnored_LogidStringOrNumber()
    {
        string b64 = Convert.ToBase64String(SharedData.ReadAllBytes(GoldenImage));
        foreach (var logid in new[] { "\"12\"", "13" })
        {
            string json = $"{{\"name\": \"other\", \"method\": \"x\", \"extra\": {{\"a\": 1}}, \"logid\": {logid}, \"clientip\": \"1.2.3.4\", \"key\": [\"image\"], \"value\": [\"{b64}\"]}}";
            var r = await _s.Http.PostAsync("/imagenet/prediction", new StringContent(json, Encoding.UTF8, "application/json"));
            var body = JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal(0, body.GetProperty("err_no").GetInt32());
        }
    }

    [Fact]
    public async Task EachDistinctKeyIsOneImage_DuplicateKeysCollapse()
    {
        string jpeg = Convert.ToBase64String(SharedData.ReadAllBytes(GoldenImage));
        string other = Convert.ToBase64String(SharedData.ReadAllBytes("models/images/imagenet/ILSVRC2012_val_00013121.JPEG"));
        var two = await PostJson("/imagenet/prediction", new { key = new[] { "a", "b" }, value = new[] { jpeg, other } });
        Assert.Equal("['Maltese dog Maltese terrier Maltese', 'anemone fish']", two.GetProperty("value")[0].GetString());
        var collapsed = await PostJson("/imagenet/prediction", new { key = new[] { "a", "b", "a" }, value = new[] { "bad", other, jpeg } });
        Assert.Equal("['Maltese dog Maltese terrier Maltese', 'anemone fish']", collapsed.GetProperty("value")[0].GetString());
        Assert.Matches(@"^\[0\.\d+, 0\.\d+\]$", collapsed.GetProperty("value")[1].GetString());
    }

    [Fact]
    public async Task GatewayErrors_UseGrpcGatewayBodiesAndStatuses()
    {
        var get = await _s.Http.GetAsync("/imagenet/prediction");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, get.StatusCode);
        Assert.Equal("Method Not Allowed\n", await get.Content.ReadAsStringAsync());
        Assert.Equal("text/plain", get.Content.Headers.ContentType!.MediaType);

        var three = await _s.Http.PostAsync("/imagenet/prediction/extra", new StringContent("{}"));
        Assert.Equal(HttpStatusCode.NotFound, three.StatusCode);
        Assert.Equal("Not Found\n", await three.Content.ReadAsStringAsync());

        var bad = await _s.Http.PostAsync("/imagenet/prediction", new StringContent("{not json"));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var error = JsonDocument.Parse(await bad.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(["error", "code", "message", "details"], error.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal(3, error.GetProperty("code").GetInt32());
        Assert.Equal(0, error.GetProperty("details").GetArrayLength());

        // The server answers on Content-Length without reading the body; Expect: 100-continue lets the client see that answer.
        var hugeRequest = new HttpRequestMessage(HttpMethod.Post, "/imagenet/prediction") { Content = new ByteArrayContent(new byte[3 * 1024 * 1024]) };
        hugeRequest.Headers.ExpectContinue = true;
        var huge = await _s.Http.SendAsync(hugeRequest);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.StatusCode);
        Assert.Equal(8, JsonDocument.Parse(await huge.Content.ReadAsStringAsync()).RootElement.GetProperty("code").GetInt32());

        await CapturedClientRequest_IsAnsweredLikeTheGateway(); // still serving
    }

    [Theory]
    [InlineData("{\"key\": [\"image\"], \"value\": [\"aGVsbG8\"]}", "Failed to preprocess: Incorrect padding")]
    [InlineData("{\"key\": [\"image\"], \"value\": [\"aGVsbG8=\"]}", "Failed to preprocess: 'NoneType' object has no attribute 'shape'")]
    [InlineData("", "Failed to preprocess: need at least one array to concatenate")]
    [InlineData("{\"key\": [], \"value\": []}", "Failed to preprocess: need at least one array to concatenate")]
    [InlineData("{\"tensors\": [{\"name\": \"x\", \"elem_type\": 1, \"float_data\": [1, \"NaN\"], \"shape\": [2]}]}", "is not a base64 image string")]
    public async Task BadInput_IsAPipelineError_AndNeverLoggedAsError(string body, string message)
    {
        var r = await _s.Http.PostAsync("/imagenet/prediction", new StringContent(body));
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        var json = JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(10000, json.GetProperty("err_no").GetInt32());
        Assert.Contains(message, json.GetProperty("err_msg").GetString());
        Assert.Matches(@"^\(data_id=\d+ log_id=0\) \[imagenet\|0\] ", json.GetProperty("err_msg").GetString());
        Assert.Equal(0, json.GetProperty("key").GetArrayLength());
        Assert.Empty(_s.Logs.AtLeast(LogLevel.Error));
    }

    private async Task<JsonElement> PostJson(string path, object body)
    {
        var r = await _s.Http.PostAsync(path, new StringContent(JsonSerializer.Serialize(body)));
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        return JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement;
    }

    private static string[] FieldNames(string json) => JsonDocument.Parse(json).RootElement.EnumerateObject().Select(p => p.Name).ToArray();

    private static async Task<(int Code, string Stdout, string Stderr)> RunProbe(string url, params string[] extra)
    {
        var psi = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = SharedData.RepoRoot };
        psi.ArgumentList.Add(SharedData.PathOf("serving/clients/pipeline_http_client.py"));
        psi.ArgumentList.Add("--url");
        psi.ArgumentList.Add(url);
        psi.ArgumentList.Add("--image");
        psi.ArgumentList.Add(SharedData.PathOf(GoldenImage));
        foreach (var e in extra) psi.ArgumentList.Add(e);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return (p.ExitCode, await stdout, await stderr);
    }
}
