using PaddleNet.Imaging;

namespace PaddleNet.Ocr;

/// <summary>
/// The picture <c>predict_system.py</c> saves (<c>draw_ocr_box_txt</c>): on the left the photo with each box filled in
/// its own colour at half opacity, on the right a white panel of the same size with each box outlined in that colour
/// and its text written inside. With a font file (<c>--vis_font_path</c>, PaddleOCR's simfang.ttf or any CJK-capable
/// TrueType/OpenType font) and a shim built with FreeType (<see cref="Canvas.FontsSupported"/>), the text is drawn as
/// PaddleOCR draws it: at the box's first corner, max(0.8 × box height, 10) pixels high. Otherwise OpenCV's Hershey
/// font, which has Latin glyphs only: a line with other characters is then labelled with its number in the output
/// list (the text itself is in system_results.txt and on stdout).
/// </summary>
public static class OcrVisualizer
{
    /// <summary>The result picture; <paramref name="fonts"/> null or empty (or a shim without FreeType) draws with the Hershey font.</summary>
    public static Image Draw(Image image, OcrResult result, IReadOnlyList<string>? fonts = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(result);
        var bgr = image.ToBgr();
        int w = bgr.Width, h = bgr.Height;
        var fill = new Canvas(bgr);
        var panel = new Canvas(Image.FromPixels(Enumerable.Repeat((byte)255, w * h * 3).ToArray(), w, h, PixelFormat.Bgr));
        bool font = fonts is { Count: > 0 } && Canvas.FontsSupported;
        var rng = new Random(0);
        int number = 0;
        foreach (var line in result.Lines)
        {
            number++;
            if (line.Box is null) continue;
            var color = new Color((byte)rng.Next(0, 256), (byte)rng.Next(0, 256), (byte)rng.Next(0, 256));
            var pts = new int[8];
            for (int i = 0; i < 8; i++) pts[i] = (int)line.Box[i];
            fill.DrawPolygon(pts, color, -1);
            panel.DrawPolygon(pts, color, 1);
            if (font && line.Text is { } text)
            {
                int boxHeight = (int)TextDetector.Norm(line.Box[0] - line.Box[6], line.Box[1] - line.Box[7]);
                int boxWidth = (int)TextDetector.Norm(line.Box[0] - line.Box[2], line.Box[1] - line.Box[3]);
                if (boxHeight > 2 * boxWidth)
                {
                    // A vertical line: one character under the other, 0.9 × the box width high (draw_ocr_box_txt).
                    int size = Math.Max((int)(boxWidth * 0.9), 10), y = pts[1];
                    foreach (var rune in text.EnumerateRunes())
                    {
                        panel.DrawTextWithFont(rune.ToString(), fonts!, pts[0] + 3, y, size, new Color(0, 0, 0));
                        y += size;
                    }
                }
                else
                {
                    panel.DrawTextWithFont(text, fonts!, pts[0] + 3, pts[1], Math.Max((int)(boxHeight * 0.8), 10), new Color(0, 0, 0));
                }

                continue;
            }

            string label = line.Text is { } t && t.All(c => c is >= ' ' and <= '~') ? t : $"#{number}";
            if (line.Text is null) label = $"#{number} {line.Score:F2}";
            float boxH = Math.Min(
                TextDetector.Norm(line.Box[0] - line.Box[6], line.Box[1] - line.Box[7]),
                TextDetector.Norm(line.Box[0] - line.Box[2], line.Box[1] - line.Box[3]));
            double scale = Math.Clamp(boxH * 0.8 / 22.0, 0.3, 2.0);
            panel.DrawText(label, pts[0] + 3, (int)(line.Box[1] + boxH * 0.8), scale, new Color(0, 0, 0));
        }

        // Image.blend(image, img_left, 0.5)
        var left = fill.ToImage().Pixels;
        var src = bgr.Pixels;
        var right = panel.ToImage().Pixels;
        var outPx = new byte[w * 2 * h * 3];
        for (int y = 0; y < h; y++)
        {
            for (int x = 0; x < w * 3; x++)
            {
                int i = y * w * 3 + x;
                outPx[y * w * 6 + x] = (byte)((src[i] + left[i] + 1) / 2);
            }

            right.Slice(y * w * 3, w * 3).CopyTo(outPx.AsSpan(y * w * 6 + w * 3));
        }

        return Image.FromPixels(outPx, w * 2, h, PixelFormat.Bgr);
    }
}
