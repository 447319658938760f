using PaddleNet.Serving.Config;
using PaddleNet.Serving.Hosting;

namespace PaddleNet.Serving.Models.Detectors;

/// <summary><c>kind: detector</c>: a PaddleDetection export's <c>infer_cfg.yml</c> (the model files beside it).</summary>
public sealed class DetectorFactory : IModelFactory
{
    public const string KindName = "detector";

    public string Kind => KindName;

    public IServedModel Create(ModelConfig config, ServingServices services) => new DetectorModel(config, services);
}
