using Microsoft.Extensions.Logging;
using PaddleNet.Imaging;
using PaddleNet.Serving.Metrics;

namespace PaddleNet.Serving.Hosting;

/// <summary>What a model factory may use: logging, the server's metrics and the image limits of serving.yaml.</summary>
public sealed record ServingServices(ILoggerFactory LoggerFactory, ServingMetrics Metrics)
{
    /// <summary>Limits every request image is decoded under (<c>max_image_pixels</c>, <c>max_request_bytes</c>).</summary>
    public ImageDecodeOptions Decode { get; init; } = ImageDecodeOptions.Default;
}
