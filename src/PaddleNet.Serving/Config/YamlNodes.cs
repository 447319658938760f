using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace PaddleNet.Serving.Config;

/// <summary>Typed reads from a YAML mapping with errors that name the file, the dotted key and the line.</summary>
internal sealed class YamlNodes
{
    private readonly string _file;

    public YamlNodes(string file) => _file = file;

    public ServingConfigException Error(YamlNode? node, string key, string problem) =>
        new($"{_file}{(node is null ? "" : $":{node.Start.Line}")}: {key}: {problem}");

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

    public string? String(Dictionary<string, YamlNode> map, string parent, string name)
    {
        if (!map.TryGetValue(name, out var node)) return null;
        if (node is not YamlScalarNode { Value: { } s } || s.Length == 0) throw Error(node, Join(parent, name), "must be a non-empty string");
        return s;
    }

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

    public IReadOnlyList<string> Strings(Dictionary<string, YamlNode> map, string parent, string name)
    {
        if (!map.TryGetValue(name, out var node)) return [];
        if (node is not YamlSequenceNode seq) throw Error(node, Join(parent, name), "must be a list of strings");
        return seq.Children.Select(c => (c as YamlScalarNode)?.Value ?? throw Error(c, Join(parent, name), "must be a list of strings")).ToArray();
    }

    public static string Join(string parent, string name) => parent.Length == 0 ? name : parent + "." + name;
}
