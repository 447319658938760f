using PaddleNet.Imaging;

namespace PaddleNet.Ocr;

/// <summary>What <see cref="OcrSystem"/> loads and how it runs (PaddleOCR's <c>predict_system.py</c> arguments).</summary>
public sealed record OcrSystemOptions
{
    /// <summary><c>det_model_dir</c>: folder with a legacy or PIR program, a program file, or a <c>.nb</c>. Required unless <see cref="Detect"/> is false.</summary>
    public string? DetModelPath { get; init; }

    /// <summary><c>cls_model_dir</c>: used when <see cref="UseAngleClassifier"/> is set.</summary>
    public string? ClsModelPath { get; init; }

    /// <summary><c>rec_model_dir</c>. Required unless <see cref="Recognize"/> is false.</summary>
    public string? RecModelPath { get; init; }

    /// <summary><c>rec_char_dict_path</c>.</summary>
    public string? DictionaryPath { get; init; }

    /// <summary><c>use_angle_cls</c>.</summary>
    public bool UseAngleClassifier { get; init; }

    /// <summary><c>drop_score</c>: recognised lines scoring below it are left out.</summary>
    public double DropScore { get; init; } = 0.5;

    /// <summary><c>--det</c>: false recognises the whole image as one line.</summary>
    public bool Detect { get; init; } = true;

    /// <summary><c>--rec</c>: false returns the detected boxes only.</summary>
    public bool Recognize { get; init; } = true;

    /// <summary>Text detector settings.</summary>
    public TextDetectorOptions Detector { get; init; } = new();

    /// <summary>Direction classifier settings (used when <see cref="UseAngleClassifier"/>).</summary>
    public TextClassifierOptions Classifier { get; init; } = new();

    /// <summary>Text recognizer settings.</summary>
    public TextRecognizerOptions Recognizer { get; init; } = new();
}

/// <summary>One line read off an image: its box (4 corners clockwise from top-left, null without detection), text and score.</summary>
public sealed record OcrLine(float[]? Box, string? Text, float Score)
{
    /// <summary>The direction label the classifier gave, when it ran.</summary>
    public TextAngle? Angle { get; init; }
}

/// <summary>The lines of one image and the time each stage took.</summary>
public sealed record OcrResult(IReadOnlyList<OcrLine> Lines, int ImageWidth, int ImageHeight)
{
    /// <summary>Text detection times.</summary>
    public StageTimes Det { get; init; } = new();
    /// <summary>Direction classification times (zero when the classifier is off).</summary>
    public StageTimes Cls { get; init; } = new();
    /// <summary>Text recognition times.</summary>
    public StageTimes Rec { get; init; } = new();

    /// <summary>Crop extraction and sorting (between det and cls/rec), ms.</summary>
    public double Crop { get; init; }
}

/// <summary>
/// PaddleOCR's <c>TextSystem</c> (<c>tools/infer/predict_system.py</c>): detect → <c>sorted_boxes</c> →
/// <c>get_rotate_crop_image</c> → (classify and turn) → recognise → drop lines under <c>drop_score</c>.
/// <code>
/// using var ocr = OcrSystem.Load(new OcrSystemOptions { DetModelPath = "det", RecModelPath = "rec", DictionaryPath = "ppocr_keys_v1.txt" });
/// foreach (var line in ocr.Run(Image.Decode("photo.jpg")).Lines) Console.WriteLine($"{line.Text} {line.Score:F3}");
/// </code>
/// Immutable and thread-safe: <see cref="Run"/> may be called from several threads.
/// </summary>
public sealed class OcrSystem : IDisposable
{
    private OcrSystem(OcrSystemOptions options, TextDetector? det, TextClassifier? cls, TextRecognizer? rec)
    {
        Options = options;
        Detector = det;
        Classifier = cls;
        Recognizer = rec;
    }

    /// <summary>The options it was loaded with.</summary>
    public OcrSystemOptions Options { get; }
    /// <summary>The text detector, or null when detection is off.</summary>
    public TextDetector? Detector { get; }
    /// <summary>The direction classifier, or null when it is off.</summary>
    public TextClassifier? Classifier { get; }
    /// <summary>The text recognizer, or null when recognition is off.</summary>
    public TextRecognizer? Recognizer { get; }

    /// <summary>Loads the models <paramref name="options"/> names.</summary>
    public static OcrSystem Load(OcrSystemOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.Detect && !options.Recognize) throw new OcrException("--det false and --rec false leave nothing to do");
        TextDetector? det = null;
        TextClassifier? cls = null;
        TextRecognizer? rec = null;
        try
        {
            if (options.Detect)
            {
                det = TextDetector.Load(options.DetModelPath ?? throw new OcrException("det_model_dir is required (or --det false)"), options.Detector);
            }

            if (options.UseAngleClassifier)
            {
                cls = TextClassifier.Load(options.ClsModelPath ?? throw new OcrException("use_angle_cls needs cls_model_dir"), options.Classifier);
            }

            if (options.Recognize)
            {
                rec = TextRecognizer.Load(
                    options.RecModelPath ?? throw new OcrException("rec_model_dir is required (or --rec false)"),
                    options.DictionaryPath ?? throw new OcrException("rec_char_dict_path is required with a recognition model"),
                    options.Recognizer);
            }

            return new OcrSystem(options, det, cls, rec);
        }
        catch
        {
            det?.Dispose();
            cls?.Dispose();
            rec?.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Reads the text of one image (BGR, or any format: converted first). A cancelled <paramref name="cancellationToken"/>
    /// stops the models between operators with <see cref="OperationCanceledException"/>.
    /// </summary>
    public OcrResult Run(Image image, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(image);
        image = image.ToBgr();
        var detTimes = new StageTimes();
        var clsTimes = new StageTimes();
        var recTimes = new StageTimes();
        IReadOnlyList<TextBox> boxes;
        var crops = new List<Image>();
        double crop = 0;
        if (Detector is not null)
        {
            boxes = Detector.Detect(image, detTimes, cancellationToken);
            long t0 = System.Diagnostics.Stopwatch.GetTimestamp();
            boxes = SortBoxes(boxes);
            if (Recognizer is not null || Classifier is not null)
            {
                foreach (var box in boxes) crops.Add(RotateCrop(image, box.Points));
            }

            crop = StageTimes.Since(t0);
        }
        else
        {
            boxes = [];
            crops.Add(image);
        }

        TextAngle[]? angles = null;
        if (Classifier is not null && crops.Count > 0)
        {
            Image[] turned;
            (turned, angles) = Classifier.Classify(crops, clsTimes, cancellationToken);
            crops = [.. turned];
        }

        var lines = new List<OcrLine>();
        if (Recognizer is null)
        {
            for (int i = 0; i < boxes.Count; i++) lines.Add(new OcrLine(boxes[i].Points, null, (float)boxes[i].Score) { Angle = angles?[i] });
        }
        else
        {
            var texts = Recognizer.Recognize(crops, recTimes, cancellationToken);
            for (int i = 0; i < texts.Length; i++)
            {
                if (texts[i].Score < Options.DropScore) continue;
                lines.Add(new OcrLine(Detector is null ? null : boxes[i].Points, texts[i].Text, texts[i].Score) { Angle = angles?[i] });
            }
        }

        return new OcrResult(lines, image.Width, image.Height) { Det = detTimes, Cls = clsTimes, Rec = recTimes, Crop = crop };
    }

    /// <summary>
    /// <c>sorted_boxes</c>: by the top-left corner's (y, x), then a bubble pass swapping neighbours whose top-left
    /// y differ by less than 10 pixels and are out of x order.
    /// </summary>
    public static List<TextBox> SortBoxes(IReadOnlyList<TextBox> boxes)
    {
        var list = boxes.OrderBy(b => b.Points[1]).ThenBy(b => b.Points[0]).ToList();
        for (int i = 0; i < list.Count - 1; i++)
        {
            for (int j = i; j >= 0; j--)
            {
                if (Math.Abs(list[j + 1].Points[1] - list[j].Points[1]) < 10 && list[j + 1].Points[0] < list[j].Points[0])
                {
                    (list[j], list[j + 1]) = (list[j + 1], list[j]);
                }
                else
                {
                    break;
                }
            }
        }

        return list;
    }

    /// <summary>
    /// <c>get_rotate_crop_image</c>: the quadrilateral warped (INTER_CUBIC, BORDER_REPLICATE) to a rectangle of the longer
    /// opposite sides' lengths, turned a quarter counter-clockwise when at least 1.5 times taller than wide.
    /// </summary>
    public static Image RotateCrop(Image image, ReadOnlySpan<float> points)
    {
        if (points.Length != 8) throw new ArgumentException("Expected 4 corners (8 values).", nameof(points));
        int width = (int)Math.Max(TextDetector.Norm(points[0] - points[2], points[1] - points[3]), TextDetector.Norm(points[4] - points[6], points[5] - points[7]));
        int height = (int)Math.Max(TextDetector.Norm(points[0] - points[6], points[1] - points[7]), TextDetector.Norm(points[2] - points[4], points[3] - points[5]));
        if (width <= 0 || height <= 0) throw new OcrException($"text box [{string.Join(", ", points.ToArray())}] has no area to crop");
        float[] std = [0, 0, width, 0, width, height, 0, height];
        var m = Geometry.GetPerspectiveTransform(points, std);
        var dst = image.WarpPerspective(m, width, height, Interpolation.Cubic, BorderMode.Replicate);
        return dst.Height * 1.0 / dst.Width >= 1.5 ? dst.Rotate(Rotation.CounterClockwise90) : dst;
    }

    /// <summary>Releases the loaded models.</summary>
    public void Dispose()
    {
        Detector?.Dispose();
        Classifier?.Dispose();
        Recognizer?.Dispose();
    }
}
