using PaddleNet.Pipeline.Config;

namespace PaddleNet.Pipeline.Output;

/// <summary>The line <c>predict_cls.py</c> prints for one image.</summary>
internal static class ResultLine
{
    /// <summary>
    /// <c>"{name}:\tclass id(s): [..], score(s): [0.74, ..], label_name(s): ['..']"</c>; each score is
    /// <c>"{:.2f}"</c> of the already 5-decimal-rounded value (PaddleClas's double rounding); ids and names use
    /// Python list repr. Without label names (ScoreOutput): <c>"{name}:\tscore(s): [..]"</c>. No line terminator.
    /// </summary>
    public static string Format(string fileName, Classification result)
    {
        ArgumentNullException.ThrowIfNull(result);
        string scores = "[" + string.Join(", ", result.Scores.Select(s => PyFormat.Fixed(s, 2))) + "]";
        if (result.LabelNames is null) return $"{fileName}:\tscore(s): {scores}";
        string ids = "[" + string.Join(", ", result.ClassIds) + "]";
        string names = "[" + string.Join(", ", result.LabelNames.Select(PyRepr.String)) + "]";
        return $"{fileName}:\tclass id(s): {ids}, score(s): {scores}, label_name(s): {names}";
    }
}
