using System.Net;
using System.Text;
using System.Text.Json;
using Grpc.Net.Client;
using PaddleNet.Serving.Protocols.Pipeline.Wire;

namespace PaddleNet.Serving.Tests;

/// <summary>
/// <c>kind: ocr</c> over real HTTP and gRPC: PaddleOCR's hubserving <c>ocr_system</c>, its Paddle Serving pipeline example
/// (<c>/ocr/prediction</c> and the pipeline gRPC service its <c>pipeline_rpc_client.py</c> calls) and the /v1 API,
/// all answering what <see cref="PaddleNet.Ocr.OcrSystem"/> reads.
/// </summary>
public sealed class OcrServingTests
{
    private static string OcrYaml(string folder)
    {
        string path = Path.Combine(folder, "ocr.yml");
        string m = SharedData.Root;
        File.WriteAllText(path, $"""
            det_model_dir: {Path.Combine(m, "models/det/ch_PP-OCRv4_det")}
            rec_model_dir: {Path.Combine(m, "models/rec/ch_PP-OCRv4_rec")}
            rec_char_dict_path: {Path.Combine(m, "models/labels/ppocr_keys_v1.txt")}
            det_db_box_thresh: 0.6
            """);
        return path;
    }

    [Fact]
    public async Task OcrSystem_HubPipelineGrpcAndApi_AnswerTheSameLines()
    {
        string folder = Directory.CreateTempSubdirectory("paddlenet-ocr-").FullName;
        await using var s = await TestServer.StartAsync($"""
            host: 127.0.0.1
            http_port: 0
            grpc_port: 0
            models:
              ocr_system:
                kind: ocr
                config: {OcrYaml(folder)}
                concurrency: 2
                limits: {"{timeout_ms: 600000}"}
            """);
        // A full OCR pass takes seconds; on a loaded CI machine beside the other test classes, far more.
        using var http = new HttpClient { BaseAddress = new Uri(s.BaseUrl), Timeout = TimeSpan.FromMinutes(10) };
        byte[] jpeg = SharedData.ReadAllBytes("models/images/scenes/ocr_scene_11.jpg");
        string b64 = Convert.ToBase64String(jpeg);

        // PaddleHub: {"images": [base64]} -> results[image] = [{confidence, text, text_region}].
        var hubResponse = await http.PostAsync("/predict/ocr_system", new StringContent($"{{\"images\": [\"{b64}\"]}}", Encoding.UTF8, "application/json"));
        var hub = JsonDocument.Parse(await hubResponse.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("000", hub.GetProperty("status").GetString());
        var lines = hub.GetProperty("results")[0].EnumerateArray().ToArray();
        Assert.Equal(16, lines.Length);
        Assert.Equal("纯臻营养护发素", lines[0].GetProperty("text").GetString());
        Assert.InRange(lines[0].GetProperty("confidence").GetDouble(), 0.99, 1.0);
        Assert.Equal("[[28,37],[302,39],[302,72],[27,70]]", lines[0].GetProperty("text_region").GetRawText().Replace(" ", "", StringComparison.Ordinal));

        // Paddle Serving pipeline (PaddleOCR deploy/pdserving): /ocr/prediction reaches the OCR model.
        var pipeResponse = await http.PostAsync("/ocr/prediction", new StringContent($"{{\"key\": [\"image\"], \"value\": [\"{b64}\"]}}", Encoding.UTF8, "application/json"));
        var pipe = JsonDocument.Parse(await pipeResponse.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(0, pipe.GetProperty("err_no").GetInt32());
        Assert.Equal("result", pipe.GetProperty("key")[0].GetString());
        string result = pipe.GetProperty("value")[0].GetString()!;
        Assert.StartsWith("[[('纯臻营养护发素', 0.99", result);
        Assert.Contains("), [[28.0, 37.0], [302.0, 39.0], [302.0, 72.0], [27.0, 70.0]]], [('产品信息/参数', ", result);

        // The same pipeline over gRPC, as PaddleOCR's pipeline_rpc_client.py sends it through Paddle Serving's
        // PipelineClient: feed_dict {"image": base64}, no service name, the client's IP; then named "ocr", then junk.
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{s.Server.GrpcPort}", new GrpcChannelOptions { MaxSendMessageSize = null });
        var client = new PipelineService.PipelineServiceClient(channel);
        var rpc = new Request { Clientip = "127.0.0.1" };
        rpc.Key.Add("image");
        rpc.Value.Add(b64);
        var grpc = await client.inferenceAsync(rpc, deadline: DateTime.UtcNow.AddMinutes(10));
        Assert.Equal(0, grpc.ErrNo);
        Assert.Equal(["result"], grpc.Key);
        Assert.Equal([result], grpc.Value);
        rpc.Name = "ocr";
        Assert.Equal([result], (await client.inferenceAsync(rpc, deadline: DateTime.UtcNow.AddMinutes(10))).Value);
        var junkRpc = new Request { Logid = 9 };
        junkRpc.Key.Add("image");
        junkRpc.Value.Add(Convert.ToBase64String("not an image"u8.ToArray()));
        var grpcBad = await client.inferenceAsync(junkRpc, deadline: DateTime.UtcNow.AddMinutes(10));
        Assert.NotEqual(0, grpcBad.ErrNo);
        Assert.Contains("log_id=9", grpcBad.ErrMsg);
        Assert.Empty(grpcBad.Value);

        // /v1 API, multipart.
        var form = new MultipartFormDataContent { { new ByteArrayContent(jpeg), "image", "scene.jpg" } };
        var api = await http.PostAsync("/v1/models/ocr_system:predict", form);
        Assert.Equal(HttpStatusCode.OK, api.StatusCode);
        var image = JsonDocument.Parse(await api.Content.ReadAsStringAsync()).RootElement.GetProperty("results")[0];
        Assert.Equal(500, image.GetProperty("image_width").GetInt32());
        var apiLines = image.GetProperty("lines").EnumerateArray().ToArray();
        Assert.Equal(lines.Select(l => l.GetProperty("text").GetString()), apiLines.Select(l => l.GetProperty("text").GetString()));

        // Not an image: hub status 101, pipeline err_no != 0, API 400.
        string junk = Convert.ToBase64String("not an image"u8.ToArray());
        var bad = JsonDocument.Parse(await (await http.PostAsync("/predict/ocr_system", new StringContent($"{{\"images\": [\"{junk}\"]}}", Encoding.UTF8, "application/json"))).Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("101", bad.GetProperty("status").GetString());
        var badPipe = JsonDocument.Parse(await (await http.PostAsync("/ocr/prediction", new StringContent($"{{\"key\": [\"image\"], \"value\": [\"{junk}\"]}}", Encoding.UTF8, "application/json"))).Content.ReadAsStringAsync()).RootElement;
        Assert.NotEqual(0, badPipe.GetProperty("err_no").GetInt32());
        var badApi = await http.PostAsync("/v1/models/ocr_system:predict", new MultipartFormDataContent { { new ByteArrayContent("junk"u8.ToArray()), "image", "x.jpg" } });
        Assert.Equal(HttpStatusCode.BadRequest, badApi.StatusCode);

        var models = JsonDocument.Parse(await http.GetStringAsync("/v1/models")).RootElement.GetProperty("models");
        Assert.Equal("ocr", models[0].GetProperty("kind").GetString());
        Directory.Delete(folder, true);
    }

    [Fact]
    public async Task OcrConfig_MissingRecModel_FailsTheStartNamingIt()
    {
        string folder = Directory.CreateTempSubdirectory("paddlenet-ocr-").FullName;
        string yml = Path.Combine(folder, "ocr.yml");
        File.WriteAllText(yml, $"det_model_dir: {Path.Combine(SharedData.Root, "models/det/ch_PP-OCRv4_det")}\nrec_model_dir: nowhere\nrec_char_dict_path: {Path.Combine(SharedData.Root, "models/labels/ppocr_keys_v1.txt")}\n");

        var e = await Assert.ThrowsAnyAsync<PaddleNetException>(() => TestServer.StartAsync($"""
            host: 127.0.0.1
            http_port: 0
            models:
              ocr_system:
                kind: ocr
                config: {yml}
            """));

        Assert.Contains("nowhere", e.Message);
        Directory.Delete(folder, true);
    }
}
