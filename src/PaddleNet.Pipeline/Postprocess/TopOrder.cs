namespace PaddleNet.Pipeline.Postprocess;

/// <summary>
/// <c>probs.argsort()[::-1]</c>: indices by descending score. numpy's argsort is not stable in general; for the
/// small arrays it sorts by insertion (stable), so after the reversal equal scores come highest index first. We use
/// that rule always, so ties are deterministic. NaN sorts as the largest value, as in numpy.
/// </summary>
internal static class TopOrder
{
    public static int[] Descending(ReadOnlySpan<float> scores, int count)
    {
        var order = new int[scores.Length];
        for (int i = 0; i < order.Length; i++) order[i] = i;
        var values = scores.ToArray();
        Array.Sort(order, (a, b) =>
        {
            int byValue = Key(values[b]).CompareTo(Key(values[a]));
            return byValue != 0 ? byValue : b.CompareTo(a);
        });
        return count >= order.Length ? order : order[..Math.Max(0, count)];
    }

    private static double Key(float v) => float.IsNaN(v) ? double.PositiveInfinity : v;
}
