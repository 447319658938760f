namespace PaddleNet.Serving.Config;

/// <summary>Dynamic batching of one model: up to <see cref="MaxBatchSize"/> images, waiting at most <see cref="MaxDelay"/> for more.</summary>
public sealed record BatchingOptions(int MaxBatchSize, TimeSpan MaxDelay)
{
    /// <summary>Up to 8 inputs per batch, waiting at most 5 ms for more.</summary>
    public static BatchingOptions Default { get; } = new(8, TimeSpan.FromMilliseconds(5));
}
