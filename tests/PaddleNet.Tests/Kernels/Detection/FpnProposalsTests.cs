using static PaddleNet.Tests.Kernels.Detection.DetectionHarness;

namespace PaddleNet.Tests.Kernels.Detection;

/// <summary>
/// collect_fpn_proposals and distribute_fpn_proposals against the numpy references of
/// test_collect_fpn_proposals_op.py (concatenate levels, sort by score, keep post_nms_topN, regroup by image) and
/// test_distribute_fpn_proposals_op.py (level = floor(log2(√area / refer_scale + 1e-6) + refer_level), clamped; per-level
/// RoIs in image order; restore index), with per-image counts as RoisNum tensors.
/// </summary>
public sealed class FpnProposalsTests
{
    private static float[] Boxes(Random rng, int count, float maxSide)
    {
        var b = new float[count * 4];
        for (int i = 0; i < count; i++)
        {
            float x1 = (float)(rng.NextDouble() * 200), y1 = (float)(rng.NextDouble() * 200);
            b[i * 4] = x1; b[i * 4 + 1] = y1;
            b[i * 4 + 2] = x1 + (float)(rng.NextDouble() * maxSide); b[i * 4 + 3] = y1 + (float)(rng.NextDouble() * maxSide);
        }
        return b;
    }

    [Theory]
    [InlineData(10)]
    [InlineData(1000)]
    public void Collect_MatchesNumpyOracle(int topN)
    {
        var rng = new Random(topN);
        int levels = 3, n = 2;
        int[][] counts = [[3, 5], [4, 0], [2, 6]];
        var rois = new Tensor[levels];
        var scores = new Tensor[levels];
        var nums = new Tensor[levels];
        var all = new List<(float Score, int Image, float[] Box)>();
        for (int l = 0; l < levels; l++)
        {
            int rl = counts[l].Sum();
            var b = Boxes(rng, rl, 100);
            var s = Enumerable.Range(0, rl).Select(_ => (float)rng.NextDouble()).ToArray();
            rois[l] = F(b, rl, 4);
            scores[l] = F(s, rl, 1);
            nums[l] = I(counts[l], n);
            int row = 0;
            for (int img = 0; img < n; img++)
                for (int j = 0; j < counts[l][img]; j++, row++) all.Add((s[row], img, b[(row * 4)..(row * 4 + 4)]));
        }
        // numpy: argsort(-scores) (stable), [:post_nms_topN], then a stable sort by image
        var kept = all.Select((e, i) => (e, i)).OrderByDescending(p => p.e.Score).Take(topN).OrderBy(p => p.e.Image).Select(p => p.e).ToArray();
        var op = new Shape.OpHarness("collect_fpn_proposals").Input("MultiLevelRois", rois).Input("MultiLevelScores", scores)
            .Input("MultiLevelRoIsNum", nums).Output("FpnRois").Output("RoisNum").Attr("post_nms_topN", (long)topN);
        var outRois = op.Run1("FpnRois");
        Assert.Equal(kept.SelectMany(k => k.Box).ToArray(), outRois.AsSpan<float>().ToArray());
        var outNum = new Shape.OpHarness("collect_fpn_proposals").Input("MultiLevelRois", rois).Input("MultiLevelScores", scores)
            .Input("MultiLevelRoIsNum", nums).Output("FpnRois").Output("RoisNum").Attr("post_nms_topN", (long)topN).Run1("RoisNum");
        Assert.Equal(Enumerable.Range(0, n).Select(img => kept.Count(k => k.Image == img)).ToArray(), outNum.AsSpan<int>().ToArray());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Distribute_MatchesNumpyOracle(bool pixelOffset)
    {
        var rng = new Random(pixelOffset ? 1 : 2);
        int n = 2, min = 2, max = 5, referLevel = 4, referScale = 224;
        int[] counts = [9, 14];
        var b = Boxes(rng, counts.Sum(), 600);
        int r = counts.Sum();
        var lvl = new int[r];
        for (int i = 0; i < r; i++)
        {
            double w = b[i * 4 + 2] - b[i * 4], h = b[i * 4 + 3] - b[i * 4 + 1];
            double area = pixelOffset ? (w + 1) * (h + 1) : w * h;
            lvl[i] = Math.Clamp((int)Math.Floor(Math.Log2(Math.Sqrt(area) / referScale + 1e-6) + referLevel), min, max);
        }
        Assert.True(lvl.Distinct().Count() >= 3, "the data should spread over several levels");
        var op = new Shape.OpHarness("distribute_fpn_proposals").Input("FpnRois", F(b, r, 4)).Input("RoisNum", I(counts, n))
            .Output("MultiFpnRois", 4).Output("MultiLevelRoIsNum", 4).Output("RestoreIndex")
            .Attr("min_level", (long)min).Attr("max_level", (long)max).Attr("refer_level", (long)referLevel).Attr("refer_scale", (long)referScale).Attr("pixel_offset", pixelOffset);
        var levels = op.Run("MultiFpnRois");
        var levelNums = op.Run("MultiLevelRoIsNum");
        var restore = op.Run1("RestoreIndex");
        var concat = new List<int>(); // original row of each row of the level-concatenated output
        for (int l = 0; l < 4; l++)
        {
            var rows = Enumerable.Range(0, r).Where(i => lvl[i] == l + min).ToArray();
            Assert.Equal(rows.SelectMany(i => b[(i * 4)..(i * 4 + 4)]).ToArray(), levels[l].AsSpan<float>().ToArray());
            Assert.Equal([rows.Count(i => i < counts[0]), rows.Count(i => i >= counts[0])], levelNums[l].AsSpan<int>().ToArray());
            concat.AddRange(rows);
        }
        Assert.Equal([r, 1], restore.Shape.ToArray());
        var ri = restore.AsSpan<int>().ToArray();
        for (int i = 0; i < r; i++) Assert.Equal(i, concat[ri[i]]);
    }

    [Fact]
    public void BadLevels_RefusedAtLoad()
    {
        Assert.Throws<UnsupportedOperatorException>(() => new Shape.OpHarness("distribute_fpn_proposals").Input("FpnRois", F(new float[4], 1, 4))
            .Output("MultiFpnRois", 3).Output("RestoreIndex").Attr("min_level", 2L).Attr("max_level", 5L).Run("RestoreIndex"));
        Assert.Throws<UnsupportedOperatorException>(() => new Shape.OpHarness("collect_fpn_proposals").Input("MultiLevelRois", F(new float[4], 1, 4))
            .Output("FpnRois").Attr("post_nms_topN", 5L).Run("FpnRois"));
    }
}
