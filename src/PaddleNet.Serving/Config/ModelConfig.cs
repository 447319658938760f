namespace PaddleNet.Serving.Config;

/// <summary>
/// One served model. <see cref="Kind"/> picks the <see cref="Models.IModelFactory"/> (<c>classifier</c> now;
/// <c>detector</c> once PaddleNet.Detection lands). <see cref="ConfigPath"/> is the model's own deploy config
/// (PaddleClas <c>inference_cls.yaml</c>); relative paths inside it resolve against <see cref="WorkDirectory"/>.
/// </summary>
public sealed record ModelConfig(
    string Name,
    string Kind,
    string ConfigPath,
    string WorkDirectory,
    IReadOnlyList<string> Overrides,
    int Threads,
    int Concurrency,
    BatchingOptions Batching,
    LimitOptions Limits);
