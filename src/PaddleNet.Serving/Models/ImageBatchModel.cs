using Microsoft.Extensions.Logging;
using PaddleNet.Imaging;
using PaddleNet.Serving.Batching;
using PaddleNet.Serving.Config;
using PaddleNet.Serving.Hosting;

namespace PaddleNet.Serving.Models;

/// <summary>
/// Shared shape of the served models that take encoded images and run them whole on a batch worker (detector, OCR):
/// the <see cref="BatchScheduler{TIn,TOut}"/> with its queue metric, request checks and decoding, close and dispose.
/// A subclass loads its model BEFORE calling this constructor (so a failed load starts no scheduler) and supplies
/// the batch run and the model's disposal.
/// </summary>
internal abstract class ImageBatchModel<TOut> : IServedModel
{
    private readonly BatchScheduler<Image, TOut> _scheduler;
    private readonly ImageDecodeOptions _decode;

    protected ImageBatchModel(ModelConfig config, ServingServices services)
    {
        Config = config;
        _decode = services.Decode;
        var logger = services.LoggerFactory.CreateLogger($"PaddleNet.Serving.Model.{config.Name}");
        _scheduler = new BatchScheduler<Image, TOut>(config.Name, config.Batching, config.Limits, config.Concurrency, RunBatch, services.Metrics, logger);
        services.Metrics.TrackQueue(config.Name, () => _scheduler.Depth);
        services.Metrics.TrackRunning(config.Name, () => _scheduler.Running);
    }

    public string Name => Config.Name;

    public abstract string Kind { get; }

    public ModelConfig Config { get; }

    public int QueueDepth => _scheduler.Depth;

    public void Close() => _scheduler.Close();

    public async ValueTask DisposeAsync()
    {
        await _scheduler.DisposeAsync().ConfigureAwait(false);
        DisposeModel();
    }

    /// <summary>Checks the request's image count, decodes every image and queues them as one request.</summary>
    protected async Task<IReadOnlyList<TOut>> SubmitAsync(IReadOnlyList<byte[]> encodedImages, CancellationToken cancellationToken)
    {
        if (encodedImages.Count == 0) throw new InvalidInputException("no image in the request");
        if (encodedImages.Count > Config.Limits.MaxImagesPerRequest) throw new InvalidInputException($"{encodedImages.Count} images in one request; the limit is {Config.Limits.MaxImagesPerRequest}");
        var images = new Image[encodedImages.Count];
        for (int i = 0; i < images.Length; i++)
        {
            images[i] = RequestImage.Decode(encodedImages[i], i, _decode);
        }
        return await _scheduler.SubmitAsync(images, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs one batch on a scheduler worker; <paramref name="abandoned"/> is cancelled when no request waits for it any more.</summary>
    protected abstract IReadOnlyList<TOut> RunBatch(IReadOnlyList<Image> images, CancellationToken abandoned);

    /// <summary>Releases the loaded model once the scheduler has drained.</summary>
    protected abstract void DisposeModel();
}
