using System.CommandLine;
using PaddleNet.Serving.Config;
using PaddleNet.Serving.Hosting;

namespace PaddleNet.Cli.Commands;

/// <summary>
/// <c>paddlenet serve --config serving.yaml</c>, or for one classifier
/// <c>paddlenet serve -c inference_cls.yaml --name imagenet --port 18080 [--grpc-port 18081]</c>: a Kestrel server
/// speaking Paddle Serving pipeline HTTP/gRPC, PaddleHub Serving and the /v1 API. Runs until Ctrl+C/SIGTERM, then
/// drains in-flight requests.
/// </summary>
internal static class ServeCommand
{
    /// <param name="stdout">Where the listening address is written.</param>
    /// <param name="whileServing">Tests: runs against the started server instead of waiting for SIGTERM, then the
    /// server is stopped.</param>
    public static Command Create(TextWriter stdout, Func<ServingServer, Task>? whileServing = null)
    {
        var config = new Option<string>("--config", "-c")
        {
            Description = "serving.yaml (several models), or one model's PaddleClas inference_cls.yaml",
            Required = true,
        };
        var overrides = ConfigOptions.Overrides();
        var name = new Option<string>("--name") { Description = "Model name for a single inference_cls.yaml (the URL's first segment)", DefaultValueFactory = _ => "imagenet" };
        var host = new Option<string?>("--host") { Description = "Address to bind (default 0.0.0.0, or the serving.yaml's host)" };
        var port = new Option<int?>("--port") { Description = "HTTP port (default 18080, or the serving.yaml's http_port; 0 = any free port)" };
        var grpcPort = new Option<int?>("--grpc-port") { Description = "Paddle Serving pipeline gRPC port (HTTP/2); none by default" };
        var maxBatch = new Option<int?>("--max-batch-size") { Description = "Dynamic batching: most images per batch (single-model mode; default 8)" };
        var precision = PrecisionOption.Create();
        var maxDelay = new Option<int?>("--max-delay-ms") { Description = "Dynamic batching: longest wait for a fuller batch (single-model mode; default 5)" };
        var maxPixels = ConfigOptions.MaxImagePixels();
        maxPixels.Description += "; overrides the serving.yaml's max_image_pixels; a refused image is answered 400";
        var command = new Command("serve", "Serve models over Paddle Serving (HTTP + gRPC), PaddleHub and PaddleNet's /v1 API")
        {
            config, overrides, name, host, port, grpcPort, maxBatch, maxDelay, precision, maxPixels,
        };
        command.SetAction(result =>
        {
            PrecisionOption.Get(result, precision); // fp32 is what the models run; bf16 is refused here until it has kernels
            string path = result.GetValue(config)!;
            ServingConfig cfg;
            if (File.Exists(path) && ServingConfigLoader.IsServingConfig(path))
            {
                cfg = ServingConfigLoader.Load(path);
                cfg = cfg with
                {
                    Host = result.GetValue(host) ?? cfg.Host,
                    HttpPort = result.GetValue(port) ?? cfg.HttpPort,
                    GrpcPort = result.GetValue(grpcPort) ?? cfg.GrpcPort,
                };
            }
            else
            {
                var batching = new BatchingOptions(
                    result.GetValue(maxBatch) ?? BatchingOptions.Default.MaxBatchSize,
                    result.GetValue(maxDelay) is { } ms ? TimeSpan.FromMilliseconds(ms) : BatchingOptions.Default.MaxDelay);
                cfg = ServingConfigLoader.ForSingleModel(path, result.GetValue(name)!, result.GetValue(overrides) ?? [],
                    result.GetValue(host) ?? "0.0.0.0", result.GetValue(port) ?? 18080, result.GetValue(grpcPort), batching);
            }
            if (result.GetValue(maxPixels) is { } pixels) cfg = cfg with { MaxImagePixels = ConfigOptions.Decode(pixels).MaxPixels };
            var server = ServingServer.Create(cfg);
            server.StartAsync().GetAwaiter().GetResult();
            stdout.WriteLine($"paddlenet serve: {string.Join(", ", cfg.Models.Select(m => m.Name))} on http://{cfg.Host}:{server.HttpPort}"
                + (server.GrpcPort is { } g ? $", gRPC {cfg.Host}:{g}" : ""));
            stdout.Flush();
            if (whileServing is null)
            {
                server.WaitForShutdownAsync().GetAwaiter().GetResult();
                return Program.Ok;
            }

            try
            {
                whileServing(server).GetAwaiter().GetResult();
            }
            finally
            {
                server.StopAsync().GetAwaiter().GetResult();
            }
            return Program.Ok;
        });
        return command;
    }
}
