namespace PaddleNet.Detection;

/// <summary>Options of <see cref="ObjectDetector"/>.</summary>
public sealed class ObjectDetectorOptions
{
    /// <summary>Keep boxes scoring strictly above this (PaddleDetection's filter). Null: the config's <c>draw_threshold</c>.</summary>
    public double? ScoreThreshold { get; init; }

    /// <summary>Intra-op threads of the inference session.</summary>
    public int IntraOpThreads { get; init; } = 1;
}
