namespace PaddleNet.Serving.Models;

/// <summary>Base of the errors a request can end in; each protocol maps them to its own envelope.</summary>
public abstract class ServingException : PaddleNetException
{
    /// <summary>An error with <paramref name="message"/> and its cause, if any.</summary>
    protected ServingException(string message, Exception? inner = null) : base(message, inner)
    {
    }
}

/// <summary>The client sent something unusable (bad base64, not an image, wrong shape…): a 4xx, never logged as an error.</summary>
public sealed class InvalidInputException : ServingException
{
    /// <summary>The request is malformed or its data unusable, as <paramref name="message"/> says.</summary>
    public InvalidInputException(string message, Exception? inner = null) : base(message, inner)
    {
    }
}

/// <summary>No model of that name (or of the kind the route needs).</summary>
public sealed class ModelNotFoundException : ServingException
{
    /// <summary>No model called <paramref name="name"/> is served.</summary>
    public ModelNotFoundException(string name) : base($"model '{name}' is not served here") => ModelName = name;

    /// <summary>The name asked for.</summary>
    public string ModelName { get; }
}

/// <summary>The model's queue is full; retry after <see cref="RetryAfter"/>.</summary>
public sealed class QueueFullException : ServingException
{
    /// <summary><paramref name="model"/>'s queue holds <paramref name="depth"/> inputs and cannot take the request; retry after <paramref name="retryAfter"/>.</summary>
    public QueueFullException(string model, int depth, TimeSpan retryAfter)
        : base($"model '{model}' is busy ({depth} images queued); retry later") => RetryAfter = retryAfter;

    /// <summary>When a client may retry.</summary>
    public TimeSpan RetryAfter { get; }
}

/// <summary>The request did not finish within the model's timeout.</summary>
public sealed class RequestTimeoutException : ServingException
{
    /// <summary><paramref name="model"/> did not answer within <paramref name="timeout"/>.</summary>
    public RequestTimeoutException(string model, TimeSpan timeout)
        : base($"model '{model}' did not answer within {timeout.TotalMilliseconds:0} ms")
    {
    }
}

/// <summary>The server is shutting down and takes no new work.</summary>
public sealed class ServerClosingException : ServingException
{
    /// <summary><paramref name="model"/> is shutting down and takes no new work.</summary>
    public ServerClosingException(string model) : base($"model '{model}' is shutting down")
    {
    }
}

/// <summary>The request body is over the server's <c>max_request_bytes</c>.</summary>
public sealed class RequestTooLargeException : ServingException
{
    /// <summary>The body is larger than <paramref name="limit"/> bytes.</summary>
    public RequestTooLargeException(long limit) : base($"request body is larger than {limit} bytes") => Limit = limit;

    /// <summary>The largest body accepted, in bytes.</summary>
    public long Limit { get; }
}

/// <summary>Kestrel refused the request body while it was read: 408 when it arrived slower than the minimum data
/// rate, 400 when it was malformed (bad chunking).</summary>
public sealed class BadRequestBodyException : ServingException
{
    /// <summary>Kestrel refused the body with <paramref name="status"/> (408 or 400); <paramref name="inner"/> is its error.</summary>
    public BadRequestBodyException(int status, Exception? inner = null)
        : base(status == 408 ? "the request body arrived too slowly" : "the request body is malformed", inner) => Status = status;

    /// <summary>The HTTP status Kestrel chose (408 or 400).</summary>
    public int Status { get; }
}

/// <summary>The request's Content-Type is not one the endpoint reads.</summary>
public sealed class UnsupportedMediaException : ServingException
{
    /// <summary>The body's <paramref name="contentType"/> is not one the endpoint reads.</summary>
    public UnsupportedMediaException(string contentType) : base($"Content-Type '{contentType}' is not supported; send application/json or multipart/form-data")
    {
    }
}
