using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using PaddleNet.Detection;
using PaddleNet.Imaging;
using PaddleNet.Serving.Batching;
using PaddleNet.Serving.Config;
using PaddleNet.Serving.Hosting;

namespace PaddleNet.Serving.Models.Detectors;

/// <summary>
/// A PaddleDetection export (<c>infer_cfg.yml</c>) as <see cref="ObjectDetector"/> runs it, one detector per batch
/// worker (ObjectDetector is one-per-thread), behind a <see cref="BatchScheduler{TIn,TOut}"/>.
/// </summary>
internal sealed class DetectorModel : IDetectorModel
{
    private readonly ConcurrentBag<ObjectDetector> _detectors = [];
    private readonly BatchScheduler<Image, DetectionResult> _scheduler;

    public DetectorModel(ModelConfig config, ServingServices services)
    {
        Config = config;
        try
        {
            for (int i = 0; i < config.Concurrency; i++) _detectors.Add(ObjectDetector.Load(config.ConfigPath, new ObjectDetectorOptions { IntraOpThreads = config.Threads }));
        }
        catch (Exception e) when (e is PaddleNetException or IOException or UnauthorizedAccessException)
        {
            foreach (var d in _detectors) d.Dispose();
            throw new ServingConfigException($"model '{config.Name}': cannot load detector {config.ConfigPath}: {e.Message}", e);
        }
        var logger = services.LoggerFactory.CreateLogger($"PaddleNet.Serving.Model.{config.Name}");
        _scheduler = new BatchScheduler<Image, DetectionResult>(config.Name, config.Batching, config.Limits, config.Concurrency, Run, services.Metrics, logger);
        services.Metrics.TrackQueue(config.Name, () => _scheduler.Depth);
    }

    public string Name => Config.Name;

    public string Kind => DetectorFactory.KindName;

    public ModelConfig Config { get; }

    public int QueueDepth => _scheduler.Depth;

    public async Task<IReadOnlyList<DetectionResult>> DetectAsync(IReadOnlyList<byte[]> encodedImages, CancellationToken cancellationToken)
    {
        if (encodedImages.Count == 0) throw new InvalidInputException("no image in the request");
        if (encodedImages.Count > Config.Limits.MaxImagesPerRequest) throw new InvalidInputException($"{encodedImages.Count} images in one request; the limit is {Config.Limits.MaxImagesPerRequest}");
        var images = new Image[encodedImages.Count];
        for (int i = 0; i < images.Length; i++)
        {
            try
            {
                images[i] = Image.Decode(encodedImages[i]);
            }
            catch (ImageDecodeException e)
            {
                throw new InvalidInputException($"image {i}: not a decodable image ({encodedImages[i].Length} bytes)", e);
            }
        }
        return await _scheduler.SubmitAsync(images, cancellationToken).ConfigureAwait(false);
    }

    public void Close() => _scheduler.Close();

    public async ValueTask DisposeAsync()
    {
        await _scheduler.DisposeAsync().ConfigureAwait(false);
        foreach (var d in _detectors) d.Dispose();
    }

    private IReadOnlyList<DetectionResult> Run(IReadOnlyList<Image> images)
    {
        if (!_detectors.TryTake(out var detector)) throw new InvalidOperationException("more batch workers than detectors");
        try
        {
            return detector.DetectBatch(images);
        }
        finally
        {
            _detectors.Add(detector);
        }
    }
}
