using PaddleNet.Detection.Preprocessing;
using PaddleNet.Yaml;
using YamlDotNet.RepresentationModel;

namespace PaddleNet.Detection;

/// <summary>
/// An exported PaddleDetection model's <c>infer_cfg.yml</c>, read as PaddleDetection v2.6 <c>deploy/python/infer.py</c>
/// (<c>PredictConfig</c>) reads it: <c>arch</c>, <c>min_subgraph_size</c>, <c>Preprocess</c>, <c>label_list</c>,
/// <c>draw_threshold</c>.
/// </summary>
public sealed class DetectionConfig
{
    /// <summary>Architectures whose export ends in PaddleDetection's box output ([M, 6] rows plus per-image counts).
    /// Keypoint, segmentation, tracking and classification archs of <c>SUPPORT_MODELS</c> have other outputs.</summary>
    public static IReadOnlyList<string> SupportedArchitectures { get; } =
    [
        "YOLO", "PPYOLOE", "YOLOX", "YOLOF", "SSD", "RCNN", "RetinaNet", "FCOS", "GFL", "PicoDet", "TOOD",
        "TTFNet", "CenterNet", "DETR", "Face",
    ];

    private DetectionConfig(string path, string arch, int minSubgraphSize, double drawThreshold, IReadOnlyList<string> labels, Preprocessor preprocessor)
    {
        Path = path;
        Architecture = arch;
        MinSubgraphSize = minSubgraphSize;
        DrawThreshold = drawThreshold;
        Labels = labels;
        Preprocessor = preprocessor;
    }

    /// <summary>Full path of the <c>infer_cfg.yml</c>.</summary>
    public string Path { get; }

    /// <summary>The folder holding the config and the exported model.</summary>
    public string ModelDirectory => System.IO.Path.GetDirectoryName(Path)!;

    /// <summary><c>arch</c>, one of <see cref="SupportedArchitectures"/>.</summary>
    public string Architecture { get; }

    /// <summary><c>min_subgraph_size</c> (a TensorRT setting; kept for completeness, PaddleNet does not use it).</summary>
    public int MinSubgraphSize { get; }

    /// <summary><c>draw_threshold</c> (0.5 when absent): boxes scoring above it are shown.</summary>
    public double DrawThreshold { get; }

    /// <summary><c>label_list</c>: class id → name.</summary>
    public IReadOnlyList<string> Labels { get; }

    /// <summary>The <c>Preprocess</c> list.</summary>
    public Preprocessor Preprocessor { get; }

    /// <summary>Reads <paramref name="path"/> (an <c>infer_cfg.yml</c>, or the folder holding one).</summary>
    /// <exception cref="DetectionConfigException">Missing file, bad YAML, unknown arch or preprocess op, bad values.</exception>
    public static DetectionConfig Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string full = System.IO.Path.GetFullPath(Directory.Exists(path) ? System.IO.Path.Combine(path, "infer_cfg.yml") : path);
        if (!File.Exists(full))
        {
            throw new DetectionConfigException(full, "file not found");
        }

        return Parse(File.ReadAllText(full), full);
    }

    /// <summary>Parses config text; <paramref name="path"/> locates the model and names the source in errors.</summary>
    public static DetectionConfig Parse(string yaml, string path)
    {
        var y = new YamlConfig(path, (problem, line, inner) =>
            new DetectionConfigException(path, line is { } l ? $"line {l}: {problem}" : problem, inner));
        var root = y.Map(y.ParseMapping(new StringReader(yaml)), "");

        string arch = y.String(root, "", "arch") ?? throw new DetectionConfigException(path, "missing 'arch'");
        if (!SupportedArchitectures.Contains(arch, StringComparer.Ordinal))
        {
            throw new DetectionConfigException(
                path, $"unsupported arch '{arch}' (supported: {string.Join(", ", SupportedArchitectures)})");
        }

        if (!root.TryGetValue("Preprocess", out var preprocess) || preprocess is not YamlSequenceNode ops)
        {
            throw new DetectionConfigException(path, "missing 'Preprocess' list");
        }

        var labels = new List<string>();
        switch (root.GetValueOrDefault("label_list"))
        {
            case null:
                break;
            case YamlSequenceNode list:
                foreach (var item in list.Children)
                {
                    labels.Add(item is YamlScalarNode s ? s.Value ?? "" : throw y.Error(item, "label_list", "entries must be scalars"));
                }

                break;
            case var other:
                throw y.Error(other, "label_list", "must be a list");
        }

        return new DetectionConfig(
            path,
            arch,
            (int)(y.Integer(root, "", "min_subgraph_size", 0, int.MaxValue) ?? 3),
            y.Double(root, "", "draw_threshold") ?? 0.5,
            labels,
            Preprocessor.Parse(ops, y));
    }

    /// <summary>The label of <paramref name="classId"/>, or the id itself when the list has no such entry.</summary>
    public string LabelOf(int classId) =>
        classId >= 0 && classId < Labels.Count ? Labels[classId] : classId.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
