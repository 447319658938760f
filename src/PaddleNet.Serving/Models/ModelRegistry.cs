using Microsoft.Extensions.Logging;
using PaddleNet.Serving.Config;
using PaddleNet.Serving.Hosting;

namespace PaddleNet.Serving.Models;

/// <summary>
/// The served models by name, built at start through the factory of each model's kind (all load before the
/// server listens, so a bad model fails the start). The first model is the default for nameless gRPC requests.
/// </summary>
public sealed class ModelRegistry : IAsyncDisposable
{
    private readonly Dictionary<string, IServedModel> _models = new(StringComparer.Ordinal);
    private readonly List<IServedModel> _order = [];

    /// <summary>Loads every model of <paramref name="config"/> with the factory of its kind; throws <see cref="ServingConfigException"/> for an unknown kind or a failed load.</summary>
    public ModelRegistry(ServingConfig config, IEnumerable<IModelFactory> factories, ServingServices services)
    {
        var byKind = factories.ToDictionary(f => f.Kind, StringComparer.Ordinal);
        var logger = services.LoggerFactory.CreateLogger<ModelRegistry>();
        try
        {
            foreach (var model in config.Models)
            {
                if (!byKind.TryGetValue(model.Kind, out var factory))
                {
                    throw new ServingConfigException($"model '{model.Name}': unknown kind '{model.Kind}' (known: {string.Join(", ", byKind.Keys)})");
                }
                var served = factory.Create(model, services);
                _models.Add(model.Name, served);
                _order.Add(served);
                logger.LogInformation("model {Model} ({Kind}) loaded from {Config}; batch ≤ {MaxBatch}, delay {Delay} ms, queue ≤ {Queue}",
                    model.Name, model.Kind, model.ConfigPath, model.Batching.MaxBatchSize, model.Batching.MaxDelay.TotalMilliseconds, model.Limits.MaxQueue);
            }
        }
        catch
        {
            foreach (var m in _order) m.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw;
        }
    }

    /// <summary>The models in config order.</summary>
    public IReadOnlyList<IServedModel> Models => _order;

    /// <summary>The first model of the config.</summary>
    public IServedModel Default => _order[0];

    /// <summary>The model called <paramref name="name"/>, if served.</summary>
    public bool TryGet(string name, out IServedModel model) => _models.TryGetValue(name, out model!);

    /// <summary>The model of that name and kind, or <see cref="ModelNotFoundException"/>.</summary>
    public T Get<T>(string name) where T : class, IServedModel =>
        _models.TryGetValue(name, out var m) && m is T typed ? typed : throw new ModelNotFoundException(name);

    /// <summary>Stops every model taking new work.</summary>
    public void CloseAll()
    {
        foreach (var m in _order) m.Close();
    }

    /// <summary>Releases every model once its queue has drained.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var m in _order) await m.DisposeAsync().ConfigureAwait(false);
    }
}
