namespace PaddleNet.Pipeline;

/// <summary>
/// One image's postprocessed result, the dict PaddleClas's postprocess returns: class ids and scores best first
/// (Topk), and label names. <see cref="LabelNames"/> is <see langword="null"/> when the postprocess has none
/// (ScoreOutput, whose <see cref="ClassIds"/> is empty); an empty list means "no label map".
/// </summary>
public sealed class Classification
{
    /// <summary>A result with class ids and scores best first, and their label names (null: the postprocess has none).</summary>
    public Classification(IReadOnlyList<int> classIds, IReadOnlyList<double> scores, IReadOnlyList<string>? labelNames)
    {
        ClassIds = classIds;
        Scores = scores;
        LabelNames = labelNames;
    }

    /// <summary>Class ids, best first.</summary>
    public IReadOnlyList<int> ClassIds { get; }

    /// <summary>Scores as PaddleClas hands them to the printer (Topk: rounded to 5 decimals; ThreshOutput: the float32 value).</summary>
    public IReadOnlyList<double> Scores { get; }

    /// <summary>Label names of <see cref="ClassIds"/>; empty without a label map, null when the postprocess gives none.</summary>
    public IReadOnlyList<string>? LabelNames { get; }

    /// <summary>The best class id, or -1 when there is none.</summary>
    public int TopClassId => ClassIds.Count > 0 ? ClassIds[0] : -1;

    /// <summary>The best label name, or <see langword="null"/>.</summary>
    public string? TopLabel => LabelNames is { Count: > 0 } names ? names[0] : null;

    /// <summary>
    /// The line PaddleClas's <c>predict_cls.py</c> prints for this result, without the newline:
    /// <c>0_0036.png:\tclass id(s): [0], score(s): [0.85], label_name(s): ['zero']</c>.
    /// </summary>
    public string ToPaddleClasLine(string fileName) => Output.ResultLine.Format(fileName, this);
}
