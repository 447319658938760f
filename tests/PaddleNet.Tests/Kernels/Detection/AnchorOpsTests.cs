using PaddleNet.Kernels.Detection;
using static PaddleNet.Tests.Kernels.Detection.DetectionHarness;

namespace PaddleNet.Tests.Kernels.Detection;

/// <summary>prior_box, box_coder and yolo_box on inputs small enough to check by hand (paths the shared cases do not cover).</summary>
public sealed class AnchorOpsTests
{
    [Fact]
    public void ExpandAspectRatios_DuplicatesAndNearOne_SkippedFlipAddsInverse()
    {
        Assert.Equal([1f, 2f, 0.5f], PriorBoxKernel.ExpandAspectRatios([2f, 1f + 1e-7f, 2f], flip: true));
        Assert.Equal([1f, 2f, 3f], PriorBoxKernel.ExpandAspectRatios([2f, 3f], flip: false));
        // 0.5 is already there once 2 has been flipped
        Assert.Equal([1f, 2f, 0.5f], PriorBoxKernel.ExpandAspectRatios([2f, 0.5f], flip: true));
    }

    [Fact]
    public void PriorBox_OneCellMinMaxClip_HandValues()
    {
        // feature 1×1 over a 10×20 (h×w) image: step 20 × 10, centre (10, 5)
        var r = Run("prior_box", new()
        {
            ["min_sizes"] = new double[] { 4 },
            ["max_sizes"] = new double[] { 16 },
            ["aspect_ratios"] = new double[] { 4 },
            ["variances"] = new double[] { 0.1, 0.1, 0.2, 0.2 },
            ["flip"] = false,
            ["clip"] = true,
            ["offset"] = 0.5f,
        }, new() { ["Input"] = F(new float[3], 1, 3, 1, 1), ["Image"] = F(new float[200], 1, 1, 10, 20) }, ["Boxes", "Variances"]);
        Assert.Equal([1, 1, 3, 4], r["Boxes"].Shape.ToArray());
        float[] expected =
        [
            8 / 20f, 3 / 10f, 12 / 20f, 7 / 10f,   // ar 1: half sides 2, 2
            6 / 20f, 4 / 10f, 14 / 20f, 6 / 10f,   // ar 4: half w 4·2/2 = 4, half h 4/2/2 = 1
            6 / 20f, 1 / 10f, 14 / 20f, 9 / 10f,   // √(4·16) = 8: half sides 4, 4
        ];
        var boxes = r["Boxes"].AsSpan<float>().ToArray();
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], boxes[i], 6);
        Assert.Equal([0.1f, 0.1f, 0.2f, 0.2f, 0.1f, 0.1f, 0.2f, 0.2f, 0.1f, 0.1f, 0.2f, 0.2f], r["Variances"].AsSpan<float>().ToArray());
    }

    [Fact]
    public void BoxCoder_DecodeWithPriorBoxVarInput_HandValues()
    {
        // prior [0,0,4,2]: w 4, h 2, centre (2,1); target (1, −1, ln 2, 0) with var (0.5, 0.5, 1, 1)
        var r = Run("box_coder", new() { ["code_type"] = "decode_center_size", ["box_normalized"] = true, ["axis"] = 0L },
            new() { ["PriorBox"] = F([0, 0, 4, 2], 1, 4), ["PriorBoxVar"] = F([0.5f, 0.5f, 1, 1], 1, 4), ["TargetBox"] = F([1, -1, MathF.Log(2), 0], 1, 1, 4) },
            ["OutputBox"]);
        // cx = .5·1·4 + 2 = 4, cy = .5·(−1)·2 + 1 = 0, w = 2·4 = 8, h = 2
        var o = r["OutputBox"].AsSpan<float>().ToArray();
        float[] expected = [0, -1, 8, 1];
        for (int i = 0; i < 4; i++) Assert.Equal(expected[i], o[i], 5);
    }

    [Theory]
    [InlineData(true, 0f)]
    [InlineData(false, -0.5f)] // Paddle's +1 widths: the centre is (x1+x2)/2 but the half width (w+1)/2, so every coordinate comes back 0.5 lower
    public void BoxCoder_EncodeThenDecode_RoundTrips(bool normalized, float shift)
    {
        var rng = new Random(42);
        const int m = 7, n = 9;
        var prior = new float[m * 4];
        var target = new float[n * 4];
        Fill(prior);
        Fill(target);
        var enc = Run("box_coder", new() { ["code_type"] = "encode_center_size", ["box_normalized"] = normalized, ["variance"] = new double[] { 0.1, 0.1, 0.2, 0.2 } },
            new() { ["PriorBox"] = F(prior, m, 4), ["TargetBox"] = F(target, n, 4) }, ["OutputBox"])["OutputBox"];
        Assert.Equal([n, m, 4], enc.Shape.ToArray());
        var dec = Run("box_coder", new() { ["code_type"] = "decode_center_size", ["box_normalized"] = normalized, ["variance"] = new double[] { 0.1, 0.1, 0.2, 0.2 } },
            new() { ["PriorBox"] = F(prior, m, 4), ["TargetBox"] = enc }, ["OutputBox"])["OutputBox"].AsSpan<float>().ToArray();
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < m; j++)
            {
                for (int k = 0; k < 4; k++) Assert.Equal(target[i * 4 + k] + shift, dec[(i * m + j) * 4 + k], 3);
            }
        }

        void Fill(float[] b)
        {
            for (int i = 0; i < b.Length; i += 4)
            {
                b[i] = (float)rng.NextDouble() * 10; b[i + 1] = (float)rng.NextDouble() * 10;
                b[i + 2] = b[i] + 1 + (float)rng.NextDouble() * 10; b[i + 3] = b[i + 1] + 1 + (float)rng.NextDouble() * 10;
            }
        }
    }

    private static Dictionary<string, Tensor> Yolo(float confThresh, float[] x, int batch) => Run("yolo_box", new()
    {
        ["anchors"] = new long[] { 32, 16 },
        ["class_num"] = 1,
        ["conf_thresh"] = confThresh,
        ["downsample_ratio"] = 32,
        ["clip_bbox"] = true,
        ["scale_x_y"] = 1.0f,
        ["iou_aware"] = true,
        ["iou_aware_factor"] = 0.5f,
    }, new() { ["X"] = F(x, batch, 7, 1, 1), ["ImgSize"] = I([.. Enumerable.Repeat(64, 2 * batch)], batch, 2) }, ["Boxes", "Scores"]);

    [Fact]
    public void YoloBox_IouAware_ConfIsGeometricBlendAndIouChannelsComeFirst()
    {
        // per image channels: [iou, tx, ty, tw, th, obj, cls]; image 1 has obj = ln 3 (σ = .75), image 0 obj = −20 (below threshold)
        float ln3 = MathF.Log(3);
        float[] x = [0, 0, 0, 0, 0, -20, 0, 0, 0, 0, 0, 0, ln3, 0];
        var r = Yolo(0.1f, x, 2);
        var boxes = r["Boxes"].AsSpan<float>().ToArray();
        var scores = r["Scores"].AsSpan<float>().ToArray();
        Assert.Equal([0f, 0, 0, 0], boxes[..4]);
        Assert.Equal(0f, scores[0]);
        // image 1: conf = .75^.5·.5^.5; centre (32, 32), w = 32·64/32 = 64, h = 16·64/32 = 32; x2 clipped to 63
        Assert.Equal([0f, 16, 63, 48], boxes[4..]);
        Assert.Equal(MathF.Sqrt(0.375f) * 0.5f, scores[1], 6);
        // conf ≈ .612 < .62 → nothing
        r = Yolo(0.62f, x, 2);
        Assert.All(r["Boxes"].AsSpan<float>().ToArray(), v => Assert.Equal(0f, v));
    }
}
