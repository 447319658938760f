using PaddleNet.Detection.Preprocessing;
using PaddleNet.Imaging;

namespace PaddleNet.Detection;

/// <summary>
/// A PaddleDetection export (<c>infer_cfg.yml</c> + model) run as <c>deploy/python/infer.py</c> runs it:
/// decode → RGB → <c>Preprocess</c> → feeds → detector (its NMS is part of the graph) → boxes in original-image pixels.
/// Thread-safety follows <see cref="InferenceSession"/>: use one detector per thread.
/// </summary>
public sealed class ObjectDetector : IDisposable
{
    private readonly InferenceSession _session;
    private readonly double _threshold;

    private ObjectDetector(DetectionConfig config, InferenceSession session, double threshold)
    {
        Config = config;
        _session = session;
        _threshold = threshold;
        foreach (var input in session.Inputs)
        {
            if (input.Name is not (DetectionBatch.ImageName or DetectionBatch.ImShapeName or DetectionBatch.ScaleFactorName or ImInfoName))
            {
                throw new PaddleNetException($"{config.ModelDirectory}: model input '{input.Name}' is not one PaddleDetection feeds (image, im_shape, scale_factor; im_info for a legacy R-CNN)");
            }
        }

        // A PaddleDetection 0.x R-CNN (inputs image, im_info, im_shape) ends in multiclass_nms v1, whose only output
        // carries the per-image counts as LoD; 2.x R-CNNs give boxes and counts (and masks for Mask R-CNN).
        _legacyRcnn = session.Inputs.Any(i => i.Name == ImInfoName) && session.Outputs.Count == 1;
        if (session.Outputs.Count < 2 && !_legacyRcnn)
        {
            throw new PaddleNetException($"{config.ModelDirectory}: expected the boxes [M, 6] and box-count outputs of an export with NMS, found {session.Outputs.Count} output(s)");
        }

        _maskOutput = session.Outputs.Count >= 3 && session.Outputs[2].Shape.Count == 3 ? 2 : -1;
    }

    /// <summary>The legacy R-CNN feed (h, w, scale of the resized image).</summary>
    internal const string ImInfoName = "im_info";

    private readonly bool _legacyRcnn;
    private readonly int _maskOutput;

    /// <summary>True when the model has a mask head (Mask R-CNN): its masks come with the detections and are drawn.</summary>
    internal bool HasMasks => _maskOutput >= 0;

    /// <summary>The parsed <c>infer_cfg.yml</c>.</summary>
    public DetectionConfig Config { get; }

    /// <summary>The score threshold in use.</summary>
    public double ScoreThreshold => _threshold;

    /// <summary>Loads <paramref name="inferConfigPath"/> (<c>infer_cfg.yml</c> or its folder) and the model beside it.</summary>
    public static ObjectDetector Load(string inferConfigPath, ObjectDetectorOptions? options = null)
    {
        options ??= new ObjectDetectorOptions();
        var config = DetectionConfig.Load(inferConfigPath);
        return Create(config, PaddleModel.Load(config.ModelDirectory), new SessionOptions { IntraOpThreads = Math.Max(1, options.IntraOpThreads) }, options.ScoreThreshold);
    }

    /// <summary>A detector on an already loaded model with given session options (tests: synthetic weights for program-only exports).</summary>
    internal static ObjectDetector Create(DetectionConfig config, PaddleModel model, SessionOptions sessionOptions, double? threshold = null)
    {
        var session = new InferenceSession(model, sessionOptions);
        var options = new ObjectDetectorOptions { ScoreThreshold = threshold };
        try
        {
            return new ObjectDetector(config, session, options.ScoreThreshold ?? config.DrawThreshold);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>Detects objects in the image file at <paramref name="path"/> (decoded as <c>cv2.imread</c>, under
    /// <see cref="ImageDecodeOptions.Default"/>: a regular file within the pixel and byte limits).</summary>
    public DetectionResult Detect(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Detect(Image.Decode(path));
    }

    /// <summary>Detects objects in an encoded image (JPEG, PNG, …).</summary>
    public DetectionResult Detect(ReadOnlySpan<byte> encoded) => Detect(Image.Decode(encoded));

    /// <summary>Detects objects in a decoded image of any <see cref="PixelFormat"/>.</summary>
    public DetectionResult Detect(Image image) => DetectBatch([image])[0];

    /// <summary>
    /// Runs <paramref name="images"/> as one batch (zero-padded to the largest preprocessed size). A cancelled
    /// <paramref name="cancellationToken"/> stops the model between operators with <see cref="OperationCanceledException"/>.
    /// </summary>
    public IReadOnlyList<DetectionResult> DetectBatch(IReadOnlyList<Image> images, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (images.Count == 0) return [];
        var prepared = images.Select(Config.Preprocessor.Run).ToArray();
        var outputs = Run(prepared, cancellationToken);
        return Split(outputs, images);
    }

    /// <summary>Runs the preprocessed batch and returns the raw outputs (boxes [M, 6], counts [N]).</summary>
    internal IReadOnlyList<Tensor> Run(IReadOnlyList<PreprocessedImage> prepared, CancellationToken cancellationToken = default)
    {
        var all = new Dictionary<string, Tensor>(DetectionBatch.Create(prepared), StringComparer.Ordinal);
        if (_legacyRcnn) AddLegacyRcnnFeeds(all, prepared);
        // deploy/python copies only the inputs the predictor declares (PicoDet has no im_shape).
        var feeds = _session.Inputs.ToDictionary(i => i.Name, i => all[i.Name], StringComparer.Ordinal);
        return _session.Run(feeds, cancellationToken.CanBeCanceled ? new RunOptions { CancellationToken = cancellationToken } : null);
    }

    /// <summary>
    /// PaddleDetection 0.x R-CNN feeds: im_info = (resized h, resized w, scale) and im_shape = (original h, original w, 1);
    /// the network divides its RoIs by the scale and clips them to the original image, so boxes come out in original pixels.
    /// </summary>
    private void AddLegacyRcnnFeeds(Dictionary<string, Tensor> all, IReadOnlyList<PreprocessedImage> prepared)
    {
        int n = prepared.Count;
        var info = new float[n * 3];
        var shape = new float[n * 3];
        for (int b = 0; b < n; b++)
        {
            var (h, w) = prepared[b].ImShape;
            var (sy, sx) = prepared[b].ScaleFactor;
            if (Math.Abs(sy - sx) > 1e-6f * Math.Max(sy, sx))
            {
                throw new PaddleNetException($"{Config.ModelDirectory}: a legacy R-CNN (im_info input) takes one scale per image; the Resize step scales height by {sy} and width by {sx} (use keep_ratio)");
            }

            (info[3 * b], info[3 * b + 1], info[3 * b + 2]) = (h, w, sy);
            (shape[3 * b], shape[3 * b + 1], shape[3 * b + 2]) = (MathF.Round(h / sy), MathF.Round(w / sx), 1f);
        }

        all[ImInfoName] = Tensor.FromSpan<float>(info, [n, 3]);
        if (_session.Inputs.FirstOrDefault(i => i.Name == DetectionBatch.ImShapeName) is { } imShape && imShape.Shape.Count == 2 && imShape.Shape[1] == 3)
        {
            all[DetectionBatch.ImShapeName] = Tensor.FromSpan<float>(shape, [n, 3]);
        }
    }

    private IReadOnlyList<DetectionResult> Split(IReadOnlyList<Tensor> outputs, IReadOnlyList<Image> images)
    {
        if (!_legacyRcnn) return DetectionOutput.Split(outputs[0], outputs[1], _maskOutput >= 0 ? outputs[_maskOutput] : null, images, Config, _threshold);
        if (images.Count != 1)
        {
            throw new PaddleNetException($"{Config.ModelDirectory}: this legacy R-CNN export gives its per-image box counts only as LoD; detect one image at a time");
        }

        int rows = outputs[0].Shape.Length == 2 && outputs[0].Shape[1] == 6 ? outputs[0].Shape[0] : 0; // [1, 1] = −1: nothing found
        return DetectionOutput.Split(outputs[0], Tensor.FromSpan<int>([rows], [1]), null, images, Config, _threshold);
    }

    /// <summary>Runs given feeds (e.g. stored reference tensors) and reads the output as <see cref="DetectBatch"/> does.</summary>
    internal IReadOnlyList<DetectionResult> RunFeeds(IReadOnlyDictionary<string, Tensor> feeds, IReadOnlyList<Image> images)
    {
        var outputs = _session.Run(feeds);
        return Split(outputs, images);
    }

    /// <summary>Releases the model's session.</summary>
    public void Dispose() => _session.Dispose();
}
