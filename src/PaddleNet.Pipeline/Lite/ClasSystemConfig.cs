using System.Globalization;

namespace PaddleNet.Pipeline.Lite;

/// <summary>A <c>config.txt</c> of Paddle Lite's <c>clas_system</c> demo is missing a key or holds a bad value.</summary>
public sealed class ClasSystemConfigException : PaddleNetException
{
    /// <summary>A problem with <paramref name="key"/> (null: the file as a whole) in the config at <paramref name="path"/>.</summary>
    public ClasSystemConfigException(string path, string? key, string message)
        : base(key is null ? $"{path}: {message}" : $"{path}: key '{key}': {message}")
    {
        Path = path;
        Key = key;
    }

    /// <summary>The <c>config.txt</c> concerned.</summary>
    public string Path { get; }
    /// <summary>The key at fault, or null when the problem is the file.</summary>
    public string? Key { get; }
}

/// <summary>
/// PaddleClas <c>deploy/lite/config.txt</c> (shared/docs/paddleclas-deploy.md §2.4): one <c>key value</c> pair per
/// line, split on spaces, only the first two tokens count (so a trailing <c># comment</c> is ignored), a later line
/// wins. Every key the demo reads is required. Unlike the C++ demo, a line with no value or a non-integer number
/// is an error naming the line or key (the demo indexes past the end or lets <c>stoi</c> abort); blank lines are skipped.
/// </summary>
public sealed class ClasSystemConfig
{
    /// <summary>The keys in the order the demo reads them (the first one missing is the one reported).</summary>
    public static readonly string[] RequiredKeys =
    [
        "enable_benchmark", "clas_model_file", "label_path", "crop_size", "num_threads", "batch_size",
        "precision", "runtime_device", "tipc_benchmark", "resize_short_size", "visualize",
    ];

    private readonly SortedDictionary<string, string> _values;

    private ClasSystemConfig(string path, SortedDictionary<string, string> values)
    {
        Path = path;
        _values = values;
    }

    /// <summary>The file it was read from.</summary>
    public string Path { get; }

    /// <summary>Every key and value, sorted as <c>std::map&lt;std::string, …&gt;</c> sorts (byte order).</summary>
    public IEnumerable<KeyValuePair<string, string>> Entries => _values;

    /// <summary><c>clas_model_file</c>: the model to run.</summary>
    public string ModelFile => Require("clas_model_file");
    /// <summary><c>label_path</c>: the label list.</summary>
    public string LabelPath => Require("label_path");
    /// <summary><c>resize_short_size</c>: the short side after resizing.</summary>
    public int ResizeShortSize => Positive("resize_short_size");
    /// <summary><c>crop_size</c>: the centre crop's side.</summary>
    public int CropSize => Positive("crop_size");
    /// <summary><c>num_threads</c>: threads per run.</summary>
    public int NumThreads => Positive("num_threads");
    /// <summary><c>visualize</c> is non-zero.</summary>
    public bool Visualize => Flag("visualize");
    /// <summary><c>enable_benchmark</c> is non-zero.</summary>
    public bool EnableBenchmark => Flag("enable_benchmark");
    /// <summary><c>tipc_benchmark</c> is non-zero.</summary>
    public bool TipcBenchmark => Flag("tipc_benchmark");

    /// <summary>Reads the <c>config.txt</c> at <paramref name="path"/>.</summary>
    public static ClasSystemConfig Load(string path)
    {
        if (!File.Exists(path)) throw new ClasSystemConfigException(path, null, "config file not found");
        var values = new SortedDictionary<string, string>(StringComparer.Ordinal);
        int lineNo = 0;
        foreach (var raw in File.ReadLines(path))
        {
            lineNo++;
            var line = raw.TrimEnd('\r');
            var tokens = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (tokens.Length == 0) continue;
            if (tokens.Length < 2) throw new ClasSystemConfigException(path, tokens[0], $"line {lineNo} has no value (expected `key value`)");
            values[tokens[0]] = tokens[1];
        }
        return new ClasSystemConfig(path, values);
    }

    /// <summary>Checks every key the demo reads, in its order, so a run fails before loading anything.</summary>
    public void Validate()
    {
        foreach (var key in RequiredKeys) Require(key);
        _ = ResizeShortSize; _ = CropSize; _ = NumThreads; _ = Visualize; _ = EnableBenchmark; _ = TipcBenchmark;
        _ = Int("batch_size");
    }

    /// <summary>The value of <paramref name="key"/>; throws <see cref="ClasSystemConfigException"/> when it is missing.</summary>
    public string Require(string key) =>
        _values.TryGetValue(key, out var v) ? v
        : throw new ClasSystemConfigException(Path, key, $"missing (clas_system needs every one of: {string.Join(", ", RequiredKeys)})");

    private int Int(string key)
    {
        var v = Require(key);
        return int.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int n) ? n
            : throw new ClasSystemConfigException(Path, key, $"'{v}' is not an integer");
    }

    private int Positive(string key)
    {
        int n = Int(key);
        return n > 0 ? n : throw new ClasSystemConfigException(Path, key, $"{n} must be positive");
    }

    private bool Flag(string key) => Int(key) != 0;
}
