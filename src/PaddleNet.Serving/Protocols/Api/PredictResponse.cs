namespace PaddleNet.Serving.Protocols.Api;

/// <summary>One image's classes, best first; scores rounded to 5 decimals as PaddleClas's Topk prints them.</summary>
public sealed record ClassScores(IReadOnlyList<int> ClassIds, IReadOnlyList<double> Scores, IReadOnlyList<string> LabelNames);

/// <summary>The answer of <c>POST /v1/models/{name}:predict</c>: one entry per image, in request order.</summary>
public sealed record PredictResponse(string Model, IReadOnlyList<ClassScores> Results);

/// <summary>The JSON body of <c>POST /v1/models/{name}:predict</c>: one base64 <c>image</c> or a list of <c>images</c>.</summary>
public sealed record PredictRequest(string? Image, IReadOnlyList<string>? Images, int? TopK);

/// <summary>A model as <c>GET /v1/models</c> lists it.</summary>
public sealed record ModelInfo(string Name, string Kind, string Config, int MaxBatchSize, double MaxDelayMs, int MaxQueue, double TimeoutMs, int MaxImagesPerRequest, int QueueDepth, int? DefaultTopK);

/// <summary>The answer of <c>GET /v1/models</c>.</summary>
public sealed record ModelList(IReadOnlyList<ModelInfo> Models);

/// <summary>One detected object: box <c>[x1, y1, x2, y2]</c> in original-image pixels.</summary>
public sealed record DetectedBox(int ClassId, string Label, float Score, IReadOnlyList<float> Box);

/// <summary>One image's detections.</summary>
public sealed record ImageDetections(int ImageWidth, int ImageHeight, IReadOnlyList<DetectedBox> Objects);

/// <summary>The answer of <c>POST /v1/models/{name}:predict</c> for a detector.</summary>
public sealed record DetectResponse(string Model, IReadOnlyList<ImageDetections> Results);

/// <summary>One line of text: its text, CTC score (5 decimals) and box (4 corners clockwise from top-left, source pixels).</summary>
public sealed record TextLine(string? Text, double Score, IReadOnlyList<IReadOnlyList<int>>? Box);

/// <summary>One image's lines, top to bottom.</summary>
public sealed record ImageText(int ImageWidth, int ImageHeight, IReadOnlyList<TextLine> Lines);

/// <summary>The answer of <c>POST /v1/models/{name}:predict</c> for an OCR model.</summary>
public sealed record OcrResponse(string Model, IReadOnlyList<ImageText> Results);
