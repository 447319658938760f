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
            if (input.Name is not (DetectionBatch.ImageName or DetectionBatch.ImShapeName or DetectionBatch.ScaleFactorName))
            {
                throw new PaddleNetException($"{config.ModelDirectory}: model input '{input.Name}' is not one PaddleDetection feeds (image, im_shape, scale_factor)");
            }
        }

        if (session.Outputs.Count < 2)
        {
            throw new PaddleNetException($"{config.ModelDirectory}: expected the boxes [M, 6] and box-count outputs of an export with NMS, found {session.Outputs.Count} output(s)");
        }
    }

    /// <summary>The parsed <c>infer_cfg.yml</c>.</summary>
    public DetectionConfig Config { get; }

    /// <summary>The score threshold in use.</summary>
    public double ScoreThreshold => _threshold;

    /// <summary>Loads <paramref name="inferConfigPath"/> (<c>infer_cfg.yml</c> or its folder) and the model beside it.</summary>
    public static ObjectDetector Load(string inferConfigPath, ObjectDetectorOptions? options = null)
    {
        options ??= new ObjectDetectorOptions();
        var config = DetectionConfig.Load(inferConfigPath);
        var model = PaddleModel.Load(config.ModelDirectory);
        var session = new InferenceSession(model, new SessionOptions { IntraOpThreads = Math.Max(1, options.IntraOpThreads) });
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

    /// <summary>Runs <paramref name="images"/> as one batch (zero-padded to the largest preprocessed size).</summary>
    public IReadOnlyList<DetectionResult> DetectBatch(IReadOnlyList<Image> images)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (images.Count == 0) return [];
        var prepared = images.Select(Config.Preprocessor.Run).ToArray();
        var outputs = Run(prepared);
        return DetectionOutput.Split(outputs[0], outputs[1], images, Config, _threshold);
    }

    /// <summary>Runs the preprocessed batch and returns the raw outputs (boxes [M, 6], counts [N]).</summary>
    internal IReadOnlyList<Tensor> Run(IReadOnlyList<PreprocessedImage> prepared)
    {
        var all = DetectionBatch.Create(prepared);
        // deploy/python copies only the inputs the predictor declares (PicoDet has no im_shape).
        var feeds = _session.Inputs.ToDictionary(i => i.Name, i => all[i.Name], StringComparer.Ordinal);
        return _session.Run(feeds);
    }

    /// <summary>Runs given feeds (e.g. stored reference tensors) and reads the output as <see cref="DetectBatch"/> does.</summary>
    internal IReadOnlyList<DetectionResult> RunFeeds(IReadOnlyDictionary<string, Tensor> feeds, IReadOnlyList<Image> images)
    {
        var outputs = _session.Run(feeds);
        return DetectionOutput.Split(outputs[0], outputs[1], images, Config, _threshold);
    }

    public void Dispose() => _session.Dispose();
}
