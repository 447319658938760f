using PaddleNet.Pipeline.Config;

namespace PaddleNet.Pipeline.Postprocess;

/// <summary>
/// PaddleClas <c>Topk(topk=1, class_id_map_file=None, delimiter=None, label_list=None)</c>: the <c>topk</c> best
/// ids (no softmax: exported models end in one), scores <c>np.around(score, 5)</c> of the float32 value taken as a
/// double, label names from <c>label_list</c> (PaddleX <c>inference.yml</c>) when non-empty, else from the map file;
/// an empty list when there is no map.
/// </summary>
public sealed class Topk : IPostprocessOp
{
    private readonly int _topk;
    private readonly IReadOnlyDictionary<long, string>? _map;
    private readonly IReadOnlyList<string>? _labelList;

    /// <summary>A config's <c>PostProcess.Topk</c> section (<paramref name="section"/>), as PaddleClas builds it;
    /// a missing <c>class_id_map_file</c> writes PaddleClas's warning to <paramref name="messages"/>.</summary>
    /// <exception cref="PaddleNetException">A bad or unknown key.</exception>
    public static Topk FromConfig(ConfigMap section, TextWriter? messages = null) =>
        new(new OpParameters("PostProcess", "Topk", section ?? throw new ArgumentNullException(nameof(section))), messages);

    internal Topk(OpParameters p, TextWriter? messages)
    {
        var topk = p.Get("topk", 1L);
        if (topk is not long) throw new PaddleNetException($"{p.Key("topk")} must be an int, not {PyRepr.Repr(topk)}");
        _topk = ConfigValues.Int(topk, p.Key("topk"));
        var file = p.Get("class_id_map_file");
        var delimiter = p.Get("delimiter") is { } d ? PyRepr.Str(d) : " ";
        var labelList = p.Get("label_list");
        p.EnsureAllUsed();
        if (ConfigValues.Truthy(labelList))
        {
            _labelList = labelList is List<object?> names ? names.Select(PyRepr.Str).ToArray()
                : throw new PaddleNetException($"{p.Key("label_list")} must be a list, not {PyRepr.Repr(labelList)}");
        }
        else
        {
            _map = LabelMap.Load(file is null ? null : PyRepr.Str(file), delimiter, messages);
        }
    }

    /// <summary>The op name, <c>Topk</c>.</summary>
    public string Name => "Topk";

    /// <summary>The label for a class id, or <see langword="null"/> when there is no map.</summary>
    /// <exception cref="PaddleNetException">The id is not in the map or label list.</exception>
    public string? Label(int id)
    {
        if (_labelList is not null)
        {
            return id < _labelList.Count ? _labelList[id] : throw new PaddleNetException($"class id {id} is out of range of Topk.label_list ({_labelList.Count} names)");
        }
        if (_map is null) return null;
        return _map.TryGetValue(id, out var name) ? name : throw new PaddleNetException($"class id {id} is missing from the class_id_map_file");
    }

    /// <summary>The configured <c>topk</c>.</summary>
    public int Count => _topk;

    /// <summary>The configured top-k of one row of scores, as PaddleClas prints them.</summary>
    public Classification Apply(ReadOnlySpan<float> probabilities)
    {
        // argsort()[-topk:][::-1]: a non-positive topk in Python slices from the front ([-0:] is everything).
        int count = _topk > 0 ? _topk : _topk == 0 ? probabilities.Length : Math.Max(0, probabilities.Length + _topk);
        return Apply(probabilities, count);
    }

    /// <summary>The same with an explicit count (serving's per-request top_k).</summary>
    public Classification Apply(ReadOnlySpan<float> probabilities, int count)
    {
        var ids = TopOrder.Descending(probabilities, count);
        var scores = new double[ids.Length];
        var labels = new List<string>();
        for (int i = 0; i < ids.Length; i++)
        {
            scores[i] = PyRound.Around((double)probabilities[ids[i]], 5);
            if (Label(ids[i]) is { } label) labels.Add(label);
        }
        return new Classification(ids, scores, labels);
    }
}
