using System.Diagnostics;
using PaddleNet.Imaging;

namespace PaddleNet.Pipeline.Lite;

/// <summary>One of the demo's five result slots.</summary>
public readonly record struct ClasSystemResult(int ClassId, string ClassName, float Score);

/// <summary>
/// PaddleClas's Paddle Lite demo <c>clas_system</c> (deploy/lite/image_classfication.cpp) on PaddleNet's engine, as
/// shared/docs/paddleclas-deploy.md §2.4 describes it: imread colour → RGB, short side resized with a float32
/// ratio and C <c>round</c> (half away from zero), linear <c>cv::resize</c>, centre crop with integer division,
/// ×(1/255) in float32, (x − mean)·(1/std) with ImageNet's mean/std, input 0 as {1,3,H,W}, output 0, fixed top-5.
/// The session is immutable; Run may be called from several threads.
/// </summary>
public sealed class ClasSystem : IDisposable
{
    /// <summary>Classes reported per image (the demo's fixed top-5).</summary>
    public const int TopK = 5;
    private static readonly float[] Mean = [0.485f, 0.456f, 0.406f];
    private static readonly float[] Scale = [1 / 0.229f, 1 / 0.224f, 1 / 0.225f];

    private readonly InferenceSession _session;
    private readonly string _input;

    /// <summary>Loads the model and labels <paramref name="config"/> names (throws <see cref="ClasSystemConfigException"/> naming the key at fault).</summary>
    public ClasSystem(ClasSystemConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        Config = config;
        Labels = LoadLabels(config.LabelPath, config.Path);
        if (!File.Exists(config.ModelFile) && !Directory.Exists(config.ModelFile))
            throw new ClasSystemConfigException(config.Path, "clas_model_file", $"model not found: {config.ModelFile}");
        // The demo reads num_threads but never applies it; applying it changes speed only, never the numbers.
        _session = new InferenceSession(config.ModelFile, new SessionOptions { IntraOpThreads = config.NumThreads });
        var inputs = _session.Inputs;
        if (inputs.Count != 1 || inputs[0].Shape.Count != 4)
        {
            _session.Dispose();
            throw new ClasSystemConfigException(config.Path, "clas_model_file",
                $"{config.ModelFile} is not an image classifier with one NCHW input (inputs: {string.Join(", ", inputs)})");
        }
        _input = inputs[0].Name;
    }

    /// <summary>The config it was loaded from.</summary>
    public ClasSystemConfig Config { get; }

    /// <summary>Label lines with the text after the first space, leading space kept, as the demo keeps it.</summary>
    public IReadOnlyList<string> Labels { get; }

    /// <summary>Classifies one decoded BGR image; <paramref name="seconds"/> is the forward pass alone, as the demo times it.</summary>
    public ClasSystemResult[] Run(Image bgr, out double seconds)
    {
        ArgumentNullException.ThrowIfNull(bgr);
        var x = Preprocess(bgr, Config.ResizeShortSize, Config.CropSize);
        var watch = Stopwatch.StartNew();
        var outputs = _session.Run(new Dictionary<string, Tensor>(StringComparer.Ordinal) { [_input] = x });
        watch.Stop();
        // duration_cast<microseconds> then seconds, as the demo computes cost_time.
        seconds = (long)(watch.Elapsed.Ticks / (TimeSpan.TicksPerMillisecond / 1000)) / 1_000_000.0;
        if (outputs[0].DataType != DataType.Float32)
            throw new PaddleNetException($"{Config.ModelFile}: output 0 is {outputs[0].DataType}, a classifier's scores must be float32");
        return Top5(outputs[0].AsSpan<float>(), Labels);
    }

    /// <summary>The demo's input tensor {1, 3, crop, crop} from a BGR image.</summary>
    public static Tensor Preprocess(Image bgr, int resizeShort, int crop)
    {
        ArgumentNullException.ThrowIfNull(bgr);
        var rgb = bgr.ToRgb();
        int w = rgb.Width, h = rgb.Height;
        float ratio = h < w ? resizeShort / (float)h : resizeShort / (float)w;
        int rh = (int)Math.Round((double)(h * ratio), MidpointRounding.AwayFromZero);
        int rw = (int)Math.Round((double)(w * ratio), MidpointRounding.AwayFromZero);
        var resized = Image.Resize(rgb, rw, rh, Interpolation.Linear);
        if (crop > rw || crop > rh)
            throw new PaddleNetException($"crop_size {crop} is larger than the resized image {rw}x{rh}");
        int x0 = (rw - crop) / 2, y0 = (rh - crop) / 2;
        var t = new Tensor(DataType.Float32, [1, 3, crop, crop]);
        var dst = t.AsSpan<float>();
        var px = resized.Pixels;
        int plane = crop * crop;
        const float inv255 = (float)(1.0 / 255.0);
        for (int y = 0; y < crop; y++)
        {
            int row = ((y0 + y) * rw + x0) * 3;
            for (int xx = 0; xx < crop; xx++)
            {
                int s = row + xx * 3, d = y * crop + xx;
                for (int c = 0; c < 3; c++) dst[c * plane + d] = (px[s + c] * inv255 - Mean[c]) * Scale[c];
            }
        }
        return t;
    }

    /// <summary>
    /// The demo's top-5: zero-initialised slots, a score enters only when strictly greater (so ties keep the earlier
    /// index, scores ≤ 0 never enter), slots held as double and swapped by its add/subtract arithmetic, whose float
    /// rounding is reproduced here because it can move the printed sixth digit.
    /// </summary>
    public static ClasSystemResult[] Top5(ReadOnlySpan<float> scores, IReadOnlyList<string> labels)
    {
        Span<int> ids = stackalloc int[TopK];
        Span<double> best = stackalloc double[TopK];
        ids.Clear();
        best.Clear();
        for (int i = 0; i < scores.Length; i++)
        {
            float score = scores[i];
            int index = i;
            for (int j = 0; j < TopK; j++)
            {
                if (score > best[j])
                {
                    index += ids[j];
                    ids[j] = index - ids[j];
                    index -= ids[j];
                    score = (float)(score + best[j]);
                    best[j] = score - best[j];
                    score = (float)(score - best[j]);
                }
            }
        }
        var results = new ClasSystemResult[TopK];
        for (int i = 0; i < TopK; i++)
        {
            string name = ids[i] >= 0 && ids[i] < labels.Count ? labels[ids[i]] : "Unknown";
            results[i] = new ClasSystemResult(ids[i], name, (float)best[i]);
        }
        return results;
    }

    /// <summary>
    /// The demo's label reading: each line from its first space on (leading space kept; a line without a space whole),
    /// plus the empty label its <c>while (file)</c> loop appends when the file ends with a newline.
    /// </summary>
    public static IReadOnlyList<string> LoadLabels(string path, string configPath)
    {
        if (!File.Exists(path)) throw new ClasSystemConfigException(configPath, "label_path", $"label file not found: {path}");
        var text = File.ReadAllText(path);
        var lines = text.Split('\n');
        var labels = new List<string>(lines.Length);
        foreach (var line in lines)
        {
            int space = line.IndexOf(' ', StringComparison.Ordinal);
            labels.Add(space >= 0 ? line[space..] : line);
        }
        return labels;
    }

    /// <summary>Releases the model's session.</summary>
    public void Dispose() => _session.Dispose();
}
