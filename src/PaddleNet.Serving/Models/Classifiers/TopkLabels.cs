using PaddleNet.Pipeline.Config;
using PaddleNet.Pipeline.Postprocess;
using PaddleNet.Serving.Config;

namespace PaddleNet.Serving.Models.Classifiers;

/// <summary>
/// The config's <c>PostProcess.Topk</c>, through PaddleNet.Pipeline's own <see cref="Topk"/> (same ordering,
/// rounding and label map as <c>paddlenet predict</c>); serving adds a per-request count and keeps the raw row.
/// </summary>
internal sealed class TopkLabels
{
    private readonly Topk _topk;

    public TopkLabels(ClsConfig config, string modelName)
    {
        var post = config.PostProcess ?? throw new ServingConfigException($"model '{modelName}': the config has no PostProcess section");
        if (post.Get("main_indicator") is not string main || !main.Contains("Topk", StringComparison.Ordinal) || post.Get("Topk") is not ConfigMap topk)
        {
            throw new ServingConfigException($"model '{modelName}': serving needs PostProcess.main_indicator Topk with a Topk section");
        }
        try
        {
            _topk = Topk.FromConfig(topk);
        }
        catch (PaddleNetException e)
        {
            throw new ServingConfigException($"model '{modelName}': {e.Message}", e);
        }
        if (_topk.Count < 1) throw new ServingConfigException($"model '{modelName}': PostProcess.Topk.topk must be a positive int");
    }

    /// <summary>The configured number of classes to report.</summary>
    public int TopK => _topk.Count;

    /// <summary>The label for a class id; null when there is no map or the id has no entry.</summary>
    public string? Label(int id)
    {
        try
        {
            return _topk.Label(id);
        }
        catch (PaddleNetException)
        {
            return null;
        }
    }

    public PaddleNet.Pipeline.Classification Apply(ReadOnlySpan<float> row, int? topK = null) =>
        _topk.Apply(row, Math.Min(topK ?? TopK, row.Length));
}
