using PaddleNet.Imaging.Interop;

namespace PaddleNet.Imaging;

/// <summary>An RGB or BGR colour; <see cref="Canvas"/> puts its channels in the canvas's own order.</summary>
public readonly record struct Color(byte R, byte G, byte B);

/// <summary>
/// A mutable copy of an <see cref="Image"/> to draw on with OpenCV (<c>cv2.rectangle</c>, <c>cv2.putText</c>).
/// <see cref="ToImage"/> snapshots the result; the source image never changes.
/// </summary>
public sealed class Canvas
{
    private readonly byte[] _pixels;

    /// <summary>Copies <paramref name="image"/> (3- or 4-channel colour, or gray) to draw on.</summary>
    public Canvas(Image image)
    {
        ArgumentNullException.ThrowIfNull(image);
        _pixels = image.Pixels.ToArray();
        Width = image.Width;
        Height = image.Height;
        Format = image.Format;
    }

    /// <summary>Columns.</summary>
    public int Width { get; }

    /// <summary>Rows.</summary>
    public int Height { get; }

    /// <summary>Channel order of the pixels.</summary>
    public PixelFormat Format { get; }

    /// <summary>
    /// Draws the outline of the rectangle with corners (x1, y1) and (x2, y2), <paramref name="thickness"/> pixels wide,
    /// as <c>cv2.rectangle</c> with 8-connected lines; <paramref name="thickness"/> −1 fills it. Clipped to the canvas.
    /// </summary>
    public unsafe void DrawRectangle(int x1, int y1, int x2, int y2, Color color, int thickness)
    {
        Span<byte> c = stackalloc byte[4];
        int n = ColorBytes(color, c);
        NativeImaging.EnsureLoaded();
        fixed (byte* image = _pixels)
        fixed (byte* pc = c)
        {
            NativeImaging.ThrowIfFailed(
                PaddleNetNative.DrawRectangle(image, _pixels.Length, Height, Width, n, x1, y1, x2, y2, pc, n, thickness, PaddleNetNative.Line8),
                "PaddleNetNative_DrawRectangle");
        }
    }

    /// <summary>Draws ASCII <paramref name="text"/> (Hershey simplex) with its baseline's left end at (x, y), as <c>cv2.putText</c>.</summary>
    public unsafe void DrawText(string text, int x, int y, double scale, Color color, int thickness = 1)
    {
        ArgumentNullException.ThrowIfNull(text);
        Span<byte> c = stackalloc byte[4];
        int n = ColorBytes(color, c);
        NativeImaging.EnsureLoaded();
        fixed (byte* image = _pixels)
        fixed (byte* pc = c)
        {
            NativeImaging.ThrowIfFailed(
                PaddleNetNative.DrawText(image, _pixels.Length, Height, Width, n, text, x, y, PaddleNetNative.FontHersheySimplex, scale, pc, n, thickness, PaddleNetNative.Line8),
                "PaddleNetNative_DrawText");
        }
    }

    /// <summary>
    /// Whether <see cref="DrawTextWithFont"/> can draw here: the shim was built with FreeType (native Linux builds
    /// that found it; not the cross-built arm64 and Windows shims).
    /// </summary>
    public static bool FontsSupported => s_fontsSupported.Value;

    private static readonly Lazy<bool> s_fontsSupported = new(() =>
    {
        NativeImaging.EnsureLoaded();
        NativeImaging.ThrowIfFailed(PaddleNetNative.FontsSupported(out int supported), "PaddleNetNative_FontsSupported");
        return supported != 0;
    });

    /// <summary>
    /// Draws <paramref name="text"/> in any script with TrueType/OpenType font files (FreeType; each character in the
    /// first of <paramref name="fonts"/> that has it) at <paramref name="pixelHeight"/> pixels, (x, y) the top-left of
    /// the line as PIL's <c>ImageDraw.text</c>, glyph edges blended; returns the line's width in pixels. Clipped to the canvas.
    /// </summary>
    /// <exception cref="PaddleNetImagingException">A font cannot be opened (the message names it), or this shim has no FreeType (<see cref="FontsSupported"/>).</exception>
    public unsafe int DrawTextWithFont(string text, IReadOnlyList<string> fonts, int x, int y, int pixelHeight, Color color)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(fonts);
        if (fonts.Count == 0 || fonts.Any(f => string.IsNullOrEmpty(f) || f.Contains('\n', StringComparison.Ordinal)))
        {
            throw new ArgumentException("Expected one or more font file paths, none empty.", nameof(fonts));
        }

        string fontPath = string.Join('\n', fonts);
        Span<byte> c = stackalloc byte[4];
        int n = ColorBytes(color, c);
        NativeImaging.EnsureLoaded();
        int advance;
        fixed (byte* image = _pixels)
        fixed (byte* pc = c)
        {
            NativeImaging.ThrowIfFailed(
                PaddleNetNative.DrawTextFont(image, _pixels.Length, Height, Width, n, fontPath, text, x, y, pixelHeight, pc, n, out advance),
                "PaddleNetNative_DrawTextFont", fontPath: fontPath);
        }

        return advance;
    }

    /// <summary>
    /// Draws the polygon through <paramref name="points"/> (x, y pairs) as <c>cv2.polylines</c> (closed, 8-connected),
    /// or fills it as <c>cv2.fillPoly</c> when <paramref name="thickness"/> is −1. Clipped to the canvas.
    /// </summary>
    public unsafe void DrawPolygon(ReadOnlySpan<int> points, Color color, int thickness)
    {
        if (points.Length < 2 || points.Length % 2 != 0)
        {
            throw new ArgumentException($"Expected x, y pairs of at least one point, got {points.Length} values.", nameof(points));
        }

        Span<byte> c = stackalloc byte[4];
        int n = ColorBytes(color, c);
        NativeImaging.EnsureLoaded();
        fixed (byte* image = _pixels)
        fixed (byte* pc = c)
        fixed (int* p = points)
        {
            NativeImaging.ThrowIfFailed(
                PaddleNetNative.DrawPolygon(image, _pixels.Length, Height, Width, n, p, points.Length / 2, 1, pc, n, thickness, PaddleNetNative.Line8),
                "PaddleNetNative_DrawPolygon");
        }
    }

    /// <summary>Size of <paramref name="text"/> as <see cref="DrawText"/> draws it (<c>cv2.getTextSize</c>): width, height above the baseline, depth below.</summary>
    public static (int Width, int Height, int Baseline) MeasureText(string text, double scale, int thickness = 1)
    {
        ArgumentNullException.ThrowIfNull(text);
        NativeImaging.EnsureLoaded();
        NativeImaging.ThrowIfFailed(
            PaddleNetNative.GetTextSize(text, PaddleNetNative.FontHersheySimplex, scale, thickness, out int w, out int h, out int b),
            "PaddleNetNative_GetTextSize");
        return (w, h, b);
    }

    /// <summary>A snapshot of the pixels drawn so far.</summary>
    public Image ToImage() => Image.Adopt((byte[])_pixels.Clone(), Width, Height, Format);

    private int ColorBytes(Color color, Span<byte> c)
    {
        switch (Format)
        {
            case PixelFormat.Gray:
                // BT.601 luma, as cv2 would see a colour passed to a gray image only by its first value.
                c[0] = (byte)Math.Round(0.299 * color.R + 0.587 * color.G + 0.114 * color.B);
                return 1;
            case PixelFormat.Rgb or PixelFormat.Rgba:
                c[0] = color.R; c[1] = color.G; c[2] = color.B; c[3] = 255;
                return Format == PixelFormat.Rgb ? 3 : 4;
            default:
                c[0] = color.B; c[1] = color.G; c[2] = color.R; c[3] = 255;
                return Format == PixelFormat.Bgr ? 3 : 4;
        }
    }
}
