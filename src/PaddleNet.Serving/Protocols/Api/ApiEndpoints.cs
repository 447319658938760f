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
            .ProducesProblem(400).ProducesProblem(404).ProducesProblem(408).ProducesProblem(413).ProducesProblem(415).ProducesProblem(429).ProducesProblem(503).ProducesProblem(504);
        app.MapMethods("/v1/models/{name}:predict", ["GET", "PUT", "DELETE", "PATCH", "HEAD"], MethodNotAllowed).ExcludeFromDescription();
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
                BadRequestBodyException b => (b.Status, b.Status == 408 ? "Request body too slow" : "Bad request body"),
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
            // The log has the details; the answer carries no internal text.
            return Results.Problem(detail: "internal error (see the server log)", statusCode: 500, title: "Inference failed");
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
            catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                throw new RequestTooLargeException(limit);
            }
            catch (BadHttpRequestException e)
            {
                throw new BadRequestBodyException(e.StatusCode, e);
            }
            catch (Exception e) when (e is InvalidDataException or IOException)
            {
                throw new InvalidInputException("bad multipart body", e);
            }
            var images = new List<byte[]>();
            foreach (var file in form.Files)
            {
                // One array of the part's size (no growing MemoryStream and final copy).
                var bytes = new byte[file.Length];
                await using (var part = file.OpenReadStream())
                {
                    await part.ReadExactlyAsync(bytes, ct);
                }
                images.Add(bytes);
            }
            int? topK = form.TryGetValue("top_k", out var tk) && tk.Count > 0 ? (int.TryParse(tk[0], out int v) ? v : throw new InvalidInputException("top_k must be an integer")) : null;
            return (images, topK);
        }
        if (request.ContentType is { } ct2 && !ct2.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            throw new UnsupportedMediaException(ct2);
        }
        var body = await RequestBody.ReadAsync(request, limit, ct);
        return ParseJson(body);
    }

    /// <summary>
    /// Reads <c>{"image": b64, "images": [b64, …], "top_k": k}</c> straight from the UTF-8 body: each base64 string is
    /// decoded from the body's bytes into one array of its exact size, with no UTF-16 string in between (a 16 MB body
    /// used to cost ~32 MB of strings plus the decoded copies).
    /// </summary>
    private static (IReadOnlyList<byte[]> Images, int? TopK) ParseJson(byte[] body)
    {
        var list = new List<byte[]>();
        byte[]? single = null;
        int? topK = null;
        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 16 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) throw new InvalidInputException("the body is not the expected JSON: not an object");
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("image"u8))
                {
                    reader.Read();
                    if (reader.TokenType != JsonTokenType.Null) single = Base64(ref reader, -1);
                }
                else if (reader.ValueTextEquals("images"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.Null) continue;
                    if (reader.TokenType != JsonTokenType.StartArray) throw new InvalidInputException("the body is not the expected JSON: images must be a list of base64 strings");
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray) list.Add(Base64(ref reader, list.Count));
                }
                else if (reader.ValueTextEquals("top_k"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.Null) topK = null;
                    else if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out int k)) topK = k;
                    else throw new InvalidInputException("the body is not the expected JSON: top_k must be an integer");
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
        }
        catch (JsonException e)
        {
            throw new InvalidInputException($"the body is not the expected JSON: {e.Message}", e);
        }
        if (single is not null) list.Add(single);
        return (list, topK);
    }

    private static byte[] Base64(ref Utf8JsonReader reader, int index)
    {
        int i = index < 0 ? 0 : index;
        if (reader.TokenType != JsonTokenType.String) throw new InvalidInputException($"image {i}: not a base64 string");
        if (!reader.ValueIsEscaped)
        {
            ReadOnlySpan<byte> text = reader.ValueSpan;
            int padding = text.EndsWith("=="u8) ? 2 : text.EndsWith("="u8) ? 1 : 0;
            var exact = new byte[Math.Max(0, text.Length / 4 * 3 - padding)];
            if (System.Buffers.Text.Base64.DecodeFromUtf8(text, exact, out _, out int written) == System.Buffers.OperationStatus.Done && written == exact.Length)
            {
                return exact;
            }
        }
        // Escapes, whitespace or an odd length: the general decoder says whether it is base64 at all.
        try
        {
            return Convert.FromBase64String(reader.GetString()!);
        }
        catch (FormatException)
        {
            throw new InvalidInputException($"image {i}: not valid base64");
        }
    }

    private static Task MethodNotAllowed(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
        context.Response.Headers.Allow = "POST";
        return context.Request.Method == "HEAD" ? Task.CompletedTask
            : context.Response.WriteAsJsonAsync(new { title = "Method not allowed", status = 405, detail = "use POST" });
    }
}
