using System.Net;
using System.Text;
using System.Text.Json;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.Logging;
using PaddleNet.Serving.Config;
using PaddleNet.Serving.Hosting;
using PaddleNet.Serving.Models;
using PaddleNet.Serving.Protocols.Pipeline.Wire;

namespace PaddleNet.Serving.Tests;

/// <summary>
/// A model kind plugged in through <see cref="IModelFactory"/> whose inference fails: each protocol answers with its
/// server-fault form (gateway 500 code 13, gRPC INTERNAL, hub 101, ProblemDetails 500), logged at error level.
/// </summary>
public sealed class ServerFaultTests
{
    [Fact]
    public async Task FailingModel_GetsEachProtocolsServerError()
    {
        string folder = Directory.CreateTempSubdirectory("paddlenet-serving-fault-").FullName;
        string config = Path.Combine(folder, "model.yaml");
        File.WriteAllText(config, "{}");
        var logs = new LogSink();
        var model = new ModelConfig("broken", "broken", config, folder, [], 1, 1, BatchingOptions.Default, LimitOptions.Default);
        await using var server = ServingServer.Create(new ServingConfig("127.0.0.1", 0, 0, 1 << 20, TimeSpan.FromSeconds(5), [model]), l => l.AddProvider(logs), [new BrokenFactory()]);
        await server.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{server.HttpPort}") };

        var pipeline = await http.PostAsync("/broken/prediction", new StringContent("{\"key\":[\"image\"],\"value\":[\"aGVsbG8=\"]}"));
        Assert.Equal(HttpStatusCode.InternalServerError, pipeline.StatusCode);
        // The log has "boom"; the answers carry no internal text.
        Assert.Equal("{\"error\":\"internal error (see the server log)\",\"code\":13,\"message\":\"internal error (see the server log)\",\"details\":[]}", await pipeline.Content.ReadAsStringAsync());

        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{server.GrpcPort}");
        var request = new Request();
        request.Key.Add("image");
        request.Value.Add("aGVsbG8=");
        var e = await Assert.ThrowsAsync<RpcException>(() => new PipelineService.PipelineServiceClient(channel).inferenceAsync(request).ResponseAsync);
        Assert.Equal(StatusCode.Internal, e.StatusCode);

        var hub = await http.PostAsync("/predict/broken", new StringContent("{\"images\":[\"aGVsbG8=\"]}", Encoding.UTF8, "application/json"));
        Assert.Equal("{\"msg\":\"internal error (see the server log)\",\"results\":\"\",\"status\":\"101\"}\n", await hub.Content.ReadAsStringAsync());

        var api = await http.PostAsync("/v1/models/broken:predict", new StringContent("{\"image\":\"aGVsbG8=\"}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.InternalServerError, api.StatusCode);
        Assert.Equal("internal error (see the server log)", JsonDocument.Parse(await api.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString());
        Assert.Equal(StatusCode.Internal, e.StatusCode);
        Assert.DoesNotContain("boom", e.Status.Detail, StringComparison.Ordinal);

        Assert.Equal(4, logs.AtLeast(LogLevel.Error).Count);
        await server.StopAsync();
    }

    private sealed class BrokenFactory : IModelFactory
    {
        public string Kind => "broken";

        public IServedModel Create(ModelConfig config, ServingServices services) => new BrokenModel(config);
    }

    private sealed class BrokenModel(ModelConfig config) : IClassifierModel
    {
        public string Name => Config.Name;

        public string Kind => "broken";

        public ModelConfig Config { get; } = config;

        public int QueueDepth => 0;

        public int DefaultTopK => 1;

        public Task<IReadOnlyList<ClassifiedImage>> ClassifyAsync(IReadOnlyList<byte[]> encodedImages, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("boom");

        public Task<IReadOnlyList<ClassifiedImage>> ClassifyTensorAsync(float[] data, int[] shape, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("boom");

        public PaddleNet.Pipeline.Classification Rank(ClassifiedImage image, int topK) => image.TopK;

        public void Close()
        {
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
