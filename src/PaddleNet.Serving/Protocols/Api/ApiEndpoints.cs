using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using PaddleNet.Serving.Config;
using PaddleNet.Serving.Hosting;
using PaddleNet.Serving.Metrics;
using PaddleNet.Serving.Models;

namespace PaddleNet.Serving.Protocols.Api;

/// <summary>
/// PaddleNet's own API: <c>POST /v1/models/{name}:predict</c> (multipart image files or JSON base64),
/// <c>GET /v1/models</c>, <c>/healthz</c>, <c>/readyz</c>, <c>/metrics</c>. Errors are RFC 9457 ProblemDetails.
/// </summary>
internal static class ApiEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/models/{name}:predict", PredictAsync)
            .WithName("Predict").WithSummary("Classify images with a served model")
            .WithDescription("multipart/form-data with one or more image files (optional form field top_k), or JSON {\"image\": base64} / {\"images\": [base64, ...]} with optional \"top_k\".")
            .Produces<PredictResponse>().Produces<DetectResponse>().Produces<OcrResponse>()
            .ProducesProblem(400).ProducesProblem(404).ProducesProblem(413).ProducesProblem(415).ProducesProblem(429).ProducesProblem(503).ProducesProblem(504);
        app.MapGet("/v1/models", (ModelRegistry registry) => new ModelList(registry.Models.Select(Info).ToArray()))
            .WithName("ListModels").WithSummary("The served models and their batching limits").Produces<ModelList>();
        app.MapGet("/healthz", () => Results.Text("ok\n")).WithSummary("Liveness");
        app.MapGet("/readyz", (Readiness r) => r.IsReady ? Results.Text("ready\n") : Results.Text("not ready\n", statusCode: 503)).WithSummary("Readiness (503 while starting or draining)");
        app.MapGet("/metrics", (ServingMetrics m) => Results.Text(m.Render(), "text/plain; version=0.0.4; charset=utf-8")).WithSummary("Prometheus metrics");
    }

    private static ModelInfo Info(IServedModel m) => new(
        m.Name, m.Kind, m.Config.ConfigPath, m.Config.Batching.MaxBatchSize, m.Config.Batching.MaxDelay.TotalMilliseconds,
        m.Config.Limits.MaxQueue, m.Config.Limits.Timeout.TotalMilliseconds, m.Config.Limits.MaxImagesPerRequest, m.QueueDepth,
        (m as IClassifierModel)?.DefaultTopK);

    private static async Task<IResult> PredictAsync(HttpContext context, string name, ModelRegistry registry, ServingConfig config,
        ServingMetrics metrics, ILoggerFactory loggers)
    {
        var clock = Stopwatch.StartNew();
        var logger = loggers.CreateLogger("PaddleNet.Serving.Api");
        string outcome = "error";
        try
        {
            if (!registry.TryGet(name, out var served)) throw new ModelNotFoundException(name);
            var (images, topK) = await ReadInputAsync(context.Request, config.MaxRequestBytes, context.RequestAborted);
            if (topK is < 1) throw new InvalidInputException("top_k must be ≥ 1");
            IResult answer = served switch
            {
                IClassifierModel model => Results.Ok(new PredictResponse(name, (await model.ClassifyAsync(images, context.RequestAborted)).Select(r =>
                {
                    var c = topK is { } k ? model.Rank(r, k) : r.TopK;
                    return new ClassScores(c.ClassIds, c.Scores, c.LabelNames ?? []);
                }).ToArray())),
                IDetectorModel detector => Results.Ok(new DetectResponse(name, (await detector.DetectAsync(images, context.RequestAborted)).Select(d =>
                    new ImageDetections(d.ImageWidth, d.ImageHeight, d.Objects.Select(o =>
                        new DetectedBox(o.ClassId, o.Label, o.Score, [o.Box.X1, o.Box.Y1, o.Box.X2, o.Box.Y2])).ToArray())).ToArray())),
                IOcrModel ocr => Results.Ok(new OcrResponse(name, (await ocr.ReadAsync(images, context.RequestAborted)).Select(r =>
                    new ImageText(r.ImageWidth, r.ImageHeight, r.Lines.Select(l =>
                        new TextLine(l.Text, Math.Round(l.Score, 5), l.Box is null ? null : Enumerable.Range(0, 4).Select(i => (IReadOnlyList<int>)[(int)l.Box[2 * i], (int)l.Box[2 * i + 1]]).ToArray())).ToArray())).ToArray())),
                _ => throw new ModelNotFoundException(name),
            };
            outcome = "ok";
            return answer;
        }
        catch (ServingException e)
        {
            outcome = e.GetType().Name;
            var (status, title) = e switch
            {
                ModelNotFoundException => (404, "Model not found"),
                InvalidInputException => (400, "Invalid input"),
                RequestTooLargeException => (413, "Request body too large"),
                UnsupportedMediaException => (415, "Unsupported media type"),
                QueueFullException => (429, "Model busy"),
                ServerClosingException => (503, "Shutting down"),
                RequestTimeoutException => (504, "Timed out"),
                _ => (500, "Error"),
            };
            if (e is QueueFullException q) context.Response.Headers.RetryAfter = ((int)q.RetryAfter.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (e is ServerClosingException) context.Response.Headers.RetryAfter = "1";
            logger.LogInformation("predict {Model}: {Status} {Message}", name, status, e.Message);
            return Results.Problem(detail: e.Message, statusCode: status, title: title);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            outcome = "internal";
            logger.LogError(e, "predict {Model} failed", name);
            return Results.Problem(detail: e.Message, statusCode: 500, title: "Inference failed");
        }
        finally
        {
            metrics.ObserveRequest("api", name, outcome, clock.Elapsed);
        }
    }

    private static async Task<(IReadOnlyList<byte[]> Images, int? TopK)> ReadInputAsync(HttpRequest request, long limit, CancellationToken ct)
    {
        if (request.ContentLength is { } n && n > limit) throw new RequestTooLargeException(limit);
        if (request.HasFormContentType)
        {
            IFormCollection form;
            try
            {
                form = await request.ReadFormAsync(ct);
            }
            catch (Exception e) when (e is InvalidDataException or IOException)
            {
                throw new InvalidInputException($"bad multipart body: {e.Message}", e);
            }
            var images = new List<byte[]>();
            foreach (var file in form.Files)
            {
                using var ms = new MemoryStream();
                await file.CopyToAsync(ms, ct);
                images.Add(ms.ToArray());
            }
            int? topK = form.TryGetValue("top_k", out var tk) && tk.Count > 0 ? (int.TryParse(tk[0], out int v) ? v : throw new InvalidInputException("top_k must be an integer")) : null;
            return (images, topK);
        }
        if (request.ContentType is { } ct2 && !ct2.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            throw new UnsupportedMediaException(ct2);
        }
        var body = await RequestBody.ReadAsync(request, limit, ct);
        PredictRequest? input;
        try
        {
            input = JsonSerializer.Deserialize<PredictRequest>(body, JsonOptions);
        }
        catch (JsonException e)
        {
            throw new InvalidInputException($"the body is not the expected JSON: {e.Message}", e);
        }
        if (input is null) throw new InvalidInputException("the body is not the expected JSON: null");
        var encoded = (input.Images ?? []).Concat(input.Image is null ? [] : [input.Image]).ToArray();
        var decoded = new List<byte[]>(encoded.Length);
        for (int i = 0; i < encoded.Length; i++)
        {
            try
            {
                decoded.Add(Convert.FromBase64String(encoded[i]));
            }
            catch (FormatException)
            {
                throw new InvalidInputException($"image {i}: not valid base64");
            }
        }
        return (decoded, input.TopK);
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
}
