namespace PaddleNet.Imaging.Tests;

/// <summary><see cref="Geometry"/>, <see cref="Image.WarpPerspective"/>, <see cref="Image.Rotate"/> and
/// <see cref="Canvas.DrawPolygon"/> on inputs whose answers are known by hand.</summary>
public sealed class GeometryTests
{
    [Fact]
    public void FindContours_FilledRectangle_OneContourOfItsCorners_AndMinAreaRectFitsIt()
    {
        const int W = 30, H = 20;
        var mask = new byte[W * H];
        for (int y = 3; y <= 8; y++) for (int x = 5; x <= 14; x++) mask[y * W + x] = 255;

        var contours = Geometry.FindContours(mask, W, H);

        var contour = Assert.Single(contours);
        var corners = Pairs(contour).ToHashSet();
        Assert.Equal(new HashSet<(int, int)> { (5, 3), (14, 3), (14, 8), (5, 8) }, corners);
        var rect = Geometry.MinAreaRect(contour);
        Assert.Equal((9.5f, 5.5f), (rect.CenterX, rect.CenterY));
        Assert.Equal((5f, 9f), (Math.Min(rect.Width, rect.Height), Math.Max(rect.Width, rect.Height)));
        Span<float> box = stackalloc float[8];
        Geometry.BoxPoints(rect, box);
        var boxCorners = new HashSet<(int, int)>();
        for (int i = 0; i < 4; i++) boxCorners.Add(((int)MathF.Round(box[2 * i]), (int)MathF.Round(box[2 * i + 1])));
        Assert.Equal(corners, boxCorners);
    }

    [Fact]
    public void FindContours_EmptyMask_None() => Assert.Empty(Geometry.FindContours(new byte[12], 4, 3));

    [Fact]
    public void PolygonMean_MapOfColumnIndex_AveragesTheColumnsCovered()
    {
        var map = new float[100];
        for (int i = 0; i < 100; i++) map[i] = i % 10;

        Assert.Equal(4.5, Geometry.PolygonMean(map, 10, 10, 0, 0, 9, 9, [0, 0, 9, 0, 9, 9, 0, 9]), 9);
        Assert.Equal(3.5, Geometry.PolygonMean(map, 10, 10, 2, 0, 5, 3, [0, 0, 3, 0, 3, 3, 0, 3]), 9);
        Assert.Throws<PaddleNetImagingException>(() => Geometry.PolygonMean(map, 10, 10, 2, 0, 10, 3, [0, 0, 1, 1]));
    }

    [Fact]
    public void PerspectiveTransform_DoublingAxes_IsDiagonal_AndIdentityWarpCopies()
    {
        var m = Geometry.GetPerspectiveTransform([0, 0, 10, 0, 10, 5, 0, 5], [0, 0, 20, 0, 20, 10, 0, 10]);
        double[] expected = [2, 0, 0, 0, 2, 0, 0, 0, 1];
        for (int i = 0; i < 9; i++) Assert.Equal(expected[i], m[i], 9);

        var pixels = Enumerable.Range(0, 6 * 5 * 3).Select(i => (byte)(i * 7)).ToArray();
        var image = Image.FromPixels(pixels, 5, 6, PixelFormat.Bgr);
        var warped = image.WarpPerspective([1, 0, 0, 0, 1, 0, 0, 0, 1], 5, 6, Interpolation.Cubic, BorderMode.Replicate);
        Assert.Equal(pixels, warped.Pixels.ToArray());
    }

    [Fact]
    public void Rotate_QuarterAndHalfTurns_AsNumpyRot90AndCv2Rotate180()
    {
        var image = Image.FromPixels([1, 2, 3, 4, 5, 6], 3, 2, PixelFormat.Gray);

        var ccw = image.Rotate(Rotation.CounterClockwise90);
        var half = image.Rotate(Rotation.Rotate180);

        Assert.Equal((2, 3), (ccw.Width, ccw.Height));
        Assert.Equal(new byte[] { 3, 6, 2, 5, 1, 4 }, ccw.Pixels.ToArray());
        Assert.Equal(new byte[] { 6, 5, 4, 3, 2, 1 }, half.Pixels.ToArray());
    }

    [Fact]
    public void DrawPolygon_FilledTriangle_CoversItsInsideOnly()
    {
        var canvas = new Canvas(Image.FromPixels(new byte[10 * 10 * 3], 10, 10, PixelFormat.Bgr));

        canvas.DrawPolygon([1, 1, 8, 1, 1, 8], new Color(0, 255, 0), -1);

        var px = canvas.ToImage().Pixels;
        Assert.Equal(255, px[(2 * 10 + 2) * 3 + 1]);
        Assert.Equal(0, px[(7 * 10 + 7) * 3 + 1]);
    }

    private static IEnumerable<(int, int)> Pairs(int[] xy)
    {
        for (int i = 0; i < xy.Length; i += 2) yield return (xy[i], xy[i + 1]);
    }
}
