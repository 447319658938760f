using PaddleNet.Ocr;

namespace PaddleNet.Serving.Models;

/// <summary>A PaddleOCR det → cls → rec system behind a dynamic batcher.</summary>
public interface IOcrModel : IServedModel
{
    /// <summary>Reads the text of encoded images (JPEG, PNG, …), one result per image.</summary>
    Task<IReadOnlyList<OcrResult>> ReadAsync(IReadOnlyList<byte[]> encodedImages, CancellationToken cancellationToken);
}
