using PaddleNet.Imaging;

namespace PaddleNet.Ocr;

/// <summary>Text direction classifier settings (PaddleOCR's <c>predict_cls.py</c> arguments).</summary>
public sealed record TextClassifierOptions
{
    /// <summary><c>cls_image_shape</c> (C, H, W) for PaddleOCR-style classifiers.</summary>
    public int[] ImageShape { get; init; } = [3, 48, 192];

    /// <summary><c>cls_batch_num</c>.</summary>
    public int BatchSize { get; init; } = 6;

    /// <summary><c>cls_thresh</c>: a crop is turned 180° when its label contains "180" with a score above this.</summary>
    public double Threshold { get; init; } = 0.9;

    /// <summary>Intra-op threads of the model.</summary>
    public int Threads { get; init; } = 1;
}

/// <summary>A direction label and its probability.</summary>
public readonly record struct TextAngle(string Label, float Score);

/// <summary>
/// The text direction classifier. PaddleOCR's own (<c>ch_ppocr_mobile_v2.0_cls</c>, labels 0 / 180) is fed as
/// <c>predict_cls.py</c> feeds it: aspect-kept resize to <c>cls_image_shape</c> with right zero padding, (x/255 − 0.5)/0.5.
/// A PaddleX export with an <c>inference.yml</c> whose PreProcess is ResizeImage (e.g. <c>PP-LCNet_x0_25_textline_ori</c>)
/// is fed as that file says: plain resize to the model's input size, ImageNet mean/std over RGB / 255, labels
/// from <c>label_list</c>. Immutable and thread-safe.
/// </summary>
public sealed class TextClassifier : IDisposable
{
    private static readonly float[] Mean = [0.485f, 0.456f, 0.406f];
    private static readonly float[] Std = [0.229f, 0.224f, 0.225f];
    private readonly InferenceSession _session;
    private readonly bool _paddleX;
    private readonly int _height;
    private readonly int _width;

    private TextClassifier(InferenceSession session, TextClassifierOptions options, string path, string[] labels, bool paddleX, int height, int width)
    {
        _session = session;
        Options = options;
        ModelPath = path;
        Labels = labels;
        _paddleX = paddleX;
        _height = height;
        _width = width;
    }

    /// <summary>The options it was loaded with.</summary>
    public TextClassifierOptions Options { get; }

    /// <summary>The model it runs.</summary>
    public string ModelPath { get; }

    /// <summary>Class labels in output order.</summary>
    public IReadOnlyList<string> Labels { get; }

    /// <summary>Loads a direction classifier (folder, program file or <c>.nb</c>).</summary>
    public static TextClassifier Load(string modelPath, TextClassifierOptions? options = null)
    {
        options ??= new TextClassifierOptions();
        if (options.ImageShape is not { Length: 3 } || options.ImageShape.Any(v => v <= 0) || options.ImageShape[0] != 3)
        {
            throw new OcrException($"cls_image_shape must be 3 positive numbers C,H,W with C = 3, got {string.Join(",", options.ImageShape ?? [])}");
        }

        if (options.BatchSize <= 0) throw new OcrException($"cls_batch_num must be positive, got {options.BatchSize}");
        var session = OcrModelLoader.Load(modelPath, "cls_model_dir", options.Threads);
        try
        {
            var y = session.Outputs[0];
            if (y.Shape.Count != 2 || (y.Shape[1] != 2 && y.Shape[1] != -1))
            {
                throw new OcrException($"{modelPath}: cls_model_dir: not a text direction classifier: its output {y.Name} is [{string.Join(", ", y.Shape)}], [N, 2] (0 and 180 degrees) was expected");
            }

            string? yml = Directory.Exists(modelPath) ? Path.Combine(modelPath, "inference.yml") : null;
            if (yml is not null && File.Exists(yml) && File.ReadAllText(yml).Contains("ResizeImage", StringComparison.Ordinal))
            {
                var shape = session.Inputs[0].Shape;
                if (shape[2] <= 0 || shape[3] <= 0)
                {
                    throw new OcrException($"{modelPath}: cls_model_dir: inference.yml resizes to a fixed size but the model declares no input size [{string.Join(", ", shape)}]");
                }

                string[] labels = LabelList(yml) ?? ["0_degree", "180_degree"];
                return new TextClassifier(session, options, modelPath, labels, true, (int)shape[2], (int)shape[3]);
            }

            return new TextClassifier(session, options, modelPath, ["0", "180"], false, options.ImageShape[1], options.ImageShape[2]);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>The <c>label_list</c> entries of a PaddleX inference.yml (a plain block list), or null.</summary>
    private static string[]? LabelList(string yml)
    {
        var lines = File.ReadAllLines(yml);
        for (int i = 0; i < lines.Length; i++)
        {
            if (lines[i].Trim() != "label_list:") continue;
            var labels = new List<string>();
            for (int j = i + 1; j < lines.Length && lines[j].TrimStart().StartsWith("- ", StringComparison.Ordinal); j++)
            {
                labels.Add(lines[j].TrimStart()[2..].Trim().Trim('\'', '"'));
            }

            return labels.Count == 2 ? labels.ToArray() : null;
        }

        return null;
    }

    /// <summary>
    /// Classifies each crop and returns the crops with those labelled 180° above <see cref="TextClassifierOptions.Threshold"/>
    /// turned (<c>cv2.rotate(img, ROTATE_180)</c>), and every crop's label.
    /// </summary>
    public (Image[] Crops, TextAngle[] Angles) Classify(IReadOnlyList<Image> crops, StageTimes? times = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(crops);
        var images = crops.ToArray();
        var angles = new TextAngle[images.Length];
        var order = Enumerable.Range(0, images.Length).OrderBy(i => images[i].Width / (double)images[i].Height).ToArray();
        for (int begin = 0; begin < order.Length; begin += Options.BatchSize)
        {
            long t0 = System.Diagnostics.Stopwatch.GetTimestamp();
            int end = Math.Min(order.Length, begin + Options.BatchSize);
            int n = end - begin;
            int per = 3 * _height * _width;
            var data = new float[n * per];
            for (int k = 0; k < n; k++)
            {
                var dst = data.AsSpan(k * per, per);
                var bgr = images[order[begin + k]].ToBgr();
                if (_paddleX) ResizeImageNet(bgr, _height, _width, dst);
                else TextRecognizer.ResizeNormalize(bgr, _height, _width, dst);
            }

            double pre = StageTimes.Since(t0);
            long t1 = System.Diagnostics.Stopwatch.GetTimestamp();
            var output = _session.Run(new Dictionary<string, Tensor> { [_session.Inputs[0].Name] = Tensor.FromSpan<float>(data, [n, 3, _height, _width]) }, cancellationToken.CanBeCanceled ? new RunOptions { CancellationToken = cancellationToken } : null)[0];
            double model = StageTimes.Since(t1);
            long t2 = System.Diagnostics.Stopwatch.GetTimestamp();
            if (output.Shape.Length != 2 || output.Shape[0] != n || output.Shape[1] != Labels.Count)
            {
                throw new OcrException($"{ModelPath}: cls_model_dir: the model returned [{string.Join(", ", output.Shape.ToArray())}] for {n} crops, [N, {Labels.Count}] was expected");
            }

            var probs = output.AsSpan<float>();
            for (int k = 0; k < n; k++)
            {
                var row = probs.Slice(k * Labels.Count, Labels.Count);
                int best = 0;
                for (int c = 1; c < row.Length; c++) if (row[c] > row[best]) best = c;
                int index = order[begin + k];
                angles[index] = new TextAngle(Labels[best], row[best]);
                if (Labels[best].Contains("180", StringComparison.Ordinal) && row[best] > Options.Threshold)
                {
                    images[index] = images[index].Rotate(Rotation.Rotate180);
                }
            }

            if (times is not null)
            {
                times.Preprocess += pre;
                times.Model += model;
                times.Postprocess += StageTimes.Since(t2);
                times.Runs++;
            }
        }

        return (images, angles);
    }

    /// <summary>Runs a prepared input (for reference tests).</summary>
    internal float[] RunPrepared(Tensor input) => _session.Run(new Dictionary<string, Tensor> { [_session.Inputs[0].Name] = input })[0].AsSpan<float>().ToArray();

    /// <summary>PaddleX ResizeImage (INTER_LINEAR to W × H) + NormalizeImage (ImageNet, RGB) + CHW.</summary>
    internal static void ResizeImageNet(Image bgr, int h, int w, Span<float> destination)
    {
        var px = Image.Resize(bgr, w, h, Interpolation.Linear).Pixels;
        int plane = h * w;
        for (int i = 0; i < plane; i++)
        {
            for (int c = 0; c < 3; c++)
            {
                // RGB order: channel c of the output is BGR channel 2 - c.
                destination[c * plane + i] = (px[i * 3 + (2 - c)] * (1f / 255f) - Mean[c]) / Std[c];
            }
        }
    }

    /// <summary>Releases the model's session.</summary>
    public void Dispose() => _session.Dispose();
}
