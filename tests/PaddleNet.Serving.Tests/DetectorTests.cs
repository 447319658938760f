using System.Net;
using System.Text.Json;
using PaddleNet.Detection;

namespace PaddleNet.Serving.Tests;

/// <summary><c>kind: detector</c> (PaddleNet.Detection's ObjectDetector) on the /v1 API, beside a classifier.</summary>
public sealed class DetectorTests
{
    private static string InferConfig => SharedData.PathOf("models/det/picodet_s_320_random/infer_cfg.yml");

    [Fact]
    public async Task Detector_AnswersLikeObjectDetector()
    {
        await using var s = await TestServer.StartAsync($"""
            host: 127.0.0.1
            http_port: 0
            models:
              coco:
                kind: detector
                config: {InferConfig}
                concurrency: 2
                batching: {"{max_batch_size: 4, max_delay_ms: 5}"}
            {TestServer.DigitsModel()}
            """);
        byte[] jpeg = SharedData.ReadAllBytes("models/images/imagenet/ILSVRC2012_val_00000010.jpeg");
        using var detector = ObjectDetector.Load(InferConfig);
        var expected = detector.Detect(jpeg);
        Assert.NotEmpty(expected.Objects);

        var responses = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ =>
        {
            var form = new MultipartFormDataContent { { new ByteArrayContent(jpeg), "image", "photo.jpeg" } };
            return s.Http.PostAsync("/v1/models/coco:predict", form);
        }));
        foreach (var r in responses)
        {
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            var result = JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement.GetProperty("results")[0];
            Assert.Equal(expected.ImageWidth, result.GetProperty("image_width").GetInt32());
            var objects = result.GetProperty("objects").EnumerateArray().ToArray();
            Assert.Equal(expected.Objects.Count, objects.Length);
            for (int i = 0; i < objects.Length; i++)
            {
                var o = expected.Objects[i];
                Assert.Equal(o.ClassId, objects[i].GetProperty("class_id").GetInt32());
                Assert.Equal(o.Label, objects[i].GetProperty("label").GetString());
                Assert.Equal(o.Score, objects[i].GetProperty("score").GetSingle());
                Assert.Equal([o.Box.X1, o.Box.Y1, o.Box.X2, o.Box.Y2], objects[i].GetProperty("box").EnumerateArray().Select(e => e.GetSingle()));
            }
        }

        var models = JsonDocument.Parse(await s.Http.GetStringAsync("/v1/models")).RootElement.GetProperty("models");
        Assert.Equal("detector", models[0].GetProperty("kind").GetString());
        // The classifier-only protocols do not offer a detector.
        var hub = JsonDocument.Parse(await (await s.Http.PostAsync("/predict/coco", new StringContent("{\"images\":[]}", System.Text.Encoding.UTF8, "application/json"))).Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("111", hub.GetProperty("status").GetString());
    }
}
