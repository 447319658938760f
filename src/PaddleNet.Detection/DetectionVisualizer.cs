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
        var bgr = image.Format == PixelFormat.Gray ? image.ToBgr() : image;
        var canvas = new Canvas(result.Objects.Any(o => !o.Mask.IsEmpty) ? DrawMasks(bgr, result) : bgr);
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

    /// <summary>
    /// visualize.py's <c>draw_mask</c>: each mask's pixels become 0.3·pixel + 0.7·colour, the colour being the class's
    /// palette colour lightened by 40% towards white (again on every further mask of that class: visualize.py
    /// lightens its shared colour list in place).
    /// </summary>
    private static Image DrawMasks(Image image, DetectionResult result)
    {
        var px = image.Pixels.ToArray();
        int ch = image.Channels;
        bool rgb = image.Format == PixelFormat.Rgb;
        var colors = new Dictionary<int, float[]>();
        foreach (var obj in result.Objects)
        {
            if (obj.Mask.IsEmpty) continue;
            if (obj.Mask.Length != image.Width * image.Height)
            {
                throw new ShapeMismatchException("detection mask", $"{image.Width * image.Height} pixels", $"{obj.Mask.Length}");
            }

            if (!colors.TryGetValue(obj.ClassId, out var c))
            {
                var cc = ClassColor(obj.ClassId);
                colors[obj.ClassId] = c = [cc.R, cc.G, cc.B];
            }

            for (int k = 0; k < 3; k++) c[k] = c[k] * (1 - 0.4f) + 0.4f * 255;
            var mask = obj.Mask.Span;
            for (int i = 0; i < mask.Length; i++)
            {
                if (mask[i] == 0) continue;
                for (int k = 0; k < 3; k++)
                {
                    int at = i * ch + (rgb ? k : 2 - k);
                    px[at] = (byte)(px[at] * (1 - 0.7f) + 0.7f * c[k]);
                }
            }
        }

        return Image.FromPixels(px, image.Width, image.Height, image.Format);
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
