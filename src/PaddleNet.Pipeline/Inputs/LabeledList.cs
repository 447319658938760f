using System.Globalization;

namespace PaddleNet.Pipeline.Inputs;

/// <summary>A PaddleClas list file: <c>relative/path.png label</c> per line (the last space separates the label).</summary>
public static class LabeledList
{
    /// <summary>The entries of <paramref name="listFile"/>, paths joined to <paramref name="root"/>; a malformed line throws naming the line.</summary>
    public static IReadOnlyList<(string Path, int Label)> Read(string listFile, string root)
    {
        if (!File.Exists(listFile)) throw new PaddleNetException($"list file not found: {listFile}");
        var items = new List<(string, int)>();
        int lineNo = 0;
        foreach (var raw in File.ReadLines(listFile))
        {
            lineNo++;
            var line = raw.TrimEnd('\r');
            if (line.Trim().Length == 0) continue;
            int space = line.LastIndexOf(' ');
            if (space <= 0 || !int.TryParse(line.AsSpan(space + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int label))
            {
                throw new PaddleNetException($"{listFile}:{lineNo}: expected 'path label', got '{line}'");
            }
            items.Add((Path.Join(root, line[..space]), label));
        }
        return items;
    }
}
