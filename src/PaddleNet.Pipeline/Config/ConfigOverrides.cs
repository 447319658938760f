namespace PaddleNet.Pipeline.Config;

/// <summary>
/// PaddleClas's <c>-o key=value</c> grammar (<c>override_config</c>): exactly one <c>=</c>; the key is a dotted path
/// through mappings and list indexes (<c>PreProcess.transform_ops.0.ResizeImage.resize_short</c>); the value goes
/// through Python <c>eval</c> (see <see cref="PyExpression"/>) and stays the raw string when that fails. A missing
/// final key in a mapping is added with a warning; a missing intermediate key is an error.
/// </summary>
public static class ConfigOverrides
{
    /// <summary>Applies <paramref name="overrides"/> in order. Warnings about new keys go to <paramref name="warnings"/>.</summary>
    public static void Apply(ConfigMap config, IEnumerable<string> overrides, TextWriter? warnings = null)
    {
        foreach (var option in overrides) Apply(config, option, warnings);
    }

    /// <summary>Applies one <c>key=value</c>.</summary>
    public static void Apply(ConfigMap config, string option, TextWriter? warnings = null)
    {
        ArgumentNullException.ThrowIfNull(option);
        var pair = option.Split('=');
        if (pair.Length != 2)
        {
            throw new PaddleNetException(pair.Length < 2
                ? $"-o '{option}': expected key=value"
                : $"-o '{option}': there can be only one '=' in an option");
        }
        var keys = pair[0].Split('.');
        object? node = config;
        for (int i = 0; i < keys.Length; i++)
        {
            bool last = i == keys.Length - 1;
            switch (node)
            {
                case ConfigMap map:
                    if (last)
                    {
                        if (!map.ContainsKey(keys[i])) warnings?.WriteLine($"warning: A new field ({keys[i]}) detected!");
                        map[keys[i]] = ParseValue(pair[1]);
                    }
                    else
                    {
                        node = map.TryGetValue(keys[i], out var next) ? next
                            : throw new PaddleNetException($"-o '{option}': no key '{keys[i]}' in {Path(keys, i)}");
                    }
                    break;
                case List<object?> list:
                    int index = ListIndex(option, keys, i, list.Count);
                    if (last) list[index] = ParseValue(pair[1]);
                    else node = list[index];
                    break;
                default:
                    throw new PaddleNetException($"-o '{option}': {Path(keys, i)} is {PyRepr.Repr(node)}, not a mapping or a list");
            }
        }
    }

    /// <summary>Python's <c>eval(v)</c> with the fallback <c>except: v</c>.</summary>
    public static object? ParseValue(string text) => PyExpression.TryEval(text, out var value) ? value : text;

    private static int ListIndex(string option, string[] keys, int i, int count)
    {
        if (ParseValue(keys[i]) is not long k) throw new PaddleNetException($"-o '{option}': '{keys[i]}' is not a list index of {Path(keys, i)}");
        // Python indexing: negative counts from the end.
        long index = k < 0 ? k + count : k;
        if (index < 0 || index >= count) throw new PaddleNetException($"-o '{option}': index {k} out of range for {Path(keys, i)} ({count} items)");
        return (int)index;
    }

    private static string Path(string[] keys, int i) => i == 0 ? "the config" : string.Join('.', keys[..i]);
}
