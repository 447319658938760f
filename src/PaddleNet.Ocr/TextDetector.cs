using PaddleNet.Imaging;

namespace PaddleNet.Ocr;

/// <summary>How <c>det_limit_side_len</c> applies (PaddleOCR's <c>det_limit_type</c>).</summary>
public enum DetLimitType
{
    /// <summary>Shrink so the longer side is at most the limit.</summary>
    Max,

    /// <summary>Enlarge so the shorter side is at least the limit.</summary>
    Min,

    /// <summary>Scale so the longer side equals the limit.</summary>
    ResizeLong,
}

/// <summary>Text detector settings (PaddleOCR's <c>predict_det.py</c> arguments).</summary>
public sealed record TextDetectorOptions
{
    /// <summary><c>det_limit_side_len</c>.</summary>
    public int LimitSideLength { get; init; } = 960;

    /// <summary><c>det_limit_type</c>.</summary>
    public DetLimitType LimitType { get; init; } = DetLimitType.Max;

    /// <summary>DetResizeForTest's <c>max_side_limit</c>: no side of the resized image exceeds it, whatever the limit says.</summary>
    public int MaxSideLimit { get; init; } = 4000;

    /// <summary>DB post-processing.</summary>
    public DbOptions Db { get; init; } = new();

    /// <summary>Intra-op threads of the model.</summary>
    public int Threads { get; init; } = 1;
}

/// <summary>A detected text region: 4 corners clockwise from top-left (x, y pairs, source pixels) and its DB score.</summary>
public sealed record TextBox(float[] Points, double Score)
{
    /// <summary>Corner <paramref name="i"/> (0..3).</summary>
    public (float X, float Y) this[int i] => (Points[2 * i], Points[2 * i + 1]);
}

/// <summary>
/// PaddleOCR's DB text detector (<c>tools/infer/predict_det.py</c>): DetResizeForTest, NormalizeImage (ImageNet
/// mean/std on BGR, 1/255), CHW, the model, <see cref="DbPostProcess"/>, then <c>filter_tag_det_res</c> (corners
/// ordered clockwise, clipped to the image, boxes of side ≤ 3 dropped). The detector is immutable and thread-safe.
/// </summary>
public sealed class TextDetector : IDisposable
{
    private static readonly float[] Mean = [0.485f, 0.456f, 0.406f];
    private static readonly float[] Std = [0.229f, 0.224f, 0.225f];
    private readonly InferenceSession _session;

    private TextDetector(InferenceSession session, TextDetectorOptions options, string path)
    {
        _session = session;
        Options = options;
        ModelPath = path;
    }

    /// <summary>The options it was loaded with.</summary>
    public TextDetectorOptions Options { get; }

    /// <summary>The model it runs.</summary>
    public string ModelPath { get; }

    /// <summary>Loads a detection model (folder, program file or <c>.nb</c>).</summary>
    public static TextDetector Load(string modelPath, TextDetectorOptions? options = null)
    {
        options ??= new TextDetectorOptions();
        if (options.LimitSideLength <= 0) throw new OcrException($"det_limit_side_len must be positive, got {options.LimitSideLength}");
        var session = OcrModelLoader.Load(modelPath, "det_model_dir", options.Threads);
        var y = session.Outputs[0];
        if (y.Shape.Count != 4 || (y.Shape[1] != 1 && y.Shape[1] != -1))
        {
            session.Dispose();
            throw new OcrException($"{modelPath}: det_model_dir: not a DB text detector: its output {y.Name} is [{string.Join(", ", y.Shape)}], a probability map [N, 1, H, W] was expected");
        }

        return new TextDetector(session, options, modelPath);
    }

    /// <summary>Detects text regions in a BGR image (any format is converted to BGR first).</summary>
    public IReadOnlyList<TextBox> Detect(Image image, StageTimes? times = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(image);
        long t0 = System.Diagnostics.Stopwatch.GetTimestamp();
        image = image.ToBgr();
        var (input, resizedW, resizedH) = Preprocess(image, Options);
        double pre = StageTimes.Since(t0);

        long t1 = System.Diagnostics.Stopwatch.GetTimestamp();
        var output = _session.Run(new Dictionary<string, Tensor> { [_session.Inputs[0].Name] = input }, cancellationToken.CanBeCanceled ? new RunOptions { CancellationToken = cancellationToken } : null)[0];
        double model = StageTimes.Since(t1);

        long t2 = System.Diagnostics.Stopwatch.GetTimestamp();
        var shape = output.Shape;
        if (shape.Length != 4 || shape[0] != 1 || shape[1] != 1 || shape[2] <= 0 || shape[3] <= 0)
        {
            throw new OcrException($"{ModelPath}: det_model_dir: the model returned [{string.Join(", ", shape.ToArray())}] for a [1, 3, {resizedH}, {resizedW}] input, a map [1, 1, H, W] was expected");
        }

        var boxes = DbPostProcess.BoxesFromMap(output.AsSpan<float>(), shape[3], shape[2], image.Width, image.Height, Options.Db);
        var result = Filter(boxes, image.Width, image.Height);
        if (times is not null)
        {
            times.Preprocess += pre;
            times.Model += model;
            times.Postprocess += StageTimes.Since(t2);
            times.Runs++;
        }

        return result;
    }

    /// <summary>Runs the model on a prepared [1, 3, H, W] tensor and post-processes for a source of the given size (for reference tests).</summary>
    internal IReadOnlyList<TextBox> DetectPrepared(Tensor input, int sourceWidth, int sourceHeight)
    {
        var output = _session.Run(new Dictionary<string, Tensor> { [_session.Inputs[0].Name] = input })[0];
        var boxes = DbPostProcess.BoxesFromMap(output.AsSpan<float>(), output.Shape[3], output.Shape[2], sourceWidth, sourceHeight, Options.Db);
        return Filter(boxes, sourceWidth, sourceHeight);
    }

    /// <summary>The raw probability map for an image (for parity tests and tools).</summary>
    internal Tensor RunMap(Tensor input) => _session.Run(new Dictionary<string, Tensor> { [_session.Inputs[0].Name] = input })[0];

    /// <summary>DetResizeForTest (resize type 0) + NormalizeImage + ToCHWImage: the [1, 3, H, W] input.</summary>
    internal static (Tensor Input, int Width, int Height) Preprocess(Image bgr, TextDetectorOptions options)
    {
        if (bgr.Width + bgr.Height < 64) bgr = PadTo32(bgr);
        int h = bgr.Height, w = bgr.Width;
        double limit = options.LimitSideLength;
        double ratio = options.LimitType switch
        {
            DetLimitType.Max => Math.Max(h, w) > limit ? (h > w ? limit / h : limit / w) : 1.0,
            DetLimitType.Min => Math.Min(h, w) < limit ? (h < w ? limit / h : limit / w) : 1.0,
            _ => limit / Math.Max(h, w),
        };
        int rh = (int)(h * ratio), rw = (int)(w * ratio);
        if (Math.Max(rh, rw) > options.MaxSideLimit)
        {
            double r = (double)options.MaxSideLimit / Math.Max(rh, rw);
            rh = (int)(rh * r);
            rw = (int)(rw * r);
        }

        // max(int(round(x / 32) * 32), 32) with Python's round-half-even.
        rh = Math.Max((int)(Math.Round(rh / 32.0, MidpointRounding.ToEven) * 32), 32);
        rw = Math.Max((int)(Math.Round(rw / 32.0, MidpointRounding.ToEven) * 32), 32);
        Image resized = rw == w && rh == h ? bgr : Image.Resize(bgr, rw, rh, Interpolation.Linear);

        var data = new float[3 * rh * rw];
        var px = resized.Pixels;
        int plane = rh * rw;
        const float Scale = 1f / 255f;
        for (int i = 0; i < plane; i++)
        {
            for (int c = 0; c < 3; c++)
            {
                data[c * plane + i] = (px[i * 3 + c] * Scale - Mean[c]) / Std[c];
            }
        }

        return (Tensor.FromSpan<float>(data, [1, 3, rh, rw]), rw, rh);
    }

    private static Image PadTo32(Image bgr)
    {
        int w = Math.Max(32, bgr.Width), h = Math.Max(32, bgr.Height);
        var px = new byte[w * h * 3];
        for (int y = 0; y < bgr.Height; y++) bgr.Pixels.Slice(y * bgr.RowBytes, bgr.RowBytes).CopyTo(px.AsSpan(y * w * 3));
        return Image.FromPixels(px, w, h, PixelFormat.Bgr);
    }

    /// <summary><c>filter_tag_det_res</c>: order_points_clockwise, clip_det_res, drop boxes with a side of 3 pixels or less.</summary>
    internal static List<TextBox> Filter(List<(int[] Box, double Score)> boxes, int width, int height)
    {
        var result = new List<TextBox>(boxes.Count);
        foreach (var (box, score) in boxes)
        {
            float[] p = OrderClockwise(box);
            for (int i = 0; i < 4; i++)
            {
                p[2 * i] = (int)Math.Min(Math.Max(p[2 * i], 0), width - 1);
                p[2 * i + 1] = (int)Math.Min(Math.Max(p[2 * i + 1], 0), height - 1);
            }

            int rectWidth = (int)Norm(p[0] - p[2], p[1] - p[3]);
            int rectHeight = (int)Norm(p[0] - p[6], p[1] - p[7]);
            if (rectWidth <= 3 || rectHeight <= 3) continue;
            result.Add(new TextBox(p, score));
        }

        return result;
    }

    internal static float Norm(float dx, float dy) => MathF.Sqrt(dx * dx + dy * dy);

    /// <summary><c>order_points_clockwise</c>: top-left = min x+y, bottom-right = max x+y, of the other two top-right = min y−x.</summary>
    internal static float[] OrderClockwise(int[] box)
    {
        int argMin = 0, argMax = 0;
        for (int i = 1; i < 4; i++)
        {
            int s = box[2 * i] + box[2 * i + 1];
            if (s < box[2 * argMin] + box[2 * argMin + 1]) argMin = i;
            if (s > box[2 * argMax] + box[2 * argMax + 1]) argMax = i;
        }

        // np.delete(pts, (argmin, argmax)): the remaining rows in order (one row fewer when both are the same).
        Span<int> rest = stackalloc int[3];
        int n = 0;
        for (int i = 0; i < 4; i++) if (i != argMin && i != argMax) rest[n++] = i;
        int dMin = rest[0], dMax = rest[0];
        for (int k = 1; k < n; k++)
        {
            int i = rest[k];
            int d = box[2 * i + 1] - box[2 * i];
            if (d < box[2 * dMin + 1] - box[2 * dMin]) dMin = i;
            if (d > box[2 * dMax + 1] - box[2 * dMax]) dMax = i;
        }

        return [box[2 * argMin], box[2 * argMin + 1], box[2 * dMin], box[2 * dMin + 1], box[2 * argMax], box[2 * argMax + 1], box[2 * dMax], box[2 * dMax + 1]];
    }

    /// <summary>Releases the model's session.</summary>
    public void Dispose() => _session.Dispose();
}
