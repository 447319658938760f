using Microsoft.AspNetCore.Http;
using PaddleNet.Serving.Models;

namespace PaddleNet.Serving.Protocols;

/// <summary>Reads a whole request body up to the server's size limit (checked on Content-Length first, then while reading).</summary>
internal static class RequestBody
{
    public static async Task<byte[]> ReadAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength is { } declared && declared > limit) throw new RequestTooLargeException(limit);
        using var buffer = new MemoryStream(request.ContentLength is { } n ? (int)Math.Min(n, limit) : 4096);
        var chunk = new byte[81920];
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > limit) throw new RequestTooLargeException(limit);
                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw new RequestTooLargeException(limit);
        }
        return buffer.ToArray();
    }
}
