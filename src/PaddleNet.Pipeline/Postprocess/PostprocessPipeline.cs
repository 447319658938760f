using PaddleNet.Pipeline.Config;

namespace PaddleNet.Pipeline.Postprocess;

/// <summary>
/// <c>build_postprocess(PostProcess)</c>: <c>main_indicator</c> is removed and every other key becomes an op, in
/// file order. All run; the result is that of the last op whose name is a substring of <c>main_indicator</c>
/// (Python <c>in</c> on strings). No match is an error here (PaddleClas would crash on <c>None</c>).
/// </summary>
internal sealed class PostprocessPipeline
{
    private readonly IPostprocessOp[] _ops;
    private readonly int _main;

    public PostprocessPipeline(ConfigMap? section, TextWriter? messages)
    {
        if (section is null) throw new PaddleNetException("the config has no PostProcess section");
        string indicator = section.Get("main_indicator") is { } m && ConfigValues.Truthy(m) ? PyRepr.Str(m) : "";
        _ops = section.Where(kv => kv.Key != "main_indicator")
            .Select(kv => Create(kv.Key, new OpParameters("PostProcess", kv.Key, kv.Value), messages))
            .ToArray();
        _main = Array.FindLastIndex(_ops, op => indicator.Contains(op.Name, StringComparison.Ordinal));
        if (_main < 0)
        {
            throw new PaddleNetException($"PostProcess.main_indicator '{indicator}' names none of the postprocess ops ({string.Join(", ", _ops.Select(o => o.Name))})");
        }
    }

    /// <summary>The Topk op, if that is the main one (gives labels for evaluation output).</summary>
    internal Topk? MainTopk => _ops[_main] as Topk;

    public Classification Apply(ReadOnlySpan<float> probabilities)
    {
        Classification? result = null;
        for (int i = 0; i < _ops.Length; i++)
        {
            var r = _ops[i].Apply(probabilities);
            if (i == _main) result = r;
        }
        return result ?? throw new PaddleNetException($"postprocess {_ops[_main].Name} returned no result");
    }

    private static IPostprocessOp Create(string name, OpParameters p, TextWriter? messages) => name switch
    {
        "Topk" => new Topk(p, messages),
        "ThreshOutput" => new ThreshOutput(p, messages),
        "MultiLabelThreshOutput" => new MultiLabelThreshOutput(p, messages),
        "ScoreOutput" => new ScoreOutput(p),
        "SavePreLabel" => new SavePreLabel(p),
        _ => throw new PaddleNetException(
            $"unsupported postprocess op '{name}' (supported: Topk, ThreshOutput, MultiLabelThreshOutput, ScoreOutput, SavePreLabel)"),
    };
}
