using PaddleNet.Yaml;
using YamlDotNet.RepresentationModel;

namespace PaddleNet.Serving.Config;

/// <summary>
/// Reads <c>serving.yaml</c>. Relative <c>config</c>/<c>workdir</c> paths resolve against the YAML's folder; a
/// model without <c>workdir</c> resolves its deploy config's relative paths against the current directory, as
/// <c>paddlenet predict</c> does. Unknown keys, bad types and out-of-range numbers are errors.
/// </summary>
public static class ServingConfigLoader
{
    private static readonly string[] TopKeys = ["host", "http_port", "grpc_port", "max_request_bytes", "max_image_pixels", "idle_trim_ms", "shutdown_timeout_s", "models"];
    private static readonly string[] ModelKeys = ["kind", "config", "workdir", "overrides", "threads", "concurrency", "batching", "limits"];

    /// <summary>Reads and checks the <c>serving.yaml</c> at <paramref name="path"/>; every problem is a <see cref="ServingConfigException"/> naming file, line and key.</summary>
    public static ServingConfig Load(string path)
    {
        if (!File.Exists(path)) throw new ServingConfigException($"{path}: serving config not found");
        string baseDir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var y = Yaml(path);
        var top = y.Map(y.LoadMapping(), "", TopKeys);
        int? grpc = (int?)y.Integer(top, "", "grpc_port", 0, 65535);
        int http = (int)(y.Integer(top, "", "http_port", 0, 65535) ?? 18080);
        if (grpc is { } g && g != 0 && g == http) throw y.Error(top["grpc_port"], "grpc_port", "must differ from http_port (gRPC needs its own HTTP/2 port)");
        string host = y.String(top, "", "host") ?? "0.0.0.0";
        if (!System.Net.IPAddress.TryParse(host, out _)) throw y.Error(top["host"], "host", $"'{host}' is not an IP address");
        if (!top.TryGetValue("models", out var modelsNode)) throw y.Error(null, "models", "is required (at least one model)");
        var modelMap = y.Map(modelsNode, "models");
        if (modelMap.Count == 0) throw y.Error(modelsNode, "models", "needs at least one model");
        var models = modelMap.Select(kv => Model(y, kv.Key, kv.Value, baseDir)).ToArray();
        return new ServingConfig(
            host,
            http,
            grpc,
            y.Integer(top, "", "max_request_bytes", 1024, 1L << 31) ?? ServingConfig.DefaultMaxRequestBytes,
            TimeSpan.FromSeconds(y.Integer(top, "", "shutdown_timeout_s", 0, 3600) ?? 30),
            models)
        {
            MaxImagePixels = y.Integer(top, "", "max_image_pixels", 1, 1L << 40) ?? Imaging.ImageDecodeOptions.DefaultMaxPixels,
            IdleTrimDelay = y.Integer(top, "", "idle_trim_ms", 0, 3_600_000) is { } trim ? TimeSpan.FromMilliseconds(trim) : ServingConfig.DefaultIdleTrimDelay,
        };
    }

    /// <summary>True when the YAML file is a serving config (has a top-level <c>models</c> mapping) rather than a model's deploy config.</summary>
    public static bool IsServingConfig(string path) => HasTopLevelKey(path, "models");

    /// <summary>The YAML reader for a serving-side file: its errors are <see cref="ServingConfigException"/>s that read <c>file:line: key: problem</c>.</summary>
    internal static YamlConfig Yaml(string path) =>
        new(path, (problem, line, inner) =>
        {
            string message = $"{path}{(line is { } l ? $":{l}" : "")}: {problem}";
            return inner is null ? new ServingConfigException(message) : new ServingConfigException(message, inner);
        });

    /// <summary>True when the YAML file's root mapping has <paramref name="key"/> (an OCR config has <c>det_model_dir</c>).</summary>
    private static bool HasTopLevelKey(string path, string key) =>
        YamlConfig.TryLoadMapping(path)?.Children.ContainsKey(new YamlScalarNode(key)) == true;

    /// <summary>A one-model server for a PaddleClas <c>inference_cls.yaml</c> (relative paths in it resolve against the current directory).</summary>
    public static ServingConfig ForSingleModel(string modelConfigPath, string name, IReadOnlyList<string> overrides, string host, int httpPort, int? grpcPort, BatchingOptions? batching = null)
    {
        if (!File.Exists(modelConfigPath)) throw new ServingConfigException($"{modelConfigPath}: config not found");
        if (!ModelNames.IsValid(name)) throw new ServingConfigException($"--name '{name}': a model name is letters, digits, '_', '-' or '.'");
        // A PaddleDetection export's config is infer_cfg.yml; anything else is a PaddleClas inference_cls.yaml.
        string kind = Path.GetFileName(modelConfigPath).Equals("infer_cfg.yml", StringComparison.OrdinalIgnoreCase) ? "detector"
            : HasTopLevelKey(modelConfigPath, "det_model_dir") ? "ocr" : "classifier";
        var model = new ModelConfig(name, kind, Path.GetFullPath(modelConfigPath), Directory.GetCurrentDirectory(), overrides,
            1, 1, batching ?? BatchingOptions.Default, LimitOptions.Default);
        return new ServingConfig(host, httpPort, grpcPort, ServingConfig.DefaultMaxRequestBytes, TimeSpan.FromSeconds(30), [model]);
    }

    private static ModelConfig Model(YamlConfig y, string name, YamlNode node, string baseDir)
    {
        string key = "models." + name;
        if (!ModelNames.IsValid(name)) throw y.Error(node, key, "a model name is letters, digits, '_', '-' or '.'");
        var m = y.Map(node, key, ModelKeys);
        string kind = y.String(m, key, "kind") ?? "classifier";
        string config = y.String(m, key, "config") ?? throw y.Error(node, key + ".config", "is required (the model's deploy config, e.g. inference_cls.yaml)");
        string configPath = Path.GetFullPath(config, baseDir);
        if (!File.Exists(configPath)) throw y.Error(m["config"], key + ".config", $"{configPath} does not exist");
        string workdir = y.String(m, key, "workdir") is { } w ? Path.GetFullPath(w, baseDir) : Directory.GetCurrentDirectory();
        if (!Directory.Exists(workdir)) throw y.Error(m["workdir"], key + ".workdir", $"{workdir} is not a folder");
        var batching = BatchingOptions.Default;
        if (m.TryGetValue("batching", out var b))
        {
            var bm = y.Map(b, key + ".batching", "max_batch_size", "max_delay_ms");
            batching = new BatchingOptions(
                (int)(y.Integer(bm, key + ".batching", "max_batch_size", 1, 1024) ?? batching.MaxBatchSize),
                TimeSpan.FromMilliseconds(y.Integer(bm, key + ".batching", "max_delay_ms", 0, 10_000) ?? (long)batching.MaxDelay.TotalMilliseconds));
        }
        var limits = LimitOptions.Default;
        if (m.TryGetValue("limits", out var l))
        {
            var lm = y.Map(l, key + ".limits", "max_queue", "timeout_ms", "max_images_per_request");
            limits = new LimitOptions(
                (int)(y.Integer(lm, key + ".limits", "max_queue", 1, 1_000_000) ?? limits.MaxQueue),
                TimeSpan.FromMilliseconds(y.Integer(lm, key + ".limits", "timeout_ms", 1, 3_600_000) ?? (long)limits.Timeout.TotalMilliseconds),
                (int)(y.Integer(lm, key + ".limits", "max_images_per_request", 1, 4096) ?? limits.MaxImagesPerRequest));
        }
        return new ModelConfig(
            name, kind, configPath, workdir, y.Strings(m, key, "overrides"),
            (int)(y.Integer(m, key, "threads", 1, 256) ?? 1),
            (int)(y.Integer(m, key, "concurrency", 1, 64) ?? 1),
            batching, limits);
    }
}
