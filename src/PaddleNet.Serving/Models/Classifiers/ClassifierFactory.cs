using PaddleNet.Serving.Config;
using PaddleNet.Serving.Hosting;

namespace PaddleNet.Serving.Models.Classifiers;

/// <summary><c>kind: classifier</c>: a PaddleClas <c>inference_cls.yaml</c>.</summary>
public sealed class ClassifierFactory : IModelFactory
{
    public const string KindName = "classifier";

    public string Kind => KindName;

    public IServedModel Create(ModelConfig config, ServingServices services) => new ClassifierModel(config, services);
}
