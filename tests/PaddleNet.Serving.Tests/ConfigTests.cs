using PaddleNet.Serving.Config;
using PaddleNet.Serving.Hosting;

namespace PaddleNet.Serving.Tests;

/// <summary>serving.yaml validation: clear errors at start, naming the file, line and key.</summary>
public sealed class ConfigTests
{
    private static string Write(string yaml)
    {
        string folder = Directory.CreateTempSubdirectory("paddlenet-serving-cfg-").FullName;
        string path = Path.Combine(folder, "serving.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    [Fact]
    public void FullConfig_Loads()
    {
        var cfg = ServingConfigLoader.Load(Write($"""
            host: 127.0.0.1
            http_port: 18080
            grpc_port: 18081
            max_request_bytes: 1048576
            shutdown_timeout_s: 5
            models:
            {TestServer.ImagenetModel(extra: "    threads: 2\n    concurrency: 2\n    overrides: [\"PostProcess.Topk.topk=3\"]\n    batching: {max_batch_size: 4, max_delay_ms: 7}\n    limits: {max_queue: 9, timeout_ms: 1234, max_images_per_request: 3}")}
            """));
        Assert.Equal(18081, cfg.GrpcPort);
        var m = Assert.Single(cfg.Models);
        Assert.Equal(("imagenet", "classifier", 2, 2), (m.Name, m.Kind, m.Threads, m.Concurrency));
        Assert.Equal(new BatchingOptions(4, TimeSpan.FromMilliseconds(7)), m.Batching);
        Assert.Equal(new LimitOptions(9, TimeSpan.FromMilliseconds(1234), 3), m.Limits);
        Assert.Equal(["PostProcess.Topk.topk=3"], m.Overrides);
        Assert.Equal(TestServer.SharedModels, m.WorkDirectory);
    }

    [Theory]
    [InlineData("models: {}", "models: needs at least one model")]
    [InlineData("http_port: 18080", "models: is required")]
    [InlineData("htp_port: 1\nmodels: {}", ":1: htp_port: unknown key")]
    [InlineData("http_port: 99999\nmodels: {}", "http_port: 99999 is out of range")]
    [InlineData("models:\n  m:\n    config: nowhere.yaml", "models.m.config: ")]
    [InlineData("models:\n  m:\n    kind: classifier", "models.m.config: is required")]
    [InlineData("models:\n  'a/b':\n    config: x", "models.a/b: a model name is")]
    [InlineData("models: [1", "invalid YAML")]
    public void BadConfig_NamesTheProblem(string yaml, string message)
    {
        string path = Write(yaml);
        var e = Assert.Throws<ServingConfigException>(() => ServingConfigLoader.Load(path));
        Assert.Contains(message, e.Message);
        Assert.StartsWith(path, e.Message);
    }

    [Fact]
    public void BadModel_FailsAtStart()
    {
        var wrongWorkdir = ServingConfigLoader.Load(Write($"models:\n  imagenet:\n    config: {TestServer.ImagenetConfig}\n"));
        var e = Assert.Throws<ServingConfigException>(() => ServingServer.Create(wrongWorkdir, _ => { }));
        Assert.Contains("model 'imagenet': Global.inference_model_dir", e.Message);
        Assert.Contains("set workdir", e.Message);

        var unknownKind = ServingConfigLoader.Load(Write($"models:\n  x:\n    kind: segmenter\n    config: {TestServer.ImagenetConfig}\n"));
        Assert.Contains("unknown kind 'segmenter'", Assert.Throws<ServingConfigException>(() => ServingServer.Create(unknownKind, _ => { })).Message);
    }
}
