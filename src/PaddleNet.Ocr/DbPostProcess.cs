using PaddleNet.Imaging;

namespace PaddleNet.Ocr;

/// <summary>How DB post-processing scores a candidate box (PaddleOCR's <c>det_db_score_mode</c>).</summary>
public enum DbScoreMode
{
    /// <summary>Mean of the map inside the candidate's minimum-area rectangle (PaddleOCR's default).</summary>
    Fast,

    /// <summary>Mean of the map inside the contour itself.</summary>
    Slow,
}

/// <summary>DB post-processing parameters (PaddleOCR's <c>DBPostProcess</c> as <c>predict_det.py</c> builds it).</summary>
public sealed record DbOptions
{
    /// <summary><c>det_db_thresh</c>: map values above it are text.</summary>
    public float Threshold { get; init; } = 0.3f;

    /// <summary><c>det_db_box_thresh</c>: candidates scoring below it are dropped.</summary>
    public double BoxThreshold { get; init; } = 0.6;

    /// <summary><c>det_db_unclip_ratio</c>: how far the shrunk text region is grown back (area × ratio / perimeter).</summary>
    public double UnclipRatio { get; init; } = 1.5;

    /// <summary><c>max_candidates</c>: contours considered, in OpenCV's order.</summary>
    public int MaxCandidates { get; init; } = 1000;

    /// <summary><c>use_dilation</c>: dilate the binary map with a 2×2 kernel first.</summary>
    public bool UseDilation { get; init; }

    /// <summary><c>det_db_score_mode</c>.</summary>
    public DbScoreMode ScoreMode { get; init; } = DbScoreMode.Fast;
}

/// <summary>
/// PaddleOCR's <c>DBPostProcess.boxes_from_bitmap</c> (box_type quad) step for step: binarise, <c>findContours</c>
/// (RETR_LIST, CHAIN_APPROX_SIMPLE), <c>get_mini_boxes</c>, score (fast or slow), unclip (Clipper round offset),
/// <c>get_mini_boxes</c> again, scale to the source image and clip. Float32 arithmetic where numpy does it in float32.
/// </summary>
public static class DbPostProcess
{
    private const int MinSize = 3;

    /// <summary>
    /// Boxes (4 corners, x, y pairs as int16 values in source pixels) and scores from one probability map of
    /// <paramref name="width"/> × <paramref name="height"/>, for a source image of <paramref name="destWidth"/> × <paramref name="destHeight"/>.
    /// </summary>
    public static List<(int[] Box, double Score)> BoxesFromMap(ReadOnlySpan<float> map, int width, int height, int destWidth, int destHeight, DbOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (map.Length != (long)width * height) throw new ArgumentException($"A {width}x{height} map needs {width * height} values, got {map.Length}.", nameof(map));
        var mask = new byte[map.Length];
        for (int i = 0; i < map.Length; i++) mask[i] = map[i] > options.Threshold ? (byte)255 : (byte)0;
        if (options.UseDilation) mask = Dilate2x2(mask, width, height);

        var contours = Geometry.FindContours(mask, width, height);
        int count = Math.Min(contours.Count, options.MaxCandidates);
        var result = new List<(int[], double)>();
        Span<float> points = stackalloc float[8];
        Span<float> box = stackalloc float[8];
        for (int c = 0; c < count; c++)
        {
            int[] contour = contours[c];
            float sside = MiniBox(contour, points);
            if (sside < MinSize) continue;
            double score = options.ScoreMode == DbScoreMode.Fast ? ScoreFast(map, width, height, points) : ScoreSlow(map, width, height, contour);
            if (options.BoxThreshold > score) continue;

            int[] expanded = Unclip(points, options.UnclipRatio);
            if (expanded.Length == 0) continue; // pyclipper returned no polygon (degenerate box)
            sside = MiniBox(expanded, box);
            if (sside < MinSize + 2) continue;

            var scaled = new int[8];
            for (int i = 0; i < 4; i++)
            {
                // np.clip(np.round(box / width * dest_width), 0, dest_width) in float32, then astype(int16).
                float x = MathF.Round(box[2 * i] / width * destWidth, MidpointRounding.ToEven);
                float y = MathF.Round(box[2 * i + 1] / height * destHeight, MidpointRounding.ToEven);
                scaled[2 * i] = (short)Math.Clamp(x, 0f, destWidth);
                scaled[2 * i + 1] = (short)Math.Clamp(y, 0f, destHeight);
            }

            result.Add((scaled, score));
        }

        return result;
    }

    /// <summary><c>get_mini_boxes</c>: the minimum-area rectangle's corners ordered top-left, top-right, bottom-right, bottom-left; returns its shorter side.</summary>
    internal static float MiniBox(ReadOnlySpan<int> points, Span<float> box)
    {
        RotatedRect rect = Geometry.MinAreaRect(points);
        Span<float> corners = stackalloc float[8];
        Geometry.BoxPoints(rect, corners);
        // sorted(..., key=x): a stable insertion sort on x.
        Span<int> order = [0, 1, 2, 3];
        for (int i = 1; i < 4; i++)
        {
            int v = order[i];
            int j = i - 1;
            while (j >= 0 && corners[2 * order[j]] > corners[2 * v]) { order[j + 1] = order[j]; j--; }
            order[j + 1] = v;
        }

        int i1, i2, i3, i4;
        if (corners[2 * order[1] + 1] > corners[2 * order[0] + 1]) { i1 = 0; i4 = 1; } else { i1 = 1; i4 = 0; }
        if (corners[2 * order[3] + 1] > corners[2 * order[2] + 1]) { i2 = 2; i3 = 3; } else { i2 = 3; i3 = 2; }
        Span<int> pick = [i1, i2, i3, i4];
        for (int k = 0; k < 4; k++)
        {
            box[2 * k] = corners[2 * order[pick[k]]];
            box[2 * k + 1] = corners[2 * order[pick[k]] + 1];
        }

        return Math.Min(rect.Width, rect.Height);
    }

    /// <summary><c>box_score_fast</c>: mean of the map inside the box, over the box's bounding region.</summary>
    internal static double ScoreFast(ReadOnlySpan<float> map, int w, int h, ReadOnlySpan<float> box)
    {
        float minX = float.MaxValue, maxX = float.MinValue, minY = float.MaxValue, maxY = float.MinValue;
        for (int i = 0; i < 4; i++)
        {
            minX = Math.Min(minX, box[2 * i]); maxX = Math.Max(maxX, box[2 * i]);
            minY = Math.Min(minY, box[2 * i + 1]); maxY = Math.Max(maxY, box[2 * i + 1]);
        }

        int xmin = Math.Clamp((int)MathF.Floor(minX), 0, w - 1);
        int xmax = Math.Clamp((int)MathF.Ceiling(maxX), 0, w - 1);
        int ymin = Math.Clamp((int)MathF.Floor(minY), 0, h - 1);
        int ymax = Math.Clamp((int)MathF.Ceiling(maxY), 0, h - 1);
        Span<int> pts = stackalloc int[8];
        for (int i = 0; i < 4; i++)
        {
            // (box - xmin).astype(int32): float32 subtraction (exact here), truncation toward zero.
            pts[2 * i] = (int)(box[2 * i] - xmin);
            pts[2 * i + 1] = (int)(box[2 * i + 1] - ymin);
        }

        return Geometry.PolygonMean(map, w, h, xmin, ymin, xmax, ymax, pts);
    }

    /// <summary><c>box_score_slow</c>: mean of the map inside the contour.</summary>
    internal static double ScoreSlow(ReadOnlySpan<float> map, int w, int h, int[] contour)
    {
        int minX = int.MaxValue, maxX = int.MinValue, minY = int.MaxValue, maxY = int.MinValue;
        for (int i = 0; i < contour.Length; i += 2)
        {
            minX = Math.Min(minX, contour[i]); maxX = Math.Max(maxX, contour[i]);
            minY = Math.Min(minY, contour[i + 1]); maxY = Math.Max(maxY, contour[i + 1]);
        }

        int xmin = Math.Clamp(minX, 0, w - 1), xmax = Math.Clamp(maxX, 0, w - 1);
        int ymin = Math.Clamp(minY, 0, h - 1), ymax = Math.Clamp(maxY, 0, h - 1);
        var pts = new int[contour.Length];
        for (int i = 0; i < contour.Length; i += 2)
        {
            pts[i] = contour[i] - xmin;
            pts[i + 1] = contour[i + 1] - ymin;
        }

        return Geometry.PolygonMean(map, w, h, xmin, ymin, xmax, ymax, pts);
    }

    /// <summary><c>unclip</c>: offset by area × ratio / perimeter (shapely's formulas) with pyclipper's integer round offset.</summary>
    internal static int[] Unclip(ReadOnlySpan<float> box, double ratio)
    {
        // shapely (GEOS) area of the closed ring and its length, in double over the float32 corners.
        double x0 = box[0], area = 0, length = 0;
        for (int i = 1; i < 4; i++)
        {
            int prev = i - 1, next = (i + 1) % 4;
            area += (box[2 * i] - x0) * ((double)box[2 * prev + 1] - box[2 * next + 1]);
        }

        area = Math.Abs(area / 2.0);
        for (int i = 0; i < 4; i++)
        {
            int j = (i + 1) % 4;
            double dx = (double)box[2 * j] - box[2 * i], dy = (double)box[2 * j + 1] - box[2 * i + 1];
            length += Math.Sqrt(dx * dx + dy * dy);
        }

        if (!(length > 0)) return [];
        double distance = area * ratio / length;
        Span<long> ints = stackalloc long[8];
        for (int i = 0; i < 8; i++) ints[i] = (long)box[i]; // pyclipper truncates float coordinates
        return VattiOffset.OffsetRound(ints, distance);
    }

    /// <summary><c>cv2.dilate(mask, ones(2, 2))</c>: anchor (1, 1), so each pixel takes the max of itself, its left, upper and upper-left neighbours.</summary>
    private static byte[] Dilate2x2(byte[] mask, int w, int h)
    {
        var dst = new byte[mask.Length];
        for (int y = 0; y < h; y++)
        {
            for (int x = 0; x < w; x++)
            {
                byte v = mask[y * w + x];
                if (x > 0) v = Math.Max(v, mask[y * w + x - 1]);
                if (y > 0)
                {
                    v = Math.Max(v, mask[(y - 1) * w + x]);
                    if (x > 0) v = Math.Max(v, mask[(y - 1) * w + x - 1]);
                }

                dst[y * w + x] = v;
            }
        }

        return dst;
    }
}
