namespace PaddleNet.Pipeline.Config;

/// <summary>
/// A PaddleClas classification config (<c>inference_cls.yaml</c>, or a PaddleX/PaddleClas <c>inference.yml</c>
/// sidecar) after YAML loading and <c>-o</c> overrides, with the keys <c>predict_cls</c> reads picked out.
/// Relative paths are kept as written; the file system resolves them against the current directory, as Python does.
/// </summary>
public sealed class ClsConfig
{
    private ClsConfig(ConfigMap raw, string? sourcePath)
    {
        Raw = raw;
        SourcePath = sourcePath;
    }

    /// <summary>The whole config tree (after overrides).</summary>
    public ConfigMap Raw { get; }

    /// <summary>The YAML file it came from, if any.</summary>
    public string? SourcePath { get; }

    /// <summary>The <c>Global</c> section (empty when absent).</summary>
    public ConfigMap Global => Raw.Get("Global") as ConfigMap ?? new ConfigMap();

    /// <summary><c>Global.infer_imgs</c>: an image file or a folder; <see langword="null"/> when absent.</summary>
    public string? InferImages => Global.Get("infer_imgs") is { } v ? PyRepr.Str(v) : null;

    /// <summary>
    /// <c>Global.inference_model_dir</c>. A sidecar <c>inference.yml</c> has none: then the folder holding the
    /// config file is the model folder (PaddleClas itself would fail with a KeyError).
    /// </summary>
    public string ModelDirectory => Global.Get("inference_model_dir") is { } v ? PyRepr.Str(v)
        : SourcePath is not null ? Path.GetDirectoryName(Path.GetFullPath(SourcePath))!
        : throw new PaddleNetException("Global.inference_model_dir is missing");

    /// <summary><c>Global.batch_size</c> (default 1).</summary>
    public int BatchSize => ConfigValues.Int(Global.Get("batch_size", 1L), "Global.batch_size", min: 1);

    /// <summary><c>Global.cpu_num_threads</c> (default 1): PaddleNet's intra-op threads.</summary>
    public int CpuThreads => ConfigValues.Int(Global.Get("cpu_num_threads", 1L), "Global.cpu_num_threads", min: 1);

    /// <summary><c>PreProcess.transform_ops</c> (empty when absent).</summary>
    public IReadOnlyList<object?> TransformOps =>
        (Raw.Get("PreProcess") as ConfigMap)?.Get("transform_ops") switch
        {
            List<object?> ops => ops,
            null => [],
            var other => throw new PaddleNetException($"PreProcess.transform_ops must be a list, not {PyRepr.Repr(other)}"),
        };

    /// <summary>The <c>PostProcess</c> section, or <see langword="null"/>.</summary>
    public ConfigMap? PostProcess => Raw.Get("PostProcess") as ConfigMap;

    /// <summary>Reads <paramref name="path"/> and applies <paramref name="overrides"/> (<c>-o</c>) in order; new-key warnings go to <paramref name="warnings"/>.</summary>
    public static ClsConfig Load(string path, IEnumerable<string>? overrides = null, TextWriter? warnings = null)
    {
        var raw = ConfigLoader.LoadFile(path);
        if (overrides is not null) ConfigOverrides.Apply(raw, overrides, warnings);
        return new ClsConfig(raw, path);
    }

    /// <summary>Wraps an already-built tree (a copy is taken).</summary>
    public static ClsConfig FromMap(ConfigMap raw, string? sourcePath = null) => new(raw.Clone(), sourcePath);
}
