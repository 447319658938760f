using PaddleNet.Imaging;

namespace PaddleNet.Ocr;

/// <summary>
/// The picture <c>predict_system.py</c> saves (<c>draw_ocr_box_txt</c>): on the left the photo with each box filled in
/// its own colour at half opacity, on the right a white panel of the same size with each box outlined in that colour
/// and its text written inside. OpenCV's Hershey font has Latin glyphs only: a line with other characters is
/// labelled with its number in the output list (the text itself is in system_results.txt and on stdout).
/// </summary>
public static class OcrVisualizer
{
    /// <summary>The picture above for <paramref name="result"/> on <paramref name="image"/>: a new image, photo left, text panel right.</summary>
    public static Image Draw(Image image, OcrResult result)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(result);
        var bgr = image.ToBgr();
        int w = bgr.Width, h = bgr.Height;
        var fill = new Canvas(bgr);
        var panel = new Canvas(Image.FromPixels(Enumerable.Repeat((byte)255, w * h * 3).ToArray(), w, h, PixelFormat.Bgr));
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
