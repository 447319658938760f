using PaddleNet.Serving.Config;
using PaddleNet.Serving.Hosting;

namespace PaddleNet.Serving.Models.Ocr;

/// <summary><c>kind: ocr</c>: an OCR config (PaddleOCR's argument names: det_model_dir, rec_model_dir, …; see <see cref="OcrConfigReader"/>).</summary>
public sealed class OcrFactory : IModelFactory
{
    public const string KindName = "ocr";

    /// <summary>The PaddleHub module name (<c>/predict/ocr_system</c>) and Paddle Serving pipeline name (<c>/ocr/prediction</c>) PaddleOCR's own deployments use; they reach the first OCR model when no model has that name.</summary>
    public const string HubModule = "ocr_system";
    public const string PipelineName = "ocr";

    public string Kind => KindName;

    public IServedModel Create(ModelConfig config, ServingServices services) => new OcrModel(config, services);
}
