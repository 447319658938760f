using PaddleNet.Detection;

namespace PaddleNet.Serving.Models;

/// <summary>A PaddleDetection object detector behind a dynamic batcher.</summary>
public interface IDetectorModel : IServedModel
{
    /// <summary>Detects objects in encoded images (JPEG, PNG, …); boxes in original-image pixels, one result per image.</summary>
    Task<IReadOnlyList<DetectionResult>> DetectAsync(IReadOnlyList<byte[]> encodedImages, CancellationToken cancellationToken);
}
