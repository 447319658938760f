using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace PaddleNet.Yaml;

/// <summary>
/// The one YAML reading layer of the config readers (PaddleClas <c>inference_cls.yaml</c>, PaddleDetection
/// <c>infer_cfg.yml</c>, <c>serving.yaml</c>, OCR configs): YamlDotNet's node tree (no reflection serializer, so
/// AOT-safe), exactly one document, and typed reads whose errors name the file, the line and the dotted key. Each
/// layer raises its own exception type through the factory it passes in. This source is compiled into each
/// config-reading assembly (internal there): they sit side by side above Imaging and share no assembly of their own.
/// </summary>
internal sealed class YamlConfig
{
    private readonly Func<string, int?, Exception?, Exception> _error;

    /// <param name="source">The file (or name) the text came from, for messages.</param>
    /// <param name="error">Builds the layer's exception from a problem (<c>key: what is wrong</c>), its line when known, and the cause.</param>
    public YamlConfig(string source, Func<string, int?, Exception?, Exception> error)
    {
        Source = source;
        _error = error;
    }

    public string Source { get; }

    /// <summary>Parses <paramref name="text"/>: one document whose root is a mapping (PyYAML's safe_load refuses more than one).</summary>
    public YamlMappingNode ParseMapping(TextReader text)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(text);
        }
        catch (YamlException e)
        {
            throw _error($"invalid YAML at line {e.Start.Line}, column {e.Start.Column}: {e.Message}", null, e);
        }
        if (stream.Documents.Count != 1) throw _error($"expected one YAML document, found {stream.Documents.Count}", null, null);
        return stream.Documents[0].RootNode as YamlMappingNode ?? throw _error("the top level must be a mapping", (int)stream.Documents[0].RootNode.Start.Line, null);
    }

    /// <summary>Reads the file at <see cref="Source"/> with <see cref="ParseMapping"/>.</summary>
    public YamlMappingNode LoadMapping()
    {
        using var reader = new StreamReader(Source);
        return ParseMapping(reader);
    }

    /// <summary>The root mapping of a YAML file, or null when it is not one readable YAML mapping (for telling config kinds apart).</summary>
    public static YamlMappingNode? TryLoadMapping(string path)
    {
        try
        {
            return new YamlConfig(path, (m, _, e) => new InvalidDataException(m, e)).LoadMapping();
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The exception for <paramref name="problem"/> at <paramref name="node"/> (its line) and dotted <paramref name="key"/>.</summary>
    public Exception Error(YamlNode? node, string key, string problem) =>
        _error(key.Length == 0 ? problem : $"{key}: {problem}", node is null ? null : (int)node.Start.Line, null);

    /// <summary>
    /// A mapping's entries by name. Keys must be plain strings and unique; when <paramref name="allowed"/> is given,
    /// any other key is an error (a misspelt option must not be ignored).
    /// </summary>
    public Dictionary<string, YamlNode> Map(YamlNode node, string key, params string[] allowed)
    {
        if (node is not YamlMappingNode map) throw Error(node, key, "must be a mapping");
        var result = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        foreach (var (k, v) in map.Children)
        {
            string name = (k as YamlScalarNode)?.Value ?? throw Error(k, key, "keys must be plain strings");
            if (allowed.Length > 0 && !allowed.Contains(name))
            {
                throw Error(k, Join(key, name), $"unknown key (allowed: {string.Join(", ", allowed)})");
            }
            if (!result.TryAdd(name, v)) throw Error(k, Join(key, name), "duplicate key");
        }
        return result;
    }

    /// <summary>A scalar's text, or null when absent; an empty value or a list/mapping is an error.</summary>
    public string? String(Dictionary<string, YamlNode> map, string parent, string name)
    {
        if (!map.TryGetValue(name, out var node)) return null;
        if (node is not YamlScalarNode { Value: { } s } || s.Length == 0) throw Error(node, Join(parent, name), "must be a non-empty string");
        return s;
    }

    /// <summary>An integer in [<paramref name="min"/>, <paramref name="max"/>], or null when absent.</summary>
    public long? Integer(Dictionary<string, YamlNode> map, string parent, string name, long min, long max)
    {
        if (!map.TryGetValue(name, out var node)) return null;
        if (node is not YamlScalarNode { Value: { } s } || !long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long v))
        {
            throw Error(node, Join(parent, name), "must be an integer");
        }
        if (v < min || v > max) throw Error(node, Join(parent, name), $"{v} is out of range [{min}, {max}]");
        return v;
    }

    /// <summary>A finite number, or null when absent.</summary>
    public double? Double(Dictionary<string, YamlNode> map, string parent, string name)
    {
        if (!map.TryGetValue(name, out var node)) return null;
        return ToDouble(node, Join(parent, name));
    }

    /// <summary>
    /// A boolean, or null when absent: YAML 1.1's true/false, yes/no, on/off (any case) and 1/0, the spellings
    /// PyYAML and PaddleOCR's <c>str2bool</c> accept.
    /// </summary>
    public bool? Bool(Dictionary<string, YamlNode> map, string parent, string name)
    {
        if (!map.TryGetValue(name, out var node)) return null;
        return node is YamlScalarNode { Value: { } s }
            ? s.ToLowerInvariant() switch
            {
                "true" or "yes" or "on" or "1" => true,
                "false" or "no" or "off" or "0" => false,
                _ => throw Error(node, Join(parent, name), $"must be true or false, got '{s}'"),
            }
            : throw Error(node, Join(parent, name), "must be true or false");
    }

    /// <summary>A list of numbers, or one number as a list of one (PaddleDetection accepts <c>target_size: 320</c>); null when absent.</summary>
    public double[]? Doubles(Dictionary<string, YamlNode> map, string parent, string name)
    {
        if (!map.TryGetValue(name, out var node)) return null;
        string key = Join(parent, name);
        return node switch
        {
            YamlScalarNode => [ToDouble(node, key)],
            YamlSequenceNode seq => seq.Children.Select((c, i) => ToDouble(c, $"{key}[{i}]")).ToArray(),
            _ => throw Error(node, key, "must be a number or a list of numbers"),
        };
    }

    /// <summary>A list of strings; empty when absent.</summary>
    public IReadOnlyList<string> Strings(Dictionary<string, YamlNode> map, string parent, string name)
    {
        if (!map.TryGetValue(name, out var node)) return [];
        if (node is not YamlSequenceNode seq) throw Error(node, Join(parent, name), "must be a list of strings");
        return seq.Children.Select(c => (c as YamlScalarNode)?.Value ?? throw Error(c, Join(parent, name), "must be a list of strings")).ToArray();
    }

    /// <summary><paramref name="parent"/>.<paramref name="name"/>, or the name alone at the top level.</summary>
    public static string Join(string parent, string name) => parent.Length == 0 ? name : parent + "." + name;

    private double ToDouble(YamlNode node, string key) =>
        node is YamlScalarNode { Value: { } s } && double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v)
            ? v
            : throw Error(node, key, $"must be a number{(node is YamlScalarNode { Value: { } t } ? $", got '{t}'" : "")}");
}
