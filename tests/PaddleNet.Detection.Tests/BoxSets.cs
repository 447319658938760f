namespace PaddleNet.Detection.Tests;

/// <summary>
/// NMS rows compared as sets per image (det/README.md): rows pair up by class, score and box within tolerance, nearest
/// first; ties may be ordered differently. A row whose score lies within the score tolerance of the NMS
/// score_threshold may be missing on either side.
/// </summary>
internal static class BoxSets
{
    public sealed record Tolerance(double Score, double Coordinate, double ScoreThreshold);

    public sealed record Row(int ClassId, double Score, double X1, double Y1, double X2, double Y2);

    /// <summary>Max score and coordinate differences of the matched rows; fails on any unmatched row not near the threshold.</summary>
    public static (double Score, double Coordinate) AssertEquivalent(IReadOnlyList<Row> expected, IReadOnlyList<Row> actual, Tolerance tol, string what)
    {
        var used = new bool[actual.Count];
        double maxScore = 0, maxCoord = 0;
        foreach (var e in expected)
        {
            int best = -1;
            double bestCost = double.MaxValue;
            for (int j = 0; j < actual.Count; j++)
            {
                var a = actual[j];
                if (used[j] || a.ClassId != e.ClassId) continue;
                double ds = Math.Abs(a.Score - e.Score);
                double dc = Coord(a, e);
                if (ds > tol.Score || dc > tol.Coordinate) continue;
                double cost = ds / tol.Score + dc / tol.Coordinate;
                if (cost < bestCost) (best, bestCost) = (j, cost);
            }

            if (best < 0)
            {
                Assert.True(NearThreshold(e, tol), $"{what}: expected row {e} has no match in [{string.Join("; ", actual)}]");
                continue;
            }

            used[best] = true;
            maxScore = Math.Max(maxScore, Math.Abs(actual[best].Score - e.Score));
            maxCoord = Math.Max(maxCoord, Coord(actual[best], e));
        }

        for (int j = 0; j < actual.Count; j++)
        {
            Assert.True(used[j] || NearThreshold(actual[j], tol), $"{what}: extra row {actual[j]}");
        }

        return (maxScore, maxCoord);
    }

    private static bool NearThreshold(Row r, Tolerance tol) => Math.Abs(r.Score - tol.ScoreThreshold) <= tol.Score;

    private static double Coord(Row a, Row b) =>
        Math.Max(Math.Max(Math.Abs(a.X1 - b.X1), Math.Abs(a.Y1 - b.Y1)), Math.Max(Math.Abs(a.X2 - b.X2), Math.Abs(a.Y2 - b.Y2)));

    /// <summary>Rows of image <paramref name="index"/> from a [M, 6] boxes tensor and the [N] counts tensor.</summary>
    public static List<Row> Rows(Tensor boxes, Tensor counts, int index)
    {
        ReadOnlySpan<int> n = counts.AsSpan<int>();
        int start = 0;
        for (int b = 0; b < index; b++) start += n[b];
        ReadOnlySpan<float> v = boxes.AsSpan<float>();
        var rows = new List<Row>();
        for (int r = start; r < start + n[index]; r++)
        {
            rows.Add(new Row((int)v[r * 6], v[r * 6 + 1], v[r * 6 + 2], v[r * 6 + 3], v[r * 6 + 4], v[r * 6 + 5]));
        }

        return rows;
    }

    public static List<Row> Rows(DetectionResult result) =>
        result.Objects.Select(o => new Row(o.ClassId, o.Score, o.Box.X1, o.Box.Y1, o.Box.X2, o.Box.Y2)).ToList();
}
