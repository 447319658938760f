using static PaddleNet.Tests.Kernels.Detection.DetectionHarness;

namespace PaddleNet.Tests.Kernels.Detection;

/// <summary>matrix_nms on three boxes: A [0,0,2,2] .9, B [1,1,3,3] .8 (IoU(A,B) = 1/7), C far away .5.</summary>
public sealed class MatrixNmsTests
{
    private static readonly float[] Boxes = [0, 0, 2, 2, 1, 1, 3, 3, 10, 10, 12, 12];
    private static readonly float[] Scores = [0.9f, 0.8f, 0.5f];

    private static Dictionary<string, Tensor> Run3(bool gaussian, float post, int keepTopK = -1) => Run("matrix_nms", new()
    {
        ["score_threshold"] = 0.1f,
        ["post_threshold"] = post,
        ["nms_top_k"] = -1,
        ["keep_top_k"] = keepTopK,
        ["use_gaussian"] = gaussian,
        ["gaussian_sigma"] = 2.0f,
        ["background_label"] = -1,
        ["normalized"] = true,
    }, new() { ["BBoxes"] = F(Boxes, 1, 3, 4), ["Scores"] = F(Scores, 1, 1, 3) }, ["Out", "Index", "RoisNum"]);

    [Fact]
    public void Execute_Linear_DecaysByOneMinusIoU()
    {
        var r = Run3(gaussian: false, post: 0.05f);
        var o = r["Out"].AsSpan<float>().ToArray();
        Assert.Equal([3, 6], r["Out"].Shape.ToArray());
        Assert.Equal(0.9f, o[1]);
        Assert.Equal(0.8 * 6.0 / 7.0, o[7], 6); // (1 − 1/7) / (1 − 0)
        Assert.Equal(0.5f, o[13]); // C: decay min(1/1, 1/(6/7)) capped at 1
        Assert.Equal([0, 1, 2], r["Index"].AsSpan<int>().ToArray());
        Assert.Equal([3], r["RoisNum"].AsSpan<int>().ToArray());
    }

    [Fact]
    public void Execute_Gaussian_DecaysByExpOfSquaredIoU()
    {
        var r = Run3(gaussian: true, post: 0.05f);
        var o = r["Out"].AsSpan<float>().ToArray();
        Assert.Equal(0.8 * Math.Exp(-2.0 / 49.0), o[7], 6); // exp((0 − (1/7)²)·σ), σ = 2
        Assert.Equal(0.5f, o[13]);
    }

    [Fact]
    public void Execute_PostThresholdAndKeepTopK_Cut()
    {
        var r = Run3(gaussian: false, post: 0.6f);
        Assert.Equal([0, 1], r["Index"].AsSpan<int>().ToArray()); // C (.5) ≤ .6 dropped
        r = Run3(gaussian: false, post: 0.05f, keepTopK: 1);
        Assert.Equal([0], r["Index"].AsSpan<int>().ToArray());
        Assert.Equal([0, 0.9f, 0, 0, 2, 2], r["Out"].AsSpan<float>().ToArray());
    }

    [Fact]
    public void Execute_NothingAboveThreshold_EmptyRows()
    {
        var r = Run3(gaussian: false, post: 0.95f);
        Assert.Equal([0, 6], r["Out"].Shape.ToArray());
        Assert.Equal([0, 1], r["Index"].Shape.ToArray());
        Assert.Equal([0], r["RoisNum"].AsSpan<int>().ToArray());
    }
}
