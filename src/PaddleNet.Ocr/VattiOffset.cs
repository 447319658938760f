namespace PaddleNet.Ocr;

/// <summary>
/// The outward offset of a closed polygon with round joins, as PaddleOCR gets it from pyclipper
/// (<c>PyclipperOffset().AddPath(box, JT_ROUND, ET_CLOSEDPOLYGON).Execute(distance)</c>, i.e. Clipper 6.4's
/// <c>ClipperOffset</c> with MiterLimit 2 and ArcTolerance 0.25): integer input (pyclipper truncates the float
/// points), the same arc step count, the same rotation recurrence and the same rounding of every output vertex.
/// </summary>
/// <remarks>
/// Clipper finishes with a union that only cleans the polygon (same vertices for the simple polygons a convex
/// box offsets to); the DB flow takes the minimum-area rectangle of the result, which depends on the vertex set
/// alone, so the union is not repeated here.
/// </remarks>
internal static class VattiOffset
{
    private const double ArcTolerance = 0.25;

    /// <summary>Offsets the integer polygon <paramref name="xy"/> (x, y pairs) by <paramref name="delta"/> &gt; 0; returns x, y pairs (empty when Clipper drops the path).</summary>
    public static int[] OffsetRound(ReadOnlySpan<long> xy, double delta)
    {
        // AddPath: drop a closing duplicate and consecutive duplicates; fewer than 3 points is no polygon.
        int n = xy.Length / 2;
        var pts = new List<(long X, long Y)>(n);
        int high = n - 1;
        while (high > 0 && xy[0] == xy[2 * high] && xy[1] == xy[2 * high + 1]) high--;
        if (n == 0) return [];
        pts.Add((xy[0], xy[1]));
        for (int i = 1; i <= high; i++)
        {
            var p = (xy[2 * i], xy[2 * i + 1]);
            if (pts[^1] != p) pts.Add(p);
        }

        if (pts.Count < 3 || !(delta > 0)) return [];

        // FixOrientations: Clipper wants the path positive (Area >= 0 in its y-down sense).
        if (Area(pts) < 0) pts.Reverse();

        int len = pts.Count;
        double y = ArcTolerance > delta * ArcTolerance ? delta * ArcTolerance : ArcTolerance;
        double steps = Math.PI / Math.Acos(1 - y / delta);
        if (steps > delta * Math.PI) steps = delta * Math.PI;
        double sin = Math.Sin(2 * Math.PI / steps);
        double cos = Math.Cos(2 * Math.PI / steps);
        double stepsPerRad = steps / (2 * Math.PI);

        var normals = new (double X, double Y)[len];
        for (int j = 0; j < len; j++) normals[j] = UnitNormal(pts[j], pts[(j + 1) % len]);

        var dest = new List<int>(len * 16);
        int k = len - 1;
        for (int j = 0; j < len; j++)
        {
            double sinA = normals[k].X * normals[j].Y - normals[j].X * normals[k].Y;
            if (Math.Abs(sinA * delta) < 1.0)
            {
                double cosA = normals[k].X * normals[j].X + normals[j].Y * normals[k].Y;
                if (cosA > 0)
                {
                    Add(dest, pts[j].X + normals[k].X * delta, pts[j].Y + normals[k].Y * delta);
                    continue; // Clipper returns before k = j here
                }
            }
            else if (sinA > 1.0) sinA = 1.0;
            else if (sinA < -1.0) sinA = -1.0;

            if (sinA * delta < 0)
            {
                Add(dest, pts[j].X + normals[k].X * delta, pts[j].Y + normals[k].Y * delta);
                dest.Add(checked((int)pts[j].X));
                dest.Add(checked((int)pts[j].Y));
                Add(dest, pts[j].X + normals[j].X * delta, pts[j].Y + normals[j].Y * delta);
            }
            else
            {
                // DoRound
                double a = Math.Atan2(sinA, normals[k].X * normals[j].X + normals[k].Y * normals[j].Y);
                int count = Math.Max((int)Round(stepsPerRad * Math.Abs(a)), 1);
                double x = normals[k].X, yy = normals[k].Y;
                for (int i = 0; i < count; i++)
                {
                    Add(dest, pts[j].X + x * delta, pts[j].Y + yy * delta);
                    double x2 = x;
                    x = x * cos - sin * yy;
                    yy = x2 * sin + yy * cos;
                }

                Add(dest, pts[j].X + normals[j].X * delta, pts[j].Y + normals[j].Y * delta);
            }

            k = j;
        }

        return dest.ToArray();
    }

    /// <summary>Clipper's <c>Area</c> (positive for its "orientation true").</summary>
    private static double Area(List<(long X, long Y)> poly)
    {
        double a = 0;
        for (int i = 0, j = poly.Count - 1; i < poly.Count; j = i++)
        {
            a += ((double)poly[j].X + poly[i].X) * ((double)poly[j].Y - poly[i].Y);
        }

        return -a * 0.5;
    }

    private static (double X, double Y) UnitNormal((long X, long Y) p1, (long X, long Y) p2)
    {
        if (p2.X == p1.X && p2.Y == p1.Y) return (0, 0);
        double dx = p2.X - p1.X, dy = p2.Y - p1.Y;
        double f = 1.0 / Math.Sqrt(dx * dx + dy * dy);
        dx *= f;
        dy *= f;
        return (dy, -dx);
    }

    // Clipper's Round: half away from zero, then truncation to cInt.
    private static long Round(double v) => v < 0 ? (long)(v - 0.5) : (long)(v + 0.5);

    private static void Add(List<int> dest, double x, double y)
    {
        dest.Add(checked((int)Round(x)));
        dest.Add(checked((int)Round(y)));
    }
}
