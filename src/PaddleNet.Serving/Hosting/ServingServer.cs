using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PaddleNet.Serving.Config;
using PaddleNet.Serving.Metrics;
using PaddleNet.Serving.Models;
using PaddleNet.Serving.Models.Classifiers;
using PaddleNet.Serving.Protocols.Api;
using PaddleNet.Serving.Protocols.Hub;
using PaddleNet.Serving.Protocols.Pipeline;

namespace PaddleNet.Serving.Hosting;

/// <summary>
/// The Kestrel server: loads every model first (a bad config fails here), then listens on <c>http_port</c>
/// (HTTP/1.1: Paddle Serving's gateway routes, PaddleHub, the /v1 API, the web page) and, when set, on
/// <c>grpc_port</c> (HTTP/2 cleartext: the pipeline gRPC service). Port 0 picks a free port (see
/// <see cref="HttpPort"/>/<see cref="GrpcPort"/>). <see cref="StopAsync"/> stops listening, lets in-flight requests
/// and queued batches finish within <c>shutdown_timeout_s</c>, then releases the models.
/// </summary>
public sealed class ServingServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ModelRegistry _registry;
    private readonly ServingConfig _config;
    private readonly ILoggerFactory _modelLoggers;
    private bool _disposed;

    private ServingServer(WebApplication app, ModelRegistry registry, ServingConfig config, ILoggerFactory modelLoggers)
    {
        _modelLoggers = modelLoggers;
        _app = app;
        _registry = registry;
        _config = config;
    }

    /// <summary>The HTTP port listened on (the actual one when the config asks for port 0).</summary>
    public int HttpPort { get; private set; }

    /// <summary>The gRPC port listened on, or null when gRPC is off.</summary>
    public int? GrpcPort { get; private set; }

    /// <summary>The server's metrics (what <c>/metrics</c> renders).</summary>
    public ServingMetrics Metrics => _app.Services.GetRequiredService<ServingMetrics>();

    /// <summary>Builds the server and loads the models (throws <see cref="ServingConfigException"/> on a bad model).</summary>
    public static ServingServer Create(ServingConfig config, Action<ILoggingBuilder>? logging = null, IEnumerable<IModelFactory>? factories = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = "PaddleNet.Serving", ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        if (logging is not null) logging(builder.Logging);
        else builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Grpc", LogLevel.Warning);

        var metrics = new ServingMetrics();
        var loggerFactory = LoggerFactory.Create(l =>
        {
            if (logging is not null) logging(l);
            else l.AddSimpleConsole(o => o.SingleLine = true);
        });
        ModelRegistry registry;
        try
        {
            registry = new ModelRegistry(config, factories ?? [new ClassifierFactory(), new Models.Detectors.DetectorFactory(), new Models.Ocr.OcrFactory()], new ServingServices(loggerFactory, metrics)
            {
                Decode = new Imaging.ImageDecodeOptions { MaxPixels = config.MaxImagePixels, MaxBytes = config.MaxRequestBytes },
            });
        }
        catch
        {
            loggerFactory.Dispose();
            throw;
        }

        builder.Services.AddSingleton(config);
        builder.Services.AddSingleton(metrics);
        builder.Services.AddSingleton(registry);
        builder.Services.AddSingleton<PipelineInference>();
        builder.Services.AddSingleton<Readiness>();
        builder.Services.AddHostedService<MemoryTrimmer>();
        builder.Services.AddGrpc(o =>
        {
            o.MaxReceiveMessageSize = (int)Math.Min(int.MaxValue, config.MaxRequestBytes);
            o.MaxSendMessageSize = null;
        });
        builder.Services.AddOpenApi(o => o.AddOperationTransformer(PredictOpenApi.Describe));
        builder.Services.AddProblemDetails();
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = config.ShutdownTimeout);
        builder.Services.Configure<FormOptions>(o => o.MultipartBodyLengthLimit = config.MaxRequestBytes);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = config.MaxRequestBytes;
            var address = IPAddress.Parse(config.Host);
            k.Listen(address, config.HttpPort, l => l.Protocols = HttpProtocols.Http1);
            if (config.GrpcPort is { } grpc) k.Listen(address, grpc, l => l.Protocols = HttpProtocols.Http2);
        });

        var app = builder.Build();
        // Every request but probes and scrapes is activity for the idle memory trim (MemoryTrimmer), refusals included;
        // it stays in flight until answered, so a long inference is never paused by the trim's blocking GC.
        app.Use(async (context, next) =>
        {
            var path = context.Request.Path;
            if (path.StartsWithSegments("/metrics") || path.StartsWithSegments("/healthz") || path.StartsWithSegments("/readyz"))
            {
                await next(context).ConfigureAwait(false);
                return;
            }
            metrics.MarkActivity();
            try
            {
                await next(context).ConfigureAwait(false);
            }
            finally
            {
                metrics.EndRequest();
            }
        });
        app.MapGrpcService<PipelineGrpcService>();
        app.MapOpenApi();
        app.MapGet("/", () => Results.Content(WebPage.Html, "text/html; charset=utf-8")).ExcludeFromDescription();
        ApiEndpoints.Map(app);
        HubEndpoints.Map(app);
        PipelineHttpEndpoints.Map(app);
        app.MapFallback((HttpContext c) => PipelineHttpEndpoints.PlainText(c, 404, "Not Found\n")).ExcludeFromDescription();

        var readiness = app.Services.GetRequiredService<Readiness>();
        app.Lifetime.ApplicationStarted.Register(() => readiness.Set(true));
        app.Lifetime.ApplicationStopping.Register(() => readiness.Set(false));
        return new ServingServer(app, registry, config, loggerFactory);
    }

    /// <summary>Starts listening; the bound ports are known afterwards.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await _app.StartAsync(cancellationToken).ConfigureAwait(false);
        var addresses = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .Select(a => new Uri(a.Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal).Replace("[::]", "[::1]", StringComparison.Ordinal)).Port).ToArray();
        HttpPort = _config.HttpPort != 0 ? _config.HttpPort : addresses[0];
        GrpcPort = _config.GrpcPort is null ? null : _config.GrpcPort != 0 ? _config.GrpcPort : addresses[^1];
    }

    /// <summary>After <see cref="StartAsync"/>: waits for Ctrl+C/SIGTERM, lets the server drain, then frees the models.</summary>
    public async Task WaitForShutdownAsync(CancellationToken cancellationToken = default)
    {
        await _app.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
        await DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Stops listening and drains in-flight requests and queued work, then frees the models.</summary>
    public async Task StopAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Disposes the host and releases the models.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        await _app.DisposeAsync().ConfigureAwait(false);
        await _registry.DisposeAsync().ConfigureAwait(false);
        _modelLoggers.Dispose();
    }
}
