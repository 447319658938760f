namespace PaddleNet.Serving.Config;

/// <summary>
/// The whole server: where it listens, global limits, and the models by name (the first one answers Paddle
/// Serving gRPC requests that carry no name).
/// </summary>
public sealed record ServingConfig(
    string Host,
    int HttpPort,
    int? GrpcPort,
    long MaxRequestBytes,
    TimeSpan ShutdownTimeout,
    IReadOnlyList<ModelConfig> Models)
{
    /// <summary>Largest request body accepted when the config sets none: 64 MiB.</summary>
    public const long DefaultMaxRequestBytes = 64L * 1024 * 1024;
}
