using PaddleNet.Imaging;

namespace PaddleNet.Detection;

/// <summary>
/// Draws detections as PaddleDetection's <c>visualize.py</c> does: a box outline <c>max(1, min(w, h) / 320)</c> pixels
/// wide in the class's colour (<c>get_color_map_list</c>), and "label score" in white on a filled tag of that colour
/// above the box's top-left corner. Drawn with OpenCV (Hershey font) rather than PIL, so the text looks different.
/// </summary>
public static class DetectionVisualizer
{
    private const double FontScale = 0.5;

    /// <summary>A copy of <paramref name="image"/> with <paramref name="result"/>'s boxes drawn on it.</summary>
    public static Image Draw(Image image, DetectionResult result)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(result);
        var canvas = new Canvas(image.Format == PixelFormat.Gray ? image.ToBgr() : image);
        int thickness = LineThickness(image.Width, image.Height);
        foreach (var obj in result.Objects)
        {
            Color color = ClassColor(obj.ClassId);
            // cv2 takes integer corners; truncation matches PIL's drawing of float coordinates closely enough.
            int x1 = (int)Math.Floor(obj.Box.X1), y1 = (int)Math.Floor(obj.Box.Y1);
            int x2 = (int)Math.Floor(obj.Box.X2), y2 = (int)Math.Floor(obj.Box.Y2);
            canvas.DrawRectangle(x1, y1, x2, y2, color, thickness);
            string text = $"{Ascii(obj.Label)} {obj.Score.ToString("F4", System.Globalization.CultureInfo.InvariantCulture)}";
            (int tw, int th, int baseline) = Canvas.MeasureText(text, FontScale);
            int top = Math.Max(0, y1 - th - baseline);
            canvas.DrawRectangle(x1 + 1, top, x1 + tw + 1, top + th + baseline, color, -1);
            canvas.DrawText(text, x1 + 1, top + th, FontScale, new Color(255, 255, 255));
        }

        return canvas.ToImage();
    }

    /// <summary><c>draw_thickness = min(im.size) // 320</c>, at least 1.</summary>
    public static int LineThickness(int width, int height) => Math.Max(1, Math.Min(width, height) / 320);

    /// <summary>PaddleDetection's <c>get_color_map_list(num_classes)[classId]</c> (RGB; the PASCAL VOC palette, which
    /// does not depend on num_classes). Class 0 is black.</summary>
    public static Color ClassColor(int classId)
    {
        if (classId < 0) return new Color(0, 0, 0);
        int r = 0, g = 0, b = 0;
        for (int lab = classId, j = 0; lab != 0; lab >>= 3, j++)
        {
            r |= ((lab >> 0) & 1) << (7 - j);
            g |= ((lab >> 1) & 1) << (7 - j);
            b |= ((lab >> 2) & 1) << (7 - j);
        }

        return new Color((byte)r, (byte)g, (byte)b);
    }

    // Hershey fonts draw ASCII only; anything else would show as '?'.
    private static string Ascii(string s) => string.Concat(s.Select(ch => ch is >= ' ' and <= '~' ? ch : '?'));
}
