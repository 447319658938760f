using PaddleNet.Pipeline;

namespace PaddleNet.Serving.Models;

/// <summary>
/// One image's answer. <see cref="TopK"/> is the config's Topk postprocess (ids best first, scores rounded to 5
/// decimals as PaddleClas does). <see cref="BestId"/>/<see cref="BestScore"/> are what Paddle Serving's
/// classification op reports: the first index of the maximum and the unrounded float32 score.
/// <see cref="Scores"/> is the model's whole output row.
/// </summary>
public sealed record ClassifiedImage(Classification TopK, int BestId, float BestScore, string? BestLabel, float[] Scores);
