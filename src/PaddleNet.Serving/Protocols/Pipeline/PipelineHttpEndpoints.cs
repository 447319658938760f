using System.Text;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using PaddleNet.Serving.Config;
using PaddleNet.Serving.Metrics;
using PaddleNet.Serving.Models;

namespace PaddleNet.Serving.Protocols.Pipeline;

/// <summary>
/// The Paddle Serving HTTP gateway: <c>POST /{name}/{method}</c> with the JSON Request (no Content-Type needed),
/// path segments overriding the body's name/method, answered with the gateway's exact JSON. Gateway-level
/// failures use grpc-gateway's body and status: bad JSON 400 (code 3), busy 429 (8), closing 503 (14), body too
/// large 413 (8); a GET is 405 and other paths 404, both in plain text.
/// </summary>
internal static class PipelineHttpEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapPost("/{name}/{method}", HandleAsync).ExcludeFromDescription();
        app.MapMethods("/{name}/{method}", ["GET", "PUT", "DELETE", "PATCH", "HEAD"], (HttpContext c) =>
        {
            c.Response.Headers.Allow = "POST";
            return PlainText(c, 405, "Method Not Allowed\n");
        }).ExcludeFromDescription();
    }

    public static Task PlainText(HttpContext context, int status, string text)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        context.Response.Headers["X-Content-Type-Options"] = "nosniff";
        return context.Response.WriteAsync(text);
    }

    private static async Task HandleAsync(HttpContext context, string name, string method, PipelineInference inference,
        ServingConfig config, ServingMetrics metrics, ILoggerFactory loggers)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var logger = loggers.CreateLogger("PaddleNet.Serving.PipelineHttp");
        string outcome = "error";
        try
        {
            var body = await RequestBody.ReadAsync(context.Request, config.MaxRequestBytes, context.RequestAborted);
            Wire.Request request;
            try
            {
                request = PipelineJson.ParseRequest(body);
            }
            catch (Exception e) when (e is InvalidProtocolBufferException or FormatException or InvalidJsonException)
            {
                logger.LogInformation("pipeline HTTP {Path}: bad JSON: {Message}", context.Request.Path, e.Message);
                outcome = "bad_json";
                await Gateway(context, 400, 3, e.Message);
                return;
            }
            request.Name = name;
            request.Method = method;
            var response = await inference.InferAsync(request, context.RequestAborted);
            outcome = response.ErrNo == 0 ? "ok" : "err_" + response.ErrNo;
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/json";
            context.Response.Headers["Grpc-Metadata-Content-Type"] = "application/grpc";
            await context.Response.WriteAsync(PipelineJson.Render(response));
        }
        catch (RequestTooLargeException e)
        {
            outcome = "too_large";
            logger.LogInformation("pipeline HTTP {Path}: {Message}", context.Request.Path, e.Message);
            await Gateway(context, 413, 8, e.Message);
        }
        catch (BadRequestBodyException e)
        {
            outcome = e.Status == 408 ? "too_slow" : "bad_body";
            await Gateway(context, e.Status, 3, e.Message);
        }
        catch (QueueFullException e)
        {
            outcome = "busy";
            context.Response.Headers.RetryAfter = ((int)e.RetryAfter.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
            await Gateway(context, 429, 8, e.Message);
        }
        catch (ServerClosingException e)
        {
            outcome = "closing";
            context.Response.Headers.RetryAfter = "1";
            await Gateway(context, 503, 14, e.Message);
        }
        catch (Exception e) when (e is not OperationCanceledException && !context.Response.HasStarted)
        {
            outcome = "internal";
            logger.LogError(e, "pipeline HTTP {Path} failed", context.Request.Path);
            await Gateway(context, 500, 13, "internal error (see the server log)");
        }
        finally
        {
            metrics.ObserveRequest("pipeline_http", name, outcome, clock.Elapsed);
        }
    }

    private static Task Gateway(HttpContext context, int status, int code, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(PipelineJson.RenderGatewayError(code, message), Encoding.UTF8);
    }
}
