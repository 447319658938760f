using PaddleNet.Pipeline.Config;
using PaddleNet.Serving.Config;

namespace PaddleNet.Serving.Models.Classifiers;

/// <summary>
/// The config's <c>PostProcess.Topk</c> (topk, class_id_map_file or label_list, delimiter) applied to raw score
/// rows, as PaddleClas's Topk does: ids by descending score (ties: higher id first, NaN largest), scores
/// <c>np.around(float(score), 5)</c>, label names from the map. Serving keeps the raw row too, so it owns this step.
/// </summary>
internal sealed class TopkLabels
{
    private readonly IReadOnlyDictionary<long, string>? _map;
    private readonly IReadOnlyList<string>? _list;

    public TopkLabels(ClsConfig config, string modelName)
    {
        var post = config.PostProcess ?? throw new ServingConfigException($"model '{modelName}': the config has no PostProcess section");
        if (post.Get("main_indicator") is not string main || !main.Contains("Topk", StringComparison.Ordinal) || post.Get("Topk") is not ConfigMap topk)
        {
            throw new ServingConfigException($"model '{modelName}': serving needs PostProcess.main_indicator Topk with a Topk section");
        }
        TopK = topk.Get("topk", 1L) is long k && k >= 1 && k <= int.MaxValue
            ? (int)k : throw new ServingConfigException($"model '{modelName}': PostProcess.Topk.topk must be a positive int");
        if (topk.Get("label_list") is List<object?> { Count: > 0 } names)
        {
            _list = names.Select(PyRepr.Str).ToArray();
        }
        else if (topk.Get("class_id_map_file") is { } file)
        {
            string delimiter = topk.Get("delimiter") is { } d ? PyRepr.Str(d) : " ";
            _map = ReadMap(PyRepr.Str(file), delimiter, modelName);
        }
    }

    /// <summary>The configured number of classes to report.</summary>
    public int TopK { get; }

    public string? Label(int id) =>
        _list is not null ? (id < _list.Count ? _list[id] : null)
        : _map is not null && _map.TryGetValue(id, out var name) ? name : null;

    public PaddleNet.Pipeline.Classification Apply(ReadOnlySpan<float> row, int? topK = null)
    {
        int count = Math.Min(topK ?? TopK, row.Length);
        var ids = count <= 64 ? Select(row, count) : SortAll(row, count);
        var scores = new double[count];
        for (int k = 0; k < count; k++) scores[k] = Math.Round((double)row[ids[k]] * 1e5, MidpointRounding.ToEven) / 1e5;
        var labels = _map is null && _list is null ? new List<string>() : ids.Select(i => Label(i) ?? "").ToList();
        return new PaddleNet.Pipeline.Classification(ids, scores, labels);
    }

    // (score, id) descending: a higher score first, a tie goes to the higher id, NaN counts as the largest.
    private static bool Before(double keyA, int a, double keyB, int b) => keyA > keyB || (keyA == keyB && a > b);

    // The best `count` ids by insertion into a short sorted list: O(n·k) worst case, ~O(n) on real score rows.
    private static int[] Select(ReadOnlySpan<float> row, int count)
    {
        var ids = new int[count];
        var keys = new double[count];
        int filled = 0;
        for (int i = 0; i < row.Length; i++)
        {
            double key = Key(row[i]);
            if (filled == count && !Before(key, i, keys[count - 1], ids[count - 1])) continue;
            int at = filled < count ? filled++ : count - 1;
            while (at > 0 && Before(key, i, keys[at - 1], ids[at - 1]))
            {
                keys[at] = keys[at - 1];
                ids[at] = ids[at - 1];
                at--;
            }
            keys[at] = key;
            ids[at] = i;
        }
        return ids;
    }

    private static int[] SortAll(ReadOnlySpan<float> row, int count)
    {
        var order = new int[row.Length];
        for (int i = 0; i < order.Length; i++) order[i] = i;
        var values = row.ToArray();
        Array.Sort(order, (a, b) =>
        {
            int byValue = Key(values[b]).CompareTo(Key(values[a]));
            return byValue != 0 ? byValue : b.CompareTo(a);
        });
        return order[..count];
    }

    private static double Key(float v) => float.IsNaN(v) ? double.PositiveInfinity : v;

    private static Dictionary<long, string> ReadMap(string path, string delimiter, string modelName)
    {
        if (!File.Exists(path)) throw new ServingConfigException($"model '{modelName}': PostProcess.Topk.class_id_map_file {path} does not exist");
        var map = new Dictionary<long, string>();
        foreach (var line in File.ReadAllLines(path))
        {
            int at = line.IndexOf(delimiter, StringComparison.Ordinal);
            string left = at < 0 ? line : line[..at];
            if (!long.TryParse(left.Trim(), out long id)) throw new ServingConfigException($"model '{modelName}': {path}: bad line '{line}'");
            map[id] = at < 0 ? "" : line[(at + delimiter.Length)..];
        }
        return map;
    }
}
