using PaddleNet.Imaging;
using PaddleNet.Ocr;
using PaddleNet.Serving.Config;
using PaddleNet.Serving.Hosting;

namespace PaddleNet.Serving.Models.Ocr;

/// <summary>
/// An <see cref="OcrSystem"/> (thread-safe, shared by the batch workers) behind a batch scheduler
/// (<see cref="ImageBatchModel{TOut}"/>): a batch is read image by image, as PaddleOCR's serving modules do.
/// </summary>
internal sealed class OcrModel : ImageBatchModel<OcrResult>, IOcrModel
{
    private readonly OcrSystem _system;

    public OcrModel(ModelConfig config, ServingServices services)
        : this(config, services, Load(config))
    {
    }

    private OcrModel(ModelConfig config, ServingServices services, OcrSystem system)
        : base(config, services) => _system = system;

    public override string Kind => OcrFactory.KindName;

    public Task<IReadOnlyList<OcrResult>> ReadAsync(IReadOnlyList<byte[]> encodedImages, CancellationToken cancellationToken) =>
        SubmitAsync(encodedImages, cancellationToken);

    protected override IReadOnlyList<OcrResult> RunBatch(IReadOnlyList<Image> images, CancellationToken abandoned) =>
        images.Select(image => _system.Run(image, abandoned)).ToArray();

    protected override void DisposeModel() => _system.Dispose();

    private static OcrSystem Load(ModelConfig config)
    {
        try
        {
            return OcrSystem.Load(OcrConfigReader.Read(config.ConfigPath, config.Threads));
        }
        catch (Exception e) when (e is PaddleNetException or IOException or UnauthorizedAccessException)
        {
            throw new ServingConfigException($"model '{config.Name}': cannot load OCR models of {config.ConfigPath}: {e.Message}", e);
        }
    }
}
