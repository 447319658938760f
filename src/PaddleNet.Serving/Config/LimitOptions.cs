namespace PaddleNet.Serving.Config;

/// <summary>Per-model limits: queued images before 429, per-request timeout, images per request.</summary>
public sealed record LimitOptions(int MaxQueue, TimeSpan Timeout, int MaxImagesPerRequest)
{
    /// <summary>256 queued inputs, a 30 s timeout, 64 images per request.</summary>
    public static LimitOptions Default { get; } = new(256, TimeSpan.FromSeconds(30), 64);
}
