using static PaddleNet.Tests.Kernels.Detection.DetectionHarness;

namespace PaddleNet.Tests.Kernels.Detection;

/// <summary>
/// lod_reset and sequence_expand as the legacy R-CNN uses them, with LoD as explicit counts (test_lod_reset_op.py:
/// Out = X, LoD from Y's values or target_lod; test_sequence_expand_op.py with an X without LoD: row i repeated
/// Y's i-th sequence length times).
/// </summary>
public sealed class LodOpsTests
{
    [Fact]
    public void LodReset_TargetLodAndYOffsets_GiveCounts()
    {
        var x = F(Enumerable.Range(0, 10 * 3).Select(i => (float)i).ToArray(), 10, 3);
        var r = Run("lod_reset", new() { ["target_lod"] = new long[] { 0, 4, 7, 10 } }, new() { ["X"] = x }, ["Out", "paddlenet_OutRoisNum"]);
        Assert.Equal(x.AsSpan<float>().ToArray(), r["Out"].AsSpan<float>().ToArray());
        Assert.Equal([4, 3, 3], r["paddlenet_OutRoisNum"].AsSpan<int>().ToArray());
        var y = Run("lod_reset", new(), new() { ["X"] = x, ["Y"] = I([0, 10], 2) }, ["Out", "paddlenet_OutRoisNum"]);
        Assert.Equal([10], y["paddlenet_OutRoisNum"].AsSpan<int>().ToArray());
        var e = Assert.Throws<ShapeMismatchException>(() => Run("lod_reset", new() { ["target_lod"] = new long[] { 0, 4, 9 } }, new() { ["X"] = x }, ["Out", "paddlenet_OutRoisNum"]));
        Assert.Contains("10 rows", e.Message);
        Assert.Throws<UnsupportedOperatorException>(() => Run("lod_reset", new() { ["append"] = true, ["target_lod"] = new long[] { 0, 10 } }, new() { ["X"] = x }, ["Out"]));
    }

    [Fact]
    public void SequenceExpand_RepeatsEachRowByYCounts()
    {
        var x = F([1, 2, 3, 4, 5, 6], 3, 2);
        var r = Run("sequence_expand", new() { ["ref_level"] = -1 }, new() { ["X"] = x, ["paddlenet_YRoisNum"] = I([2, 0, 3], 3) }, ["Out"])["Out"];
        Assert.Equal([5, 2], r.Shape.ToArray());
        Assert.Equal([1f, 2, 1, 2, 5, 6, 5, 6, 5, 6], r.AsSpan<float>().ToArray());
        Assert.Throws<ShapeMismatchException>(() => Run("sequence_expand", new(), new() { ["X"] = x, ["paddlenet_YRoisNum"] = I([2, 3], 2) }, ["Out"]));
        var e = Assert.Throws<UnsupportedOperatorException>(() => Run("sequence_expand", new(), new() { ["X"] = x, ["Y"] = x }, ["Out"]));
        Assert.Contains("LoD", e.Message);
        Assert.Throws<UnsupportedOperatorException>(() => Run("sequence_expand", new() { ["ref_level"] = 1 }, new() { ["X"] = x, ["paddlenet_YRoisNum"] = I([1, 1, 1], 3) }, ["Out"]));
    }
}
