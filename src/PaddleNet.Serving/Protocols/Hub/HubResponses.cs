using System.Text;
using Microsoft.AspNetCore.Http;

namespace PaddleNet.Serving.Protocols.Hub;

/// <summary>PaddleHub 2.4.0 app_compat answers: the <c>{"msg","results","status"}</c> envelope (HTTP 200 even for errors) and Werkzeug's HTML error pages.</summary>
internal static class HubResponses
{
    public const string Ok = "000";
    public const string MethodFailed = "101";
    public const string UnknownModule = "111";

    public static Task Envelope(HttpContext context, string status, string msg, object? results, int httpStatus = 200)
    {
        context.Response.StatusCode = httpStatus;
        context.Response.ContentType = "application/json";
        var body = new Dictionary<string, object?> { ["msg"] = msg, ["results"] = results ?? "", ["status"] = status };
        return context.Response.WriteAsync(PyJson.Dumps(body), Encoding.UTF8);
    }

    public static Task Html(HttpContext context, int status, string title, string description)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/html; charset=utf-8";
        return context.Response.WriteAsync($"<!doctype html>\n<html lang=en>\n<title>{status} {title}</title>\n<h1>{title}</h1>\n<p>{description}</p>\n", Encoding.UTF8);
    }
}
