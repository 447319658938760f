using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace PaddleNet.Detection;

/// <summary>Typed reads from YamlDotNet's node tree (no reflection serializer: the assembly is AOT-compatible).
/// Every failure names the file and the key.</summary>
internal readonly struct YamlReader(string path)
{
    public string Path { get; } = path;

    public YamlMappingNode Root(string text)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            throw new DetectionConfigException(Path, $"not valid YAML (line {e.Start.Line}): {e.Message}", e);
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new DetectionConfigException(Path, "expected a mapping at the top level");
        }

        return root;
    }

    public static YamlNode? Get(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var node) ? node : null;

    public string? String(YamlMappingNode map, string key) => Get(map, key) switch
    {
        null => null,
        YamlScalarNode s => s.Value,
        _ => throw new DetectionConfigException(Path, $"'{key}' must be a scalar"),
    };

    public double? Double(YamlMappingNode map, string key)
    {
        string? s = String(map, key);
        if (s is null) return null;
        return double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double v)
            ? v
            : throw new DetectionConfigException(Path, $"'{key}' must be a number, got '{s}'");
    }

    public int? Int(YamlMappingNode map, string key)
    {
        string? s = String(map, key);
        if (s is null) return null;
        return int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v)
            ? v
            : throw new DetectionConfigException(Path, $"'{key}' must be an integer, got '{s}'");
    }

    public bool? Bool(YamlMappingNode map, string key)
    {
        string? s = String(map, key);
        if (s is null) return null;
        return s.ToLowerInvariant() switch
        {
            "true" or "yes" or "on" => true,
            "false" or "no" or "off" => false,
            _ => throw new DetectionConfigException(Path, $"'{key}' must be true or false, got '{s}'"),
        };
    }

    /// <summary>A list of numbers, or one number (PaddleDetection accepts <c>target_size: 320</c> for [320, 320]).</summary>
    public double[]? Doubles(YamlMappingNode map, string key)
    {
        switch (Get(map, key))
        {
            case null:
                return null;
            case YamlScalarNode:
                return [Double(map, key)!.Value];
            case YamlSequenceNode seq:
                var result = new double[seq.Children.Count];
                for (int i = 0; i < result.Length; i++)
                {
                    result[i] = seq.Children[i] is YamlScalarNode s &&
                                double.TryParse(s.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out double v)
                        ? v
                        : throw new DetectionConfigException(Path, $"'{key}'[{i}] must be a number");
                }

                return result;
            default:
                throw new DetectionConfigException(Path, $"'{key}' must be a number or a list of numbers");
        }
    }
}
