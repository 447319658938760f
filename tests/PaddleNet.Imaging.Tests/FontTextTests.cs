namespace PaddleNet.Imaging.Tests;

/// <summary>
/// <see cref="Canvas.DrawTextWithFont"/>: CJK text through FreeType with Debian's fonts-droid-fallback (a test package
/// of scripts/lib.sh). The Linux shim is built with FreeType; the MinGW one (Wine runs) is not and must say so.
/// </summary>
public sealed class FontTextTests
{
    private const string CjkFont = "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf";

    private static Canvas White() => new(Image.FromPixels(Enumerable.Repeat((byte)255, 40 * 80 * 3).ToArray(), 80, 40, PixelFormat.Bgr));

    [Fact]
    public void CjkText_InksTheLineOnly_AndDifferentCharactersDiffer()
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.False(Canvas.FontsSupported);
            var e = Assert.Throws<PaddleNetImagingException>(() => White().DrawTextWithFont("纯臻", [CjkFont], 2, 2, 32, new Color(0, 0, 0)));
            Assert.Contains("FreeType", e.Message);
            return;
        }

        Assert.True(Canvas.FontsSupported);
        Assert.True(File.Exists(CjkFont), $"{CjkFont} missing: install fonts-droid-fallback");
        var a = White();
        var b = White();

        int advance = a.DrawTextWithFont("纯臻", [CjkFont], 2, 4, 32, new Color(0, 0, 0));
        b.DrawTextWithFont("营养", [CjkFont], 2, 4, 32, new Color(0, 0, 0));

        // Two full-width glyphs at 32 px advance about 64 px; ink only inside the line's box (x ≥ 2, y ≥ 4, below 4 + 32 + margin).
        Assert.InRange(advance, 56, 72);
        var pa = a.ToImage().Pixels.ToArray();
        var pb = b.ToImage().Pixels.ToArray();
        int ink = 0, outside = 0, differ = 0;
        for (int y = 0; y < 40; y++)
        {
            for (int x = 0; x < 80; x++)
            {
                int i = (y * 80 + x) * 3;
                if (pa[i] < 128)
                {
                    ink++;
                    if (x < 2 || y < 4 || x >= 2 + advance + 2) outside++;
                }

                if (pa[i] != pb[i]) differ++;
            }
        }

        Assert.InRange(ink, 100, 1500);
        Assert.Equal(0, outside);
        Assert.True(differ > 100, $"only {differ} pixels differ between two different strings");
    }

    [Fact]
    public void MissingFont_IsNamed()
    {
        var e = Assert.Throws<PaddleNetImagingException>(() => White().DrawTextWithFont("x", [CjkFont, "/nowhere/font.ttf"], 0, 0, 12, new Color(0, 0, 0)));
        Assert.Contains(OperatingSystem.IsWindows() ? "FreeType" : "/nowhere/font.ttf", e.Message);
    }
}
