using PaddleNet.Serving.Config;

namespace PaddleNet.Serving.Models;

/// <summary>
/// A model the server hosts. Each kind adds its own interface (<see cref="IClassifierModel"/>; a detector adds
/// <c>IDetectorModel</c>) and a <see cref="IModelFactory"/>; protocols ask the registry for the kind they speak.
/// </summary>
public interface IServedModel : IAsyncDisposable
{
    /// <summary>The name clients use (the key under <c>models</c>).</summary>
    string Name { get; }

    /// <summary><c>classifier</c>, <c>detector</c>, …</summary>
    string Kind { get; }

    /// <summary>Its entry in <c>serving.yaml</c>.</summary>
    ModelConfig Config { get; }

    /// <summary>Images waiting for a batch slot.</summary>
    int QueueDepth { get; }

    /// <summary>Stops taking work; queued and running batches still finish.</summary>
    void Close();
}

/// <summary>Builds a model of one <see cref="Kind"/> from its <see cref="ModelConfig"/> (loads weights; throws on bad config).</summary>
public interface IModelFactory
{
    /// <summary>The <c>kind</c> value this factory loads.</summary>
    string Kind { get; }

    /// <summary>Loads the model <paramref name="config"/> describes.</summary>
    IServedModel Create(ModelConfig config, Hosting.ServingServices services);
}
