using PaddleNet.Serving.Config;
using PaddleNet.Serving.Hosting;

namespace PaddleNet.Serving.Models.Detectors;

/// <summary><c>kind: detector</c>: a PaddleDetection export's <c>infer_cfg.yml</c> (the model files beside it).</summary>
public sealed class DetectorFactory : IModelFactory
{
    /// <summary>The <c>kind</c> value in <c>serving.yaml</c>: <c>detector</c>.</summary>
    public const string KindName = "detector";

    /// <summary><see cref="KindName"/>.</summary>
    public string Kind => KindName;

    /// <summary>Loads the model <paramref name="config"/> describes.</summary>
    public IServedModel Create(ModelConfig config, ServingServices services) => new DetectorModel(config, services);
}
