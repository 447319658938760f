namespace PaddleNet.Ocr.Tests;

/// <summary><see cref="VattiOffset"/> against pyclipper 1.2.1 (Clipper 6.4) with JT_ROUND / ET_CLOSEDPOLYGON (see oracle/README.md).</summary>
public sealed class VattiOffsetTests
{
    public static TheoryData<long[], double, int[]> Cases => new()
    {
        // The 39 x 19 box of DbPostProcessTests' rectangle, unclip distance 741 * 1.5 / 116.
        { [20, 10, 59, 10, 59, 29, 20, 29], 741 * 1.5 / 116,
          [63, 1, 67, 4, 69, 10, 69, 29, 68, 33, 65, 37, 59, 39, 20, 39, 16, 38, 12, 35, 10, 29, 10, 10, 11, 6, 14, 2, 20, 0, 59, 0] },
        // A rotated quadrilateral given clockwise (Clipper reverses it).
        { [2, 40, 80, 10, 90, 30, 30, 60], 7.3,
          [85, 4, 87, 7, 97, 27, 97, 30, 96, 34, 93, 37, 33, 67, 30, 67, 26, 66, -2, 46, -5, 43, -5, 39, -4, 36, -1, 33, 77, 3, 81, 3] },
        // A 3-pixel square: few arc steps.
        { [0, 0, 3, 0, 3, 3, 0, 3], 0.9, [4, 0, 4, 3, 3, 4, 0, 4, -1, 3, -1, 0, 0, -1, 3, -1] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void OffsetRound_MatchesPyclipperVertexSet(long[] path, double delta, int[] expected)
    {
        int[] got = VattiOffset.OffsetRound(path, delta);

        // Clipper's final union may start the ring elsewhere; the vertex set is what minAreaRect sees.
        Assert.Equal(Set(expected), Set(got));
    }

    [Fact]
    public void OffsetRound_FewerThanThreeDistinctPoints_NoPolygon()
    {
        Assert.Empty(VattiOffset.OffsetRound([5, 5, 5, 5, 6, 6, 5, 5], 2.0));
    }

    private static HashSet<(int, int)> Set(int[] xy)
    {
        var s = new HashSet<(int, int)>();
        for (int i = 0; i < xy.Length; i += 2) s.Add((xy[i], xy[i + 1]));
        return s;
    }
}
