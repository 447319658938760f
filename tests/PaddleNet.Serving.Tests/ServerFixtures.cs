namespace PaddleNet.Serving.Tests;

/// <summary>A server started once from a serving.yaml and shared by a test class or collection.</summary>
public abstract class ServerFixture : IAsyncLifetime
{
    public TestServer Server { get; private set; } = null!;

    /// <summary>The serving.yaml text the server starts from.</summary>
    protected abstract string Config { get; }

    public async Task InitializeAsync() => Server = await TestServer.StartAsync(Config);

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>One ImageNet (ShuffleNetV2) + digits server with gRPC, shared by the protocol tests; request bodies capped at 2 MiB.</summary>
public sealed class ProtocolServerFixture : ServerFixture
{
    protected override string Config => $"""
        host: 127.0.0.1
        http_port: 0
        grpc_port: 0
        max_request_bytes: 2097152
        models:
        {TestServer.ImagenetModel()}
        {TestServer.DigitsModel(extra: "    batching: {max_batch_size: 4, max_delay_ms: 2}")}
        """;
}

[CollectionDefinition("protocol server")]
public sealed class ProtocolServerCollection : ICollectionFixture<ProtocolServerFixture>
{
}

/// <summary>Timing-sensitive tests (load, queue, timeout, shutdown) run alone, not beside the other test classes.</summary>
[CollectionDefinition("timing", DisableParallelization = true)]
public sealed class TimingCollection
{
}
