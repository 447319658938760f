using Microsoft.Extensions.Logging;
using PaddleNet.Imaging;
using PaddleNet.Ocr;
using PaddleNet.Serving.Batching;
using PaddleNet.Serving.Config;
using PaddleNet.Serving.Hosting;

namespace PaddleNet.Serving.Models.Ocr;

/// <summary>
/// An <see cref="OcrSystem"/> (thread-safe, shared by the batch workers) behind a <see cref="BatchScheduler{TIn,TOut}"/>:
/// a batch is read image by image, as PaddleOCR's serving modules do.
/// </summary>
internal sealed class OcrModel : IOcrModel
{
    private readonly OcrSystem _system;
    private readonly BatchScheduler<Image, OcrResult> _scheduler;

    public OcrModel(ModelConfig config, ServingServices services)
    {
        Config = config;
        try
        {
            _system = OcrSystem.Load(OcrConfigReader.Read(config.ConfigPath, config.Threads));
        }
        catch (Exception e) when (e is PaddleNetException or IOException or UnauthorizedAccessException)
        {
            throw new ServingConfigException($"model '{config.Name}': cannot load OCR models of {config.ConfigPath}: {e.Message}", e);
        }

        var logger = services.LoggerFactory.CreateLogger($"PaddleNet.Serving.Model.{config.Name}");
        _scheduler = new BatchScheduler<Image, OcrResult>(config.Name, config.Batching, config.Limits, config.Concurrency, Run, services.Metrics, logger);
        services.Metrics.TrackQueue(config.Name, () => _scheduler.Depth);
    }

    public string Name => Config.Name;

    public string Kind => OcrFactory.KindName;

    public ModelConfig Config { get; }

    public int QueueDepth => _scheduler.Depth;

    public async Task<IReadOnlyList<OcrResult>> ReadAsync(IReadOnlyList<byte[]> encodedImages, CancellationToken cancellationToken)
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
        _system.Dispose();
    }

    private IReadOnlyList<OcrResult> Run(IReadOnlyList<Image> images) => images.Select(_system.Run).ToArray();
}
