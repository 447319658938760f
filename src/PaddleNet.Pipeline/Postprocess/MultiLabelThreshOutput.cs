using PaddleNet.Pipeline.Config;

namespace PaddleNet.Pipeline.Postprocess;

/// <summary>
/// PaddleClas <c>MultiLabelThreshOutput(threshold=0.5, class_id_map_file, delimiter)</c>: every id with
/// <c>p &gt;= threshold</c> (float32 compare), in id order; scores rounded to 5 decimals; label names always present.
/// </summary>
internal sealed class MultiLabelThreshOutput : IPostprocessOp
{
    private readonly float _threshold;
    private readonly IReadOnlyDictionary<long, string>? _map;

    public MultiLabelThreshOutput(OpParameters p, TextWriter? messages)
    {
        _threshold = (float)ConfigValues.Number(p.Get("threshold", 0.5), p.Key("threshold"));
        var file = p.Get("class_id_map_file");
        var delimiter = p.Get("delimiter") is { } d ? PyRepr.Str(d) : " ";
        p.EnsureAllUsed();
        _map = LabelMap.Load(file is null ? null : PyRepr.Str(file), delimiter, messages);
    }

    public string Name => "MultiLabelThreshOutput";

    public Classification Apply(ReadOnlySpan<float> probabilities)
    {
        var ids = new List<int>();
        var scores = new List<double>();
        var labels = new List<string>();
        for (int i = 0; i < probabilities.Length; i++)
        {
            if (!(probabilities[i] >= _threshold)) continue;
            ids.Add(i);
            scores.Add(PyRound.Around((double)probabilities[i], 5));
            if (_map is not null)
            {
                labels.Add(_map.TryGetValue(i, out var name) ? name : throw new PaddleNetException($"class id {i} is missing from the class_id_map_file"));
            }
        }
        return new Classification(ids, scores, labels);
    }
}
