using PaddleNet.Imaging;

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
    /// <summary>16 MiB: a few large photos as base64; larger bodies get 413 before they are read.</summary>
    public const long DefaultMaxRequestBytes = 16L * 1024 * 1024;

    /// <summary>Images whose header declares more pixels get 400 before decoding (<c>max_image_pixels</c>).</summary>
    public long MaxImagePixels { get; init; } = ImageDecodeOptions.DefaultMaxPixels;

    /// <summary>After a burst, this long without a request triggers one full GC and <c>malloc_trim</c> so the memory
    /// comes back (<c>idle_trim_ms</c>; zero turns it off).</summary>
    public TimeSpan IdleTrimDelay { get; init; } = DefaultIdleTrimDelay;

    /// <summary>Two seconds: long enough that a steady load never pauses for it.</summary>
    public static readonly TimeSpan DefaultIdleTrimDelay = TimeSpan.FromSeconds(2);
}
