namespace PaddleNet.Pipeline.Postprocess;

/// <summary>
/// <c>probs.argsort()[::-1]</c>: indices by descending score. numpy's argsort is not stable in general; for the
/// small arrays it sorts by insertion (stable), so after the reversal equal scores come highest index first. We use
/// that rule always, so ties are deterministic. NaN sorts as the largest value, as in numpy.
/// </summary>
internal static class TopOrder
{
    /// <summary>The first <paramref name="count"/> indices of that order (all of them when count ≥ length).</summary>
    public static int[] Descending(ReadOnlySpan<float> scores, int count)
    {
        count = Math.Clamp(count, 0, scores.Length);
        return count <= 64 && count < scores.Length ? Select(scores, count) : SortAll(scores, count);
    }

    // (score, id) descending: a higher score first, a tie goes to the higher id, NaN counts as the largest.
    private static bool Before(double keyA, int a, double keyB, int b) => keyA > keyB || (keyA == keyB && a > b);

    // The best `count` ids by insertion into a short sorted list: O(n·k) worst case, ~O(n) on real score rows.
    private static int[] Select(ReadOnlySpan<float> scores, int count)
    {
        var ids = new int[count];
        var keys = new double[count];
        int filled = 0;
        for (int i = 0; i < scores.Length && count > 0; i++)
        {
            double key = Key(scores[i]);
            if (filled == count && !Before(key, i, keys[count - 1], ids[count - 1])) continue;
            int at = filled < count ? filled++ : count - 1;
            while (at > 0 && Before(key, i, keys[at - 1], ids[at - 1]))
            {
                keys[at] = keys[at - 1];
                ids[at] = ids[at - 1];
                at--;
            }
            keys[at] = key;
            ids[at] = i;
        }
        return ids;
    }

    private static int[] SortAll(ReadOnlySpan<float> scores, int count)
    {
        var order = new int[scores.Length];
        for (int i = 0; i < order.Length; i++) order[i] = i;
        var values = scores.ToArray();
        Array.Sort(order, (a, b) =>
        {
            int byValue = Key(values[b]).CompareTo(Key(values[a]));
            return byValue != 0 ? byValue : b.CompareTo(a);
        });
        return count >= order.Length ? order : order[..count];
    }

    private static double Key(float v) => float.IsNaN(v) ? double.PositiveInfinity : v;
}
