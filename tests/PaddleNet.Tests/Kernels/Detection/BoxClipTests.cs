using static PaddleNet.Tests.Kernels.Detection.DetectionHarness;

namespace PaddleNet.Tests.Kernels.Detection;

/// <summary>box_clip against test_box_clip_op.py's numpy box_clip (bounds round(h / scale) − 1, round(w / scale) − 1 per image of the LoD).</summary>
public sealed class BoxClipTests
{
    [Fact]
    public void TwoImages_ClipToEachImage_AsNumpyOracle()
    {
        var rng = new Random(9);
        int[] counts = [3, 5];
        float[] im = [100, 80, 0.5f, 61, 90, 2.5f]; // image 1: 90/2.5 = 36, 61/2.5 = 24.4 → 24
        int r = counts.Sum(), per = 2 * 4; // [R, 2, 4]
        var x = Enumerable.Range(0, r * per).Select(_ => (float)(rng.NextDouble() * 400 - 100)).ToArray();
        var res = Run("box_clip", new(), new() { ["Input"] = F(x, r, 2, 4), ["ImInfo"] = F(im, 2, 3), ["paddlenet_RoisNum"] = I(counts, 2) }, ["Output"])["Output"];
        Assert.Equal([r, 2, 4], res.Shape.ToArray());
        var o = res.AsSpan<float>().ToArray();
        for (int i = 0; i < r * per; i++)
        {
            int img = i / per < counts[0] ? 0 : 1;
            double imW = Math.Round(im[img * 3 + 1] / im[img * 3 + 2], MidpointRounding.AwayFromZero);
            double imH = Math.Round(im[img * 3] / im[img * 3 + 2], MidpointRounding.AwayFromZero);
            double bound = i % 2 == 0 ? imW - 1 : imH - 1;
            Assert.Equal((float)Math.Max(Math.Min(x[i], bound), 0), o[i]);
        }
    }

    [Fact]
    public void ImInfoRowsNotMatchingImages_TypedError()
    {
        var e = Assert.Throws<ShapeMismatchException>(() => Run("box_clip", new(), new() { ["Input"] = F(new float[8], 2, 4), ["ImInfo"] = F(new float[6], 2, 3) }, ["Output"]));
        Assert.Contains("ImInfo", e.Message);
    }
}
