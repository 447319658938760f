using PaddleNet.Yaml;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace PaddleNet.Pipeline.Config;

/// <summary>
/// Reads a PaddleClas config as <c>deploy/utils/config.py</c> does: PyYAML SafeLoader (YAML 1.1 scalars), then
/// <c>ast.literal_eval</c> on every string value of every mapping, recursively through mappings only. Lists are
/// not visited, so <c>scale: 1.0/255.0</c> inside <c>transform_ops</c> stays a string (NormalizeImage evaluates it).
/// </summary>
public static class ConfigLoader
{
    /// <summary>Parses the YAML file at <paramref name="path"/>; the root must be a mapping.</summary>
    public static ConfigMap LoadFile(string path)
    {
        if (!File.Exists(path)) throw new PaddleNetException($"config file not found: {path}");
        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Parses YAML text; <paramref name="sourceName"/> names it in errors.</summary>
    public static ConfigMap Parse(string yaml, string sourceName = "<config>")
    {
        var root = new YamlConfig(sourceName, (problem, line, inner) =>
            new PaddleNetException($"{sourceName}{(line is { } l ? $":{l}" : "")}: {problem}", inner)).ParseMapping(new StringReader(yaml));
        var map = (ConfigMap)Convert(root)!;
        LiteralEvalStrings(map);
        return map;
    }

    private static object? Convert(YamlNode node) => node switch
    {
        YamlMappingNode m => ConvertMap(m),
        YamlSequenceNode s => s.Children.Select(Convert).ToList(),
        YamlScalarNode sc => ConvertScalar(sc),
        _ => throw new PaddleNetException($"unsupported YAML node {node.NodeType}"),
    };

    private static ConfigMap ConvertMap(YamlMappingNode node)
    {
        var map = new ConfigMap();
        foreach (var (key, value) in node.Children)
        {
            // PyYAML would keep non-string keys typed; configs only use names, so the key's text is used.
            string name = key is YamlScalarNode k ? PyRepr.Str(ConvertScalar(k)) : key.ToString();
            map[name] = Convert(value);
        }
        return map;
    }

    private static object? ConvertScalar(YamlScalarNode node)
    {
        string text = node.Value ?? "";
        string tag = node.Tag.IsEmpty ? "" : node.Tag.Value;
        switch (tag)
        {
            case "tag:yaml.org,2002:str": return text;
            case "tag:yaml.org,2002:null": return null;
            case "tag:yaml.org,2002:bool":
            case "tag:yaml.org,2002:int":
            case "tag:yaml.org,2002:float":
                return Yaml11Scalars.Resolve(text);
        }
        return node.Style is ScalarStyle.Plain or ScalarStyle.Any ? Yaml11Scalars.Resolve(text) : text;
    }

    private static void LiteralEvalStrings(ConfigMap map)
    {
        foreach (var key in map.Keys.ToList())
        {
            switch (map[key])
            {
                case ConfigMap nested:
                    LiteralEvalStrings(nested);
                    break;
                case string s when PyExpression.TryLiteralEval(s, out var value):
                    map[key] = value;
                    break;
            }
        }
    }
}
