namespace PaddleNet.Serving.Models;

/// <summary>An image classifier behind a dynamic batcher.</summary>
public interface IClassifierModel : IServedModel
{
    /// <summary>Classifies encoded images (JPEG, PNG, …); one result per image, in order.</summary>
    Task<IReadOnlyList<ClassifiedImage>> ClassifyAsync(IReadOnlyList<byte[]> encodedImages, CancellationToken cancellationToken);

    /// <summary>Classifies an already preprocessed float32 N×C×H×W batch (PaddleHub <c>clas_system</c>), skipping preprocessing.</summary>
    Task<IReadOnlyList<ClassifiedImage>> ClassifyTensorAsync(float[] data, int[] shape, CancellationToken cancellationToken);

    /// <summary>The config's Topk classes reported by default.</summary>
    int DefaultTopK { get; }

    /// <summary>The Topk postprocess of a result with another k.</summary>
    PaddleNet.Pipeline.Classification Rank(ClassifiedImage image, int topK);
}
