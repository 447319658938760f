namespace PaddleNet.Tests.Support;

/// <summary>
/// NMS outputs compared as sets: rows [label, score, x1, y1, x2, y2] must pair up one to one with
/// equal labels, scores within tolerance and IoU ≥ <see cref="Tolerances.NmsMinIoU"/>; the order
/// of equal-score boxes is not part of Paddle's contract. Index and count outputs: same multiset.
/// </summary>
internal static class BoxSetAssert
{
    public static void Equivalent(Tensor expected, Tensor actual, int outputIndex, double abs, double rel, string what)
    {
        Assert.True(expected.Shape.SequenceEqual(actual.Shape), $"{what}: shape [{string.Join(", ", actual.Shape.ToArray())}], expected [{string.Join(", ", expected.Shape.ToArray())}]");
        var e = TensorAssert.ToDoubles(expected);
        var a = TensorAssert.ToDoubles(actual);
        bool boxes = expected.Shape.Length == 2 && expected.Shape[1] == 6 && expected.DataType == DataType.Float32;
        if (!boxes)
        {
            Assert.Equal(e.Order(), a.Order());
            return;
        }
        int n = expected.Shape[0];
        var used = new bool[n];
        for (int i = 0; i < n; i++)
        {
            int match = -1;
            for (int j = 0; j < n && match < 0; j++)
            {
                if (used[j] || e[i * 6] != a[j * 6]) continue;
                if (Math.Abs(e[i * 6 + 1] - a[j * 6 + 1]) > abs + rel * Math.Abs(e[i * 6 + 1])) continue;
                if (IoU(e.AsSpan(i * 6 + 2, 4), a.AsSpan(j * 6 + 2, 4)) < Tolerances.NmsMinIoU) continue;
                match = j;
            }
            Assert.True(match >= 0, $"{what}: expected box {i} [{string.Join(", ", e.Skip(i * 6).Take(6))}] has no match");
            used[match] = true;
        }
    }

    private static double IoU(ReadOnlySpan<double> p, ReadOnlySpan<double> q)
    {
        double iw = Math.Min(p[2], q[2]) - Math.Max(p[0], q[0]);
        double ih = Math.Min(p[3], q[3]) - Math.Max(p[1], q[1]);
        if (p.SequenceEqual(q)) return 1;
        if (iw <= 0 || ih <= 0) return 0;
        double inter = iw * ih;
        double union = (p[2] - p[0]) * (p[3] - p[1]) + (q[2] - q[0]) * (q[3] - q[1]) - inter;
        return union <= 0 ? 0 : inter / union;
    }
}
