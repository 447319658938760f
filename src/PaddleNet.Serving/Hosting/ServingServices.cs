using Microsoft.Extensions.Logging;
using PaddleNet.Serving.Metrics;

namespace PaddleNet.Serving.Hosting;

/// <summary>What a model factory may use: logging and the server's metrics.</summary>
public sealed record ServingServices(ILoggerFactory LoggerFactory, ServingMetrics Metrics);
