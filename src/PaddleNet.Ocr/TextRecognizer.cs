using PaddleNet.Imaging;

namespace PaddleNet.Ocr;

/// <summary>Text recogniser settings (PaddleOCR's <c>predict_rec.py</c> arguments).</summary>
public sealed record TextRecognizerOptions
{
    /// <summary><c>rec_image_shape</c> (C, H, W). A height the model declares fixed wins (v2 models need 32).</summary>
    public int[] ImageShape { get; init; } = [3, 48, 320];

    /// <summary><c>rec_batch_num</c>: crops per model run, taken in order of aspect ratio.</summary>
    public int BatchSize { get; init; } = 6;

    /// <summary><c>use_space_char</c>: the class after the dictionary is a space.</summary>
    public bool UseSpaceChar { get; init; } = true;

    /// <summary>Intra-op threads of the model.</summary>
    public int Threads { get; init; } = 1;
}

/// <summary>A recognised line: its text and CTC score.</summary>
public readonly record struct RecognizedText(string Text, float Score);

/// <summary>
/// PaddleOCR's CTC text recogniser (<c>tools/infer/predict_rec.py</c>, CRNN / SVTR_LCNet): crops sorted by aspect
/// ratio, batched, each resized to the batch's height and width (<c>resize_norm_img</c>: (x/255 − 0.5)/0.5, zero pad
/// on the right), the model, <see cref="CtcDecoder"/>. Immutable and thread-safe.
/// </summary>
public sealed class TextRecognizer : IDisposable
{
    private readonly InferenceSession _session;

    private TextRecognizer(InferenceSession session, CtcDecoder decoder, TextRecognizerOptions options, string path, int height)
    {
        _session = session;
        Decoder = decoder;
        Options = options;
        ModelPath = path;
        ImageHeight = height;
    }

    /// <summary>The options it was loaded with.</summary>
    public TextRecognizerOptions Options { get; }

    /// <summary>The CTC decoder over the character dictionary.</summary>
    public CtcDecoder Decoder { get; }

    /// <summary>The model it runs.</summary>
    public string ModelPath { get; }

    /// <summary>The input height in use: the model's own when it declares one, else <c>rec_image_shape</c>'s.</summary>
    public int ImageHeight { get; }

    /// <summary>Loads a recognition model and its dictionary; checks the model's class count against the dictionary.</summary>
    public static TextRecognizer Load(string modelPath, string dictionaryPath, TextRecognizerOptions? options = null)
    {
        options ??= new TextRecognizerOptions();
        if (options.ImageShape is not { Length: 3 } || options.ImageShape.Any(v => v <= 0) || options.ImageShape[0] != 3)
        {
            throw new OcrException($"rec_image_shape must be 3 positive numbers C,H,W with C = 3, got {string.Join(",", options.ImageShape ?? [])}");
        }

        if (options.BatchSize <= 0) throw new OcrException($"rec_batch_num must be positive, got {options.BatchSize}");
        var decoder = CtcDecoder.FromFile(dictionaryPath, options.UseSpaceChar);
        var session = OcrModelLoader.Load(modelPath, "rec_model_dir", options.Threads);
        try
        {
            var y = session.Outputs[0];
            if (y.Shape.Count != 3)
            {
                throw new OcrException($"{modelPath}: rec_model_dir: not a CTC text recogniser: its output {y.Name} is [{string.Join(", ", y.Shape)}], per-step class probabilities [N, T, classes] were expected{(y.Shape.Count == 4 ? " (this looks like a detection model)" : "")}");
            }

            if (y.Shape[2] > 0 && y.Shape[2] != decoder.ClassCount)
            {
                throw new OcrException(ClassMismatch(modelPath, decoder, (int)y.Shape[2]));
            }

            long declared = session.Inputs[0].Shape[2];
            int height = declared > 0 ? (int)declared : options.ImageShape[1];
            return new TextRecognizer(session, decoder, options, modelPath, height);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    private static string ClassMismatch(string modelPath, CtcDecoder decoder, long classes) =>
        $"{modelPath}: rec_model_dir: the model outputs {classes} classes, but the dictionary {decoder.DictionaryPath} gives {decoder.ClassCount} " +
        $"(blank + {decoder.DictionarySize} lines{(decoder.UseSpaceChar ? " + space" : "")}): wrong rec_char_dict_path or use_space_char";

    /// <summary>Recognises each crop (BGR); results in the crops' order.</summary>
    public RecognizedText[] Recognize(IReadOnlyList<Image> crops, StageTimes? times = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(crops);
        var results = new RecognizedText[crops.Count];
        if (crops.Count == 0) return results;
        // np.argsort of width/height (a stable order here; ties only change which crops share a batch).
        var order = Enumerable.Range(0, crops.Count).OrderBy(i => crops[i].Width / (double)crops[i].Height).ToArray();
        int imgH = ImageHeight, imgW = Options.ImageShape[2];
        for (int begin = 0; begin < order.Length; begin += Options.BatchSize)
        {
            long t0 = System.Diagnostics.Stopwatch.GetTimestamp();
            int end = Math.Min(order.Length, begin + Options.BatchSize);
            double maxRatio = imgW / (double)imgH;
            for (int k = begin; k < end; k++) maxRatio = Math.Max(maxRatio, crops[order[k]].Width * 1.0 / crops[order[k]].Height);
            int width = (int)(imgH * maxRatio);
            int n = end - begin;
            var data = new float[n * 3 * imgH * width];
            for (int k = 0; k < n; k++) ResizeNormalize(crops[order[begin + k]].ToBgr(), imgH, width, data.AsSpan(k * 3 * imgH * width, 3 * imgH * width));
            double pre = StageTimes.Since(t0);

            long t1 = System.Diagnostics.Stopwatch.GetTimestamp();
            var output = _session.Run(new Dictionary<string, Tensor> { [_session.Inputs[0].Name] = Tensor.FromSpan<float>(data, [n, 3, imgH, width]) }, cancellationToken.CanBeCanceled ? new RunOptions { CancellationToken = cancellationToken } : null)[0];
            double model = StageTimes.Since(t1);

            long t2 = System.Diagnostics.Stopwatch.GetTimestamp();
            var shape = output.Shape;
            if (shape.Length != 3 || shape[0] != n)
            {
                throw new OcrException($"{ModelPath}: rec_model_dir: the model returned [{string.Join(", ", shape.ToArray())}] for {n} crops, [N, T, classes] was expected");
            }

            if (shape[2] != Decoder.ClassCount) throw new OcrException(ClassMismatch(ModelPath, Decoder, shape[2]));
            var probs = output.AsSpan<float>();
            int per = shape[1] * shape[2];
            for (int k = 0; k < n; k++)
            {
                var (text, score) = Decoder.Decode(probs.Slice(k * per, per), shape[1]);
                results[order[begin + k]] = new RecognizedText(text, score);
            }

            if (times is not null)
            {
                times.Preprocess += pre;
                times.Model += model;
                times.Postprocess += StageTimes.Since(t2);
                times.Runs++;
            }
        }

        return results;
    }

    /// <summary>Runs prepared input and decodes (for reference tests).</summary>
    internal RecognizedText[] RunPrepared(Tensor input)
    {
        var output = _session.Run(new Dictionary<string, Tensor> { [_session.Inputs[0].Name] = input })[0];
        int per = output.Shape[1] * output.Shape[2];
        var probs = output.AsSpan<float>();
        var r = new RecognizedText[output.Shape[0]];
        for (int k = 0; k < r.Length; k++)
        {
            var (text, score) = Decoder.Decode(probs.Slice(k * per, per), output.Shape[1]);
            r[k] = new RecognizedText(text, score);
        }

        return r;
    }

    /// <summary>
    /// <c>resize_norm_img</c>: resize to height <paramref name="imgH"/> and width min(ceil(imgH × w/h), <paramref name="imgW"/>)
    /// (INTER_LINEAR), CHW, x/255, −0.5, /0.5 in float32, into <paramref name="destination"/> (3 × imgH × imgW, zero on the right).
    /// </summary>
    internal static void ResizeNormalize(Image bgr, int imgH, int imgW, Span<float> destination)
    {
        double ratio = bgr.Width / (double)bgr.Height;
        int resizedW = Math.Ceiling(imgH * ratio) > imgW ? imgW : (int)Math.Ceiling(imgH * ratio);
        resizedW = Math.Max(resizedW, 1);
        Image resized = Image.Resize(bgr, resizedW, imgH, Interpolation.Linear);
        destination.Clear();
        var px = resized.Pixels;
        for (int c = 0; c < 3; c++)
        {
            for (int y = 0; y < imgH; y++)
            {
                int row = (c * imgH + y) * imgW;
                for (int x = 0; x < resizedW; x++)
                {
                    float v = px[(y * resizedW + x) * 3 + c] / 255f;
                    v -= 0.5f;
                    destination[row + x] = v / 0.5f;
                }
            }
        }
    }

    /// <summary>Releases the model's session.</summary>
    public void Dispose() => _session.Dispose();
}
