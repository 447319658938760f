using PaddleNet.Pipeline.Config;

namespace PaddleNet.Pipeline.Postprocess;

/// <summary>
/// PaddleClas <c>ThreshOutput(threshold=0, default_label_index=0, label_0="0", label_1="1", class_id_map_file, delimiter)</c>
/// for PULC binary models. Two columns: <c>s = probs[1]</c>; <c>s &lt; threshold</c> gives class 0 with score
/// <c>1 - s</c> (float32), else class 1 with <c>s</c>. More columns: the top-1 id if its score is above the threshold,
/// else <c>default_label_index</c>. Scores are not rounded. (NumPy 2 prints the multi-class id as <c>np.int32(5)</c>;
/// we print <c>5</c>.)
/// </summary>
internal sealed class ThreshOutput : IPostprocessOp
{
    private readonly float _threshold;
    private readonly int _defaultIndex;
    private readonly string _label0;
    private readonly string _label1;
    private readonly IReadOnlyDictionary<long, string>? _map;

    public ThreshOutput(OpParameters p, TextWriter? messages)
    {
        // numpy 2 compares a float32 score with a Python float in float32.
        _threshold = (float)ConfigValues.Number(p.Get("threshold", 0L), p.Key("threshold"));
        _defaultIndex = ConfigValues.Int(p.Get("default_label_index", 0L), p.Key("default_label_index"));
        _label0 = PyRepr.Str(p.Get("label_0", "0"));
        _label1 = PyRepr.Str(p.Get("label_1", "1"));
        var file = p.Get("class_id_map_file");
        var delimiter = p.Get("delimiter") is { } d ? PyRepr.Str(d) : " ";
        p.EnsureAllUsed();
        _map = LabelMap.Load(file is null ? null : PyRepr.Str(file), delimiter, messages);
    }

    public string Name => "ThreshOutput";

    public Classification Apply(ReadOnlySpan<float> probabilities)
    {
        if (probabilities.Length == 2)
        {
            float s = probabilities[1];
            return s < _threshold
                ? new Classification([0], [(double)(1f - s)], [_label0])
                : new Classification([1], [(double)s], [_label1]);
        }
        int top = TopOrder.Descending(probabilities, 1)[0];
        int id = probabilities[top] > _threshold ? top : _defaultIndex;
        if (id < 0 || id >= probabilities.Length) throw new PaddleNetException($"ThreshOutput.default_label_index {id} is out of range");
        string label = _map is null ? "" : _map.TryGetValue(id, out var name) ? name
            : throw new PaddleNetException($"class id {id} is missing from the class_id_map_file");
        return new Classification([id], [(double)probabilities[id]], [label]);
    }
}
