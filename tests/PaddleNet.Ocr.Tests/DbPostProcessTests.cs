using PaddleNet.Imaging;

namespace PaddleNet.Ocr.Tests;

/// <summary>
/// <see cref="DbPostProcess"/> on hand-built probability maps and on the PP-OCRv4 detector's reference map. Expected
/// boxes and scores come from oracle/db_oracle.py (PaddleOCR's rules over the real cv2, pyclipper and shapely); the
/// simple rectangle is also checked by hand in the comment.
/// </summary>
public sealed class DbPostProcessTests
{
    private static readonly DbOptions Defaults = new();

    [Fact]
    public void Rectangle_UnclipsByAreaTimesRatioOverPerimeter()
    {
        // Region x 20..59, y 10..29 at 0.9: contour corners give a 39 x 19 box, score 0.9; unclip distance
        // 741 * 1.5 / 116 = 9.58 grows it to x 10..69, y 0..39 (20 - 9.58 and 59 + 9.58 rounded).
        var map = Map(100, 60, (x, y) => x is >= 20 and < 60 && y is >= 10 and < 30 ? 0.9f : 0f);

        var boxes = DbPostProcess.BoxesFromMap(map, 100, 60, 100, 60, Defaults);

        var (box, score) = Assert.Single(boxes);
        Assert.Equal([10, 0, 69, 0, 69, 39, 10, 39], box);
        Assert.Equal(0.9, score, 6);
    }

    [Fact]
    public void Rectangle_ScaledToATwiceLargerSource()
    {
        var map = Map(100, 60, (x, y) => x is >= 20 and < 60 && y is >= 10 and < 30 ? 0.9f : 0f);

        var (box, _) = Assert.Single(DbPostProcess.BoxesFromMap(map, 100, 60, 200, 120, Defaults));

        Assert.Equal([20, 0, 138, 0, 138, 78, 20, 78], box);
    }

    [Fact]
    public void RegionTouchingTheBorder_ClippedToTheImage()
    {
        var map = Map(100, 60, (x, y) => x < 30 && y < 10 ? 0.8f : 0f);

        var (box, score) = Assert.Single(DbPostProcess.BoxesFromMap(map, 100, 60, 100, 60, Defaults));

        Assert.Equal([0, 0, 34, 0, 34, 14, 0, 14], box);
        Assert.Equal(0.8, score, 6);
    }

    [Fact]
    public void RotatedRegion_RotatedBox()
    {
        // cv2.fillPoly of (20,40) (80,10) (90,30) (30,60) with 0.95 on a 120 x 80 map, drawn by the same OpenCV call.
        var gray = new Canvas(Image.FromPixels(new byte[120 * 80], 120, 80, PixelFormat.Gray));
        gray.DrawPolygon([20, 40, 80, 10, 90, 30, 30, 60], new Color(255, 255, 255), -1);
        var px = gray.ToImage().Pixels;
        var map = new float[120 * 80];
        for (int i = 0; i < map.Length; i++) map[i] = px[i] == 255 ? 0.95f : 0f;

        var (box, score) = Assert.Single(DbPostProcess.BoxesFromMap(map, 120, 80, 120, 80, Defaults));

        Assert.Equal([2, 34, 86, 0, 107, 36, 23, 77], box);
        Assert.Equal(0.919757, score, 6);
    }

    [Fact]
    public void EmptyMap_NoBoxes() => Assert.Empty(DbPostProcess.BoxesFromMap(new float[32 * 32], 32, 32, 32, 32, Defaults));

    [Fact]
    public void RegionScoringUnderBoxThreshold_Dropped()
    {
        var map = Map(100, 60, (x, y) => x is >= 20 and < 60 && y is >= 10 and < 30 ? 0.5f : 0f);

        Assert.Empty(DbPostProcess.BoxesFromMap(map, 100, 60, 100, 60, Defaults));
    }

    [Fact]
    public void RegionThinnerThanMinSize_Dropped()
    {
        var map = Map(100, 60, (x, y) => x is >= 20 and < 60 && y is >= 10 and < 12 ? 0.9f : 0f);

        Assert.Empty(DbPostProcess.BoxesFromMap(map, 100, 60, 100, 60, Defaults));
    }

    [Fact]
    public void V4ReferenceMapOfScene11_TheOracleBoxesAndScores()
    {
        var npy = Npy.Read(SharedData.PathOf("models/det/ch_PP-OCRv4_det/reference/ocr_scene_11.out.0.npy"));
        int[][] expected =
        [
            [27, 458, 137, 458, 137, 479, 27, 479], [28, 429, 370, 429, 370, 445, 28, 445], [26, 397, 360, 397, 360, 414, 26, 414],
            [368, 368, 477, 368, 477, 389, 368, 389], [26, 364, 281, 364, 281, 384, 26, 384], [26, 335, 344, 335, 344, 352, 26, 352],
            [26, 303, 251, 303, 251, 319, 26, 319], [24, 271, 180, 271, 180, 290, 24, 290], [25, 239, 241, 239, 241, 259, 25, 259],
            [413, 232, 430, 232, 430, 306, 413, 306], [26, 210, 234, 210, 234, 227, 26, 227], [26, 179, 300, 179, 300, 195, 26, 195],
            [25, 143, 281, 143, 281, 165, 25, 165], [27, 112, 331, 112, 331, 135, 27, 135], [26, 83, 173, 83, 173, 104, 26, 104],
            [28, 37, 302, 39, 302, 72, 27, 70],
        ];
        double[] scores = [0.877512, 0.985416, 0.953361, 0.891685, 0.857956, 0.970917, 0.872449, 0.915533, 0.882318, 0.927616, 0.995659, 0.986644, 0.815203, 0.848407, 0.893274, 0.914083];

        var boxes = DbPostProcess.BoxesFromMap(npy.ToFloat32(), 512, 512, 500, 500, Defaults);

        Assert.Equal(expected.Length, boxes.Count);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], boxes[i].Box);
            Assert.Equal(scores[i], boxes[i].Score, 5);
        }
    }

    private static float[] Map(int w, int h, Func<int, int, float> f)
    {
        var m = new float[w * h];
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) m[y * w + x] = f(x, y);
        return m;
    }
}
