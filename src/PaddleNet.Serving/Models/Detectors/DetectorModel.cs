using System.Collections.Concurrent;
using PaddleNet.Detection;
using PaddleNet.Imaging;
using PaddleNet.Serving.Config;
using PaddleNet.Serving.Hosting;

namespace PaddleNet.Serving.Models.Detectors;

/// <summary>
/// A PaddleDetection export (<c>infer_cfg.yml</c>) as <see cref="ObjectDetector"/> runs it, one detector per batch
/// worker (ObjectDetector is one-per-thread), behind a batch scheduler (<see cref="ImageBatchModel{TOut}"/>).
/// </summary>
internal sealed class DetectorModel : ImageBatchModel<DetectionResult>, IDetectorModel
{
    private readonly ConcurrentBag<ObjectDetector> _detectors;

    public DetectorModel(ModelConfig config, ServingServices services)
        : this(config, services, Load(config))
    {
    }

    private DetectorModel(ModelConfig config, ServingServices services, ConcurrentBag<ObjectDetector> detectors)
        : base(config, services) => _detectors = detectors;

    public override string Kind => DetectorFactory.KindName;

    public Task<IReadOnlyList<DetectionResult>> DetectAsync(IReadOnlyList<byte[]> encodedImages, CancellationToken cancellationToken) =>
        SubmitAsync(encodedImages, cancellationToken);

    protected override IReadOnlyList<DetectionResult> RunBatch(IReadOnlyList<Image> images, CancellationToken abandoned)
    {
        if (!_detectors.TryTake(out var detector)) throw new InvalidOperationException("more batch workers than detectors");
        try
        {
            return detector.DetectBatch(images, abandoned);
        }
        finally
        {
            _detectors.Add(detector);
        }
    }

    protected override void DisposeModel()
    {
        foreach (var d in _detectors) d.Dispose();
    }

    /// <summary>One detector per batch worker; a failed load disposes the ones already loaded.</summary>
    private static ConcurrentBag<ObjectDetector> Load(ModelConfig config)
    {
        var detectors = new ConcurrentBag<ObjectDetector>();
        try
        {
            for (int i = 0; i < config.Concurrency; i++) detectors.Add(ObjectDetector.Load(config.ConfigPath, new ObjectDetectorOptions { IntraOpThreads = config.Threads }));
        }
        catch (Exception e) when (e is PaddleNetException or IOException or UnauthorizedAccessException)
        {
            foreach (var d in detectors) d.Dispose();
            throw new ServingConfigException($"model '{config.Name}': cannot load detector {config.ConfigPath}: {e.Message}", e);
        }
        return detectors;
    }
}
