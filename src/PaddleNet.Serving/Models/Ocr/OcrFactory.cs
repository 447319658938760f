using PaddleNet.Serving.Config;
using PaddleNet.Serving.Hosting;

namespace PaddleNet.Serving.Models.Ocr;

/// <summary><c>kind: ocr</c>: an OCR config (PaddleOCR's argument names: det_model_dir, rec_model_dir, …; see <see cref="OcrConfigReader"/>).</summary>
public sealed class OcrFactory : IModelFactory
{
    /// <summary>The <c>kind</c> value in <c>serving.yaml</c>: <c>ocr</c>.</summary>
    public const string KindName = "ocr";

    /// <summary>The PaddleHub module name (<c>/predict/ocr_system</c>) and Paddle Serving pipeline name (<c>/ocr/prediction</c>) PaddleOCR's own deployments use; they reach the first OCR model when no model has that name.</summary>
    public const string HubModule = "ocr_system";
    /// <summary>The Paddle Serving pipeline name PaddleOCR's deployment uses (see <see cref="HubModule"/>).</summary>
    public const string PipelineName = "ocr";

    /// <summary><see cref="KindName"/>.</summary>
    public string Kind => KindName;

    /// <summary>Loads the models <paramref name="config"/> describes.</summary>
    public IServedModel Create(ModelConfig config, ServingServices services) => new OcrModel(config, services);
}
