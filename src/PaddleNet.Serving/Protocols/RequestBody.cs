using System.Buffers;
using Microsoft.AspNetCore.Http;
using PaddleNet.Serving.Models;

namespace PaddleNet.Serving.Protocols;

/// <summary>Reads a whole request body up to the server's size limit (checked on Content-Length first, then while reading).</summary>
internal static class RequestBody
{
    public static async Task<byte[]> ReadAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength is { } declared && declared > limit) throw new RequestTooLargeException(limit);
        try
        {
            if (request.ContentLength is { } n)
            {
                // The usual case: read straight into an array of the declared size (one allocation, no copy).
                var exact = new byte[n];
                int at = 0;
                while (at < exact.Length)
                {
                    int got = await request.Body.ReadAsync(exact.AsMemory(at), cancellationToken).ConfigureAwait(false);
                    if (got == 0) break;
                    at += got;
                }
                return at == exact.Length ? exact : exact[..at];
            }
            using var buffer = new MemoryStream(4096);
            var chunk = ArrayPool<byte>.Shared.Rent(16384);
            try
            {
                int read;
                while ((read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    if (buffer.Length + read > limit) throw new RequestTooLargeException(limit);
                    buffer.Write(chunk, 0, read);
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(chunk);
            }
            return buffer.ToArray();
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw new RequestTooLargeException(limit);
        }
        catch (BadHttpRequestException e)
        {
            throw new BadRequestBodyException(e.StatusCode, e);
        }
    }
}
