using PaddleNet.Kernels.Detection;

namespace PaddleNet.Tests.Kernels.Detection;

/// <summary>The NMS building blocks on boxes small enough to work out by hand.</summary>
public sealed class NmsCoreTests
{
    [Fact]
    public void IoU_OverlappingSquares_OneSeventhNormalized_TwoSeventhsUnnormalized()
    {
        float[] a = [0, 0, 2, 2], b = [1, 1, 3, 3];
        // normalized: inter 1·1, union 4 + 4 − 1
        Assert.Equal(1f / 7f, NmsCore.IoU(a, b, true), 6);
        // unnormalized: sides +1 → inter 2·2 = 4, areas 3·3 = 9 each
        Assert.Equal(4f / 14f, NmsCore.IoU(a, b, false), 6);
        Assert.Equal(NmsCore.IoU(a, b, true), NmsCore.IoU(b, a, true));
    }

    [Fact]
    public void IoU_DisjointAndTouching_ZeroExceptUnnormalizedTouch()
    {
        Assert.Equal(0f, NmsCore.IoU([0, 0, 1, 1], [2, 2, 3, 3], true));
        Assert.Equal(0f, NmsCore.IoU([0, 0, 1, 1], [2, 2, 3, 3], false));
        // touching at x = 1: zero-width intersection when normalized
        Assert.Equal(0f, NmsCore.IoU([0, 0, 1, 1], [1, 0, 2, 1], true));
        // unnormalized: inter (1−1+1)·(1−0+1) = 2, areas 2·2 = 4 each → 2/6
        Assert.Equal(1f / 3f, NmsCore.IoU([0, 0, 1, 1], [1, 0, 2, 1], false), 6);
    }

    [Fact]
    public void BoxArea_InvalidBox_Zero()
    {
        Assert.Equal(0f, NmsCore.BoxArea([2, 0, 1, 1], true));
        Assert.Equal(0f, NmsCore.BoxArea([0, 2, 1, 1], false));
        Assert.Equal(6f, NmsCore.BoxArea([0, 0, 2, 3], true));
        Assert.Equal(12f, NmsCore.BoxArea([0, 0, 2, 3], false));
    }

    [Fact]
    public void MaxScoreIndex_TiesAndTopK_StableDescendingThenCut()
    {
        float[] scores = [0.5f, 0.9f, 0.5f, 0.9f, 0.05f, 0.1f];
        var order = new int[6];
        // 0.1 is not > 0.1: strictly greater only
        int n = NmsCore.MaxScoreIndex(scores, 6, 1, 0.1f, -1, order);
        Assert.Equal([1, 3, 0, 2], order[..n]);
        n = NmsCore.MaxScoreIndex(scores, 6, 1, 0.1f, 3, order);
        Assert.Equal([1, 3, 0], order[..n]);
        n = NmsCore.MaxScoreIndex(scores, 6, 1, 0.1f, 0, order);
        Assert.Equal(0, n);
    }

    [Fact]
    public void MaxScoreIndex_Strided_ReadsEveryStrideElement()
    {
        // class column 1 of a [3, 2] score matrix
        float[] scores = [0.9f, 0.2f, 0.1f, 0.7f, 0.8f, 0.4f];
        var order = new int[3];
        int n = NmsCore.MaxScoreIndex(scores.AsSpan(1), 3, 2, 0.3f, -1, order);
        Assert.Equal([1, 2], order[..n]);
    }

    [Fact]
    public void StableSortDescending_ManyTies_KeepsInputOrderWithinTies()
    {
        var rng = new Random(42);
        float[] values = [-2.5f, -1f, -0f, 0f, 1e-30f, 0.5f, 1f, float.MaxValue, float.NegativeInfinity];
        foreach (int len in new[] { 0, 1, 2, 7, 8, 9, 17, 257 })
        {
            var keys = new float[len];
            for (int i = 0; i < len; i++) keys[i] = values[rng.Next(values.Length)];
            // a permuted index list, so "current order" is not index order
            var idx = Enumerable.Range(0, len).OrderBy(_ => rng.Next()).ToArray();
            var expected = idx.OrderByDescending(i => keys[i]).ToArray(); // LINQ OrderBy is stable; −0 == +0
            NmsCore.StableSortDescending(idx, keys);
            Assert.Equal(expected, idx);
        }
    }

    [Fact]
    public void Greedy_OverlapAboveThreshold_Suppressed()
    {
        // A and B: IoU = 90/110 ≈ 0.82 > 0.5 → B suppressed; C disjoint → kept
        float[] boxes = [0, 0, 10, 10, 1, 0, 11, 10, 20, 20, 30, 30];
        var kept = new int[3];
        int n = NmsCore.Greedy(boxes, 4, [0, 1, 2], 0.5f, 1f, true, kept);
        Assert.Equal([0, 2], kept[..n]);
        // threshold 0.9 keeps all three
        n = NmsCore.Greedy(boxes, 4, [0, 1, 2], 0.9f, 1f, true, kept);
        Assert.Equal([0, 1, 2], kept[..n]);
    }

    [Fact]
    public void Greedy_EqualToThreshold_Kept()
    {
        // IoU of [0,0,10,10] and [0,0,10,5] is exactly 0.5; keep is IoU <= threshold
        float[] boxes = [0, 0, 10, 10, 0, 0, 10, 5];
        var kept = new int[2];
        Assert.Equal(2, NmsCore.Greedy(boxes, 4, [0, 1], 0.5f, 1f, true, kept));
    }

    [Fact]
    public void Greedy_Eta_ShrinksThresholdAfterEachKeepWhileAboveHalf()
    {
        // B overlaps A with IoU 0.6: kept at threshold 0.8 without eta; with eta 0.5 the threshold is
        // 0.8·0.5 = 0.4 once A is kept, so B is suppressed.
        float[] boxes = [0, 0, 10, 10, 0, 0, 10, 6];
        var kept = new int[2];
        Assert.Equal(2, NmsCore.Greedy(boxes, 4, [0, 1], 0.8f, 1f, true, kept));
        Assert.Equal(1, NmsCore.Greedy(boxes, 4, [0, 1], 0.8f, 0.5f, true, kept));
        // at threshold 0.5 eta never applies (needs > 0.5): IoU 0.4 box survives
        float[] boxes2 = [0, 0, 10, 10, 0, 0, 10, 4, 0, 6, 10, 10];
        Assert.Equal(3, NmsCore.Greedy(boxes2, 4, [0, 1, 2], 0.5f, 0.1f, true, kept = new int[3]));
    }

    [Fact]
    public void Greedy_BoxStride_ReadsPerClassBoxes()
    {
        // [M=2, C=2, 4]: class 1's boxes are disjoint, class 0's identical
        float[] boxes = [0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1, 5, 5, 6, 6];
        var kept = new int[2];
        Assert.Equal(1, NmsCore.Greedy(boxes, 8, [0, 1], 0.3f, 1f, true, kept));
        Assert.Equal(2, NmsCore.Greedy(boxes.AsSpan(4), 8, [0, 1], 0.3f, 1f, true, kept));
    }

    [Theory]
    [InlineData(0, new[] { 1, 0, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 })]
    [InlineData(1, new[] { 1, 0, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 })]
    [InlineData(3, new[] { 6, 1, 3, 2, 4, 5, 0, 7, 8, 9, 10, 11, 12 })]
    [InlineData(5, new[] { 3, 1, 10, 6, 9, 4, 2, 7, 8, 5, 0, 11, 12 })]
    [InlineData(13, new[] { 3, 1, 10, 6, 9, 2, 0, 8, 11, 5, 7, 12, 4 })]
    public void PartialSortDescending_Ties_MatchesLibstdcxx(int middle, int[] expected)
    {
        // expected = g++ 12 libstdc++ std::partial_sort(p, p + middle, p + 13, keys[a] > keys[b]) on iota
        float[] keys = [0.5f, 0.9f, 0.5f, 0.9f, 0.1f, 0.5f, 0.9f, 0.3f, 0.5f, 0.7f, 0.9f, 0.5f, 0.2f];
        var p = Enumerable.Range(0, keys.Length).ToArray();
        NmsCore.PartialSortDescending(p, middle, keys);
        Assert.Equal(expected, p);
    }

    [Fact]
    public void PartialSortDescending_Random_PrefixIsSortedTopK()
    {
        var rng = new Random(42);
        foreach (int len in new[] { 1, 2, 7, 8, 9, 16, 17, 33 })
        {
            var keys = new float[len];
            for (int i = 0; i < len; i++) keys[i] = (float)rng.NextDouble();
            for (int mid = 1; mid <= len; mid++)
            {
                var p = Enumerable.Range(0, len).ToArray();
                NmsCore.PartialSortDescending(p, mid, keys);
                var top = keys.OrderByDescending(k => k).Take(mid).ToArray();
                Assert.Equal(top, p.Take(mid).Select(i => keys[i]).ToArray());
                Assert.Equal(Enumerable.Range(0, len), p.Order());
            }
        }
    }
}
