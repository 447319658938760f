using PaddleNet.Imaging;
using PaddleNet.Pipeline.Config;
using PaddleNet.Pipeline.Postprocess;
using PaddleNet.Pipeline.Preprocess;

namespace PaddleNet.Pipeline;

/// <summary>
/// A PaddleClas classifier: the config's preprocess ops, the model (input 0 → output 0) and the postprocess, as
/// <c>deploy/python/predict_cls.py</c> runs them. Thread-safe after construction.
/// <code>
/// using var classifier = ImageClassifier.FromConfigFile("models/digits/inference_cls.yaml");
/// var result = classifier.Classify("digit.png");   // result.ClassIds, result.Scores, result.LabelNames
/// </code>
/// </summary>
public sealed class ImageClassifier : IDisposable
{
    private readonly InferenceSession _session;
    private readonly PreprocessPipeline _preprocess;
    private readonly PostprocessPipeline _postprocess;
    private readonly TextWriter? _warnings;
    private readonly ImageDecodeOptions _decode;

    private ImageClassifier(ClsConfig config, ImageClassifierOptions? options)
    {
        options ??= new ImageClassifierOptions();
        Config = config;
        _warnings = options.Warnings;
        _decode = options.Decode ?? ImageDecodeOptions.Default;
        _preprocess = new PreprocessPipeline(config.TransformOps);
        _postprocess = new PostprocessPipeline(config.PostProcess, options.Messages);
        var model = PaddleModel.Load(ModelPath(config.ModelDirectory));
        _session = new InferenceSession(model, new SessionOptions { IntraOpThreads = options.Threads ?? config.CpuThreads });
        if (_session.Inputs.Count == 0 || _session.Outputs.Count == 0) throw new PaddleNetException("the model has no inputs or no outputs");
    }

    /// <summary>The config this classifier was built from.</summary>
    public ClsConfig Config { get; }

    /// <summary>Builds a classifier from a loaded config.</summary>
    public static ImageClassifier Create(ClsConfig config, ImageClassifierOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new ImageClassifier(config, options);
    }

    /// <summary>Reads <c>inference_cls.yaml</c> (plus <c>-o</c> style overrides) and builds the classifier.</summary>
    public static ImageClassifier FromConfigFile(string path, IEnumerable<string>? overrides = null, ImageClassifierOptions? options = null) =>
        new(ClsConfig.Load(path, overrides, options?.Warnings), options);

    /// <summary>
    /// Opens a model folder that carries its own PaddleX/PaddleClas <c>inference.yml</c> (preprocess ops and
    /// <c>Topk.label_list</c>), as Paddle 3 exports do.
    /// </summary>
    public static ImageClassifier FromModelDirectory(string modelDirectory, ImageClassifierOptions? options = null)
    {
        string sidecar = Path.Combine(modelDirectory, "inference.yml");
        if (!File.Exists(sidecar)) throw new PaddleNetException($"{modelDirectory}: no inference.yml next to the model; use a config file");
        var raw = ConfigLoader.LoadFile(sidecar);
        if (raw.Get("Global") is not ConfigMap global) raw["Global"] = global = new ConfigMap();
        global["inference_model_dir"] = modelDirectory;
        if (raw.Get("PostProcess") is ConfigMap post && !post.ContainsKey("main_indicator")) post["main_indicator"] = "Topk";
        return new ImageClassifier(ClsConfig.FromMap(raw, sidecar), options);
    }

    /// <summary>Decodes (as <c>cv2.imread</c>) and classifies one image file.</summary>
    public Classification Classify(string imagePath) => Classify([Image.Decode(imagePath, _decode)])[0];

    /// <summary>Decodes an encoded image (JPEG, PNG, …; as <c>cv2.imdecode</c>) and classifies it.</summary>
    public Classification Classify(ReadOnlySpan<byte> encodedImage) => Classify([Image.Decode(encodedImage, _decode)])[0];

    /// <summary>Classifies a decoded image; BGR (as decoded) or any other format, converted to RGB first.</summary>
    public Classification Classify(Image image) => Classify([image])[0];

    /// <summary>Classifies a batch in one forward pass (all images must preprocess to the same shape).</summary>
    public IReadOnlyList<Classification> Classify(IReadOnlyList<Image> images)
    {
        var rows = Predict(images);
        return rows.Select(r => _postprocess.Apply(r)).ToArray();
    }

    /// <summary>The config's preprocess of one image (thread-safe): what <see cref="Predict"/> stacks. Callers that
    /// batch on their own (a server) preprocess on their threads, stack, and run <see cref="Session"/>.</summary>
    public ImageArray Preprocess(Image image) => _preprocess.Apply(image);

    /// <summary>The model's session (input 0 → output 0; immutable and thread-safe, owned by this classifier).</summary>
    public InferenceSession Session => _session;

    /// <summary>The raw rows of output 0 (the model's probabilities) for a batch, before postprocessing.</summary>
    public float[][] Predict(IReadOnlyList<Image> images)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (images.Count == 0) return [];
        var batch = PreprocessPipeline.Stack(images.Select(_preprocess.Apply).ToArray());
        var output = _session.Run(new Dictionary<string, Tensor> { [_session.Inputs[0].Name] = batch })[0];
        if (output.DataType != DataType.Float32) throw new PaddleNetException($"output 0 is {output}, expected float32");
        var values = output.AsSpan<float>();
        int n = images.Count;
        if (values.Length % n != 0) throw new PaddleNetException($"output 0 {output} does not split into {n} rows");
        int width = values.Length / n;
        var rows = new float[n][];
        for (int i = 0; i < n; i++) rows[i] = values.Slice(i * width, width).ToArray();
        return rows;
    }

    /// <summary>
    /// <c>predict_cls.main</c>'s loop over image files: unreadable images are skipped with a warning and do not count
    /// toward a batch; a batch runs every <paramref name="batchSize"/> readable images and at the end of the list
    /// (so the last one may be short). Results come back in list order, batch by batch.
    /// </summary>
    public IEnumerable<(string Path, Classification Result)> ClassifyFiles(IReadOnlyList<string> paths, int batchSize)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var images = new List<Image>();
        var names = new List<string>();
        int count = 0;
        for (int i = 0; i < paths.Count; i++)
        {
            if (TryDecode(paths[i]) is { } image)
            {
                images.Add(image);
                names.Add(paths[i]);
                count++;
            }
            if (count % batchSize == 0 || i + 1 == paths.Count)
            {
                if (images.Count == 0) continue;
                var results = Classify(images);
                for (int k = 0; k < results.Count; k++) yield return (names[k], results[k]);
                images.Clear();
                names.Clear();
            }
        }
    }

    /// <summary>Decodes as <c>cv2.imread</c>; <see langword="null"/> (and a warning) when that would return None.</summary>
    internal Image? TryDecode(string path)
    {
        try
        {
            return Image.Decode(path, _decode);
        }
        catch (ImageDecodeException e)
        {
            _warnings?.WriteLine($"warning: Image file failed to read and has been skipped. The path: {path}");
            _warnings?.WriteLine($"  reason: {e.Message}");
            return null;
        }
    }

    /// <summary>Releases the model's session.</summary>
    public void Dispose() => _session.Dispose();

    // PaddleClas: prefix "inference_int8" when that params file is present, else "inference"; Paddle prefers .json.
    private static string ModelPath(string directory)
    {
        if (!Directory.Exists(directory)) return directory;
        foreach (var prefix in new[] { "inference_int8", "inference" })
        {
            if (prefix == "inference_int8" && !File.Exists(Path.Combine(directory, "inference_int8.pdiparams"))) continue;
            foreach (var ext in new[] { ".json", ".pdmodel" })
            {
                var program = Path.Combine(directory, prefix + ext);
                if (File.Exists(program)) return program;
            }
        }
        return directory; // Paddle 1.x folders (__model__ + one file per parameter)
    }
}
