using System.Globalization;
using PaddleNet.Pipeline.Config;

namespace PaddleNet.Pipeline.Postprocess;

/// <summary>
/// <c>parse_class_id_map(class_id_map_file, delimiter)</c>: each line, newline removed, is partitioned at the first
/// delimiter (default one space) into <c>int(left) -&gt; right</c>. As in PaddleClas, a missing file prints a warning
/// and a bad line prints the exception, both to <em>stdout</em> (the <c>messages</c> writer of <see cref="Load"/>), and the map is then
/// absent (label names become empty lists). Python reads in universal-newline mode, so <c>\r\n</c> ends a line too.
/// </summary>
internal static class LabelMap
{
    public static IReadOnlyDictionary<long, string>? Load(string? path, string delimiter, TextWriter? messages)
    {
        if (path is null) return null;
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            messages?.Write("Warning: If want to use your own label_dict, please input legal path!\nOtherwise label_names will be empty!\n");
            return null;
        }
        try
        {
            if (delimiter.Length == 0) throw new FormatException("empty separator");
            var map = new Dictionary<long, string>();
            foreach (var line in ReadLines(path))
            {
                int at = line.IndexOf(delimiter, StringComparison.Ordinal);
                string left = at < 0 ? line : line[..at];
                string right = at < 0 ? "" : line[(at + delimiter.Length)..];
                map[PyInt(left)] = right;
            }
            return map;
        }
        catch (FormatException e)
        {
            messages?.Write(e.Message + "\n");
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            messages?.Write($"[Errno 21] {e.Message}\n");
            return null;
        }
    }

    // Python text mode: \n, \r\n and \r all end a line; the last line may lack one.
    private static IEnumerable<string> ReadLines(string path)
    {
        string text = File.ReadAllText(path);
        int start = 0;
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] is '\n' or '\r')
            {
                yield return text[start..i];
                if (text[i] == '\r' && i + 1 < text.Length && text[i + 1] == '\n') i++;
                start = i + 1;
            }
        }
        if (start < text.Length) yield return text[start..];
    }

    /// <summary>Python's <c>int(str)</c>: surrounding whitespace, a sign, digits with single underscores.</summary>
    internal static long PyInt(string s)
    {
        string t = s.Trim();
        string body = t.Length > 0 && t[0] is '+' or '-' ? t[1..] : t;
        bool ok = body.Length > 0 && char.IsAsciiDigit(body[0]) && char.IsAsciiDigit(body[^1])
            && body.All(c => char.IsAsciiDigit(c) || c == '_') && !body.Contains("__", StringComparison.Ordinal);
        if (!ok || !long.TryParse(t.Replace("_", "", StringComparison.Ordinal), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long v))
        {
            throw new FormatException($"invalid literal for int() with base 10: {PyRepr.String(s)}");
        }
        return v;
    }
}
