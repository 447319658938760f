using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using PaddleNet.Serving.Config;
using PaddleNet.Serving.Metrics;
using PaddleNet.Serving.Models;

namespace PaddleNet.Serving.Protocols.Hub;

/// <summary>
/// PaddleHub Serving (2.4.0 app_compat under Flask 3): <c>POST /predict/&lt;module&gt;</c>, a module being a served
/// classifier. Unknown module → status 111; a non-JSON Content-Type → HTTP 415 page; undecodable JSON → HTTP 400
/// page; the serving method failing → status 101 with the message. Busy/closing answer 429/503 with Retry-After
/// and status 101 (app_compat has no such state).
/// </summary>
internal static class HubEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapPost("/predict/{module}", HandleAsync).ExcludeFromDescription();
        app.MapMethods("/predict/{module}", ["GET", "PUT", "DELETE", "PATCH"], (HttpContext c) =>
        {
            c.Response.Headers.Allow = "POST";
            return HubResponses.Html(c, 405, "Method Not Allowed", "The method is not allowed for the requested URL.");
        }).ExcludeFromDescription();
    }

    private static async Task HandleAsync(HttpContext context, string module, ModelRegistry registry, ServingConfig config,
        ServingMetrics metrics, ILoggerFactory loggers)
    {
        var clock = Stopwatch.StartNew();
        var logger = loggers.CreateLogger("PaddleNet.Serving.Hub");
        string outcome = "error";
        try
        {
            if (!registry.TryGet(module, out var model) && module == Models.Ocr.OcrFactory.HubModule)
            {
                model = registry.Models.FirstOrDefault(m => m is IOcrModel);
            }

            if (model is IOcrModel ocrModel)
            {
                if (!IsJson(context.Request.ContentType))
                {
                    outcome = "not_json";
                    await HubResponses.Html(context, 415, "Unsupported Media Type",
                        "Did not attempt to load JSON data because the request Content-Type was not &#39;application/json&#39;.");
                    return;
                }

                var ocrBody = await RequestBody.ReadAsync(context.Request, config.MaxRequestBytes, context.RequestAborted);
                try
                {
                    using var doc = JsonDocument.Parse(ocrBody);
                    var request = HubRequest.Parse(doc.RootElement);
                    if (request.Images is null) throw new InvalidInputException("images must be a list of base64 strings");
                    var read = await ocrModel.ReadAsync(request.Images, context.RequestAborted);
                    outcome = "ok";
                    await HubResponses.Envelope(context, HubResponses.Ok, "", OcrSystemResults(read));
                }
                catch (JsonException e)
                {
                    outcome = "bad_json";
                    logger.LogInformation("hub /predict/{Module}: bad JSON: {Message}", module, e.Message);
                    await HubResponses.Html(context, 400, "Bad Request", "The browser (or proxy) sent a request that this server could not understand.");
                }
                catch (Exception e) when (e is InvalidInputException or FormatException or RequestTimeoutException)
                {
                    outcome = "method_failed";
                    logger.LogInformation("hub /predict/{Module}: {Message}", module, e.Message);
                    await HubResponses.Envelope(context, HubResponses.MethodFailed, e.Message, "");
                }

                return;
            }

            if (model is not IClassifierModel classifier)
            {
                outcome = "unknown_module";
                await HubResponses.Envelope(context, HubResponses.UnknownModule, $"Module {module} is not available.", "");
                return;
            }
            if (!IsJson(context.Request.ContentType))
            {
                outcome = "not_json";
                await HubResponses.Html(context, 415, "Unsupported Media Type",
                    "Did not attempt to load JSON data because the request Content-Type was not &#39;application/json&#39;.");
                return;
            }
            var body = await RequestBody.ReadAsync(context.Request, config.MaxRequestBytes, context.RequestAborted);
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(body);
            }
            catch (JsonException e)
            {
                outcome = "bad_json";
                logger.LogInformation("hub /predict/{Module}: bad JSON: {Message}", module, e.Message);
                await HubResponses.Html(context, 400, "Bad Request", "The browser (or proxy) sent a request that this server could not understand.");
                return;
            }
            using (document)
            {
                var started = Stopwatch.StartNew();
                try
                {
                    var request = HubRequest.Parse(document.RootElement);
                    object results = request.Images is not null
                        ? Generic(classifier, await classifier.ClassifyAsync(request.Images, context.RequestAborted), request.TopK)
                        : ClasSystem(await classifier.ClassifyTensorAsync(request.Tensor!, request.Shape!, context.RequestAborted), started.Elapsed);
                    outcome = "ok";
                    await HubResponses.Envelope(context, HubResponses.Ok, "", results);
                }
                catch (Exception e) when (e is InvalidInputException or FormatException or RequestTimeoutException)
                {
                    outcome = "method_failed";
                    logger.LogInformation("hub /predict/{Module}: {Message}", module, e.Message);
                    await HubResponses.Envelope(context, HubResponses.MethodFailed, e.Message, "");
                }
            }
        }
        catch (RequestTooLargeException)
        {
            outcome = "too_large";
            await HubResponses.Html(context, 413, "Request Entity Too Large", "The data value transmitted exceeds the capacity limit.");
        }
        catch (BadRequestBodyException e)
        {
            outcome = e.Status == 408 ? "too_slow" : "bad_body";
            await HubResponses.Html(context, e.Status, e.Status == 408 ? "Request Timeout" : "Bad Request", e.Message);
        }
        catch (QueueFullException e)
        {
            outcome = "busy";
            context.Response.Headers.RetryAfter = ((int)e.RetryAfter.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
            await HubResponses.Envelope(context, HubResponses.MethodFailed, e.Message, "", 429);
        }
        catch (ServerClosingException e)
        {
            outcome = "closing";
            context.Response.Headers.RetryAfter = "1";
            await HubResponses.Envelope(context, HubResponses.MethodFailed, e.Message, "", 503);
        }
        catch (Exception e) when (e is not OperationCanceledException && !context.Response.HasStarted)
        {
            // app_compat catches every exception of the serving method into status 101.
            outcome = "internal";
            logger.LogError(e, "hub /predict/{Module} failed", module);
            await HubResponses.Envelope(context, HubResponses.MethodFailed, "internal error (see the server log)", "");
        }
        finally
        {
            metrics.ObserveRequest("hub", module, outcome, clock.Elapsed);
        }
    }

    // Werkzeug's is_json: application/json or application/*+json.
    private static bool IsJson(string? contentType)
    {
        if (contentType is null) return false;
        string mime = contentType.Split(';')[0].Trim().ToLowerInvariant();
        return mime == "application/json" || (mime.StartsWith("application/", StringComparison.Ordinal) && mime.EndsWith("+json", StringComparison.Ordinal));
    }

    // PaddleOCR's deploy/hubserving/ocr_system: per image a list of {text, confidence, text_region (int corners)}.
    private static List<object?> OcrSystemResults(IReadOnlyList<PaddleNet.Ocr.OcrResult> results) =>
        results.Select(r => (object?)r.Lines.Select(l => (object?)new Dictionary<string, object?>
        {
            ["confidence"] = (double)l.Score,
            ["text"] = l.Text ?? "",
            ["text_region"] = l.Box is null ? new List<object?>() : Enumerable.Range(0, 4).Select(i => (object?)new List<object?> { (long)l.Box[2 * i], (long)l.Box[2 * i + 1] }).ToList(),
        }).ToList()).ToList();

    // Generic PaddleHub classification modules: one {label: score} dict per image with the top_k classes.
    private static List<object?> Generic(IClassifierModel model, IReadOnlyList<ClassifiedImage> results, int topK) =>
        results.Select(r =>
        {
            var ranked = model.Rank(r, topK);
            var map = new Dictionary<string, object?>(StringComparer.Ordinal);
            for (int i = 0; i < ranked.ClassIds.Count; i++)
            {
                string label = ranked.LabelNames is { Count: > 0 } names ? names[i] : ranked.ClassIds[i].ToString(System.Globalization.CultureInfo.InvariantCulture);
                map.TryAdd(label, (double)r.Scores[ranked.ClassIds[i]]);
            }
            return (object?)map;
        }).ToList();

    // clas_system: {"prediction": [{class_ids, scores (5 decimals), label_names}], "elapse": seconds}.
    private static Dictionary<string, object?> ClasSystem(IReadOnlyList<ClassifiedImage> results, TimeSpan elapsed) => new()
    {
        ["prediction"] = results.Select(r => (object?)new Dictionary<string, object?>
        {
            ["class_ids"] = r.TopK.ClassIds.Select(i => (object?)i).ToList(),
            ["scores"] = r.TopK.Scores.Select(s => (object?)s).ToList(),
            ["label_names"] = (r.TopK.LabelNames ?? []).Select(s => (object?)s).ToList(),
        }).ToList(),
        ["elapse"] = elapsed.TotalSeconds,
    };
}
