using PaddleNet.Serving.Config;
using PaddleNet.Serving.Hosting;

namespace PaddleNet.Serving.Models.Classifiers;

/// <summary><c>kind: classifier</c>: a PaddleClas <c>inference_cls.yaml</c>.</summary>
public sealed class ClassifierFactory : IModelFactory
{
    /// <summary>The <c>kind</c> value in <c>serving.yaml</c>: <c>classifier</c>.</summary>
    public const string KindName = "classifier";

    /// <summary><see cref="KindName"/>.</summary>
    public string Kind => KindName;

    /// <summary>Loads the model <paramref name="config"/> describes.</summary>
    public IServedModel Create(ModelConfig config, ServingServices services) => new ClassifierModel(config, services);
}
