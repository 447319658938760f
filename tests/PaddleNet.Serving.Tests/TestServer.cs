using Microsoft.Extensions.Logging;
using PaddleNet.Serving.Config;
using PaddleNet.Serving.Hosting;

namespace PaddleNet.Serving.Tests;

/// <summary>A real Kestrel server on 127.0.0.1 with ephemeral ports, built from a serving.yaml written to a temp folder.</summary>
public sealed class TestServer : IAsyncDisposable
{
    private TestServer(ServingServer server, LogSink logs, string folder)
    {
        Server = server;
        Logs = logs;
        Folder = folder;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{server.HttpPort}"), Timeout = TimeSpan.FromSeconds(60) };
    }

    public ServingServer Server { get; }

    public LogSink Logs { get; }

    public string Folder { get; }

    public HttpClient Http { get; }

    public string BaseUrl => $"http://127.0.0.1:{Server.HttpPort}";

    public static string ImagenetConfig => SharedData.PathOf("models/cls/ShuffleNetV2_imagenet/predict_cls/inference_cls.yaml");

    public static string SharedModels => Path.Combine(SharedData.Root, "models");

    public static string DigitsConfig => Path.Combine(SharedData.RepoRoot, "models", "digits", "inference_cls.yaml");

    /// <summary>Writes <paramref name="yaml"/> as serving.yaml in a new temp folder, loads it and starts the server.</summary>
    public static async Task<TestServer> StartAsync(string yaml)
    {
        string folder = Directory.CreateTempSubdirectory("paddlenet-serving-").FullName;
        string path = Path.Combine(folder, "serving.yaml");
        await File.WriteAllTextAsync(path, yaml);
        var logs = new LogSink();
        var server = ServingServer.Create(ServingConfigLoader.Load(path), l => l.AddProvider(logs));
        await server.StartAsync();
        return new TestServer(server, logs, folder);
    }

    /// <summary>The serving.yaml entry of the ShuffleNetV2 ImageNet classifier (its yaml's paths are relative to shared/models).</summary>
    public static string ImagenetModel(string name = "imagenet", string extra = "") => $"""
          {name}:
            kind: classifier
            config: {ImagenetConfig}
            workdir: {SharedModels}
        {extra}
        """;

    public static string DigitsModel(string name = "digits", string extra = "") => $"""
          {name}:
            config: {DigitsConfig}
            workdir: {SharedData.RepoRoot}
        {extra}
        """;

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Server.StopAsync();
        try
        {
            Directory.Delete(Folder, true);
        }
        catch (IOException)
        {
        }
    }
}
