using PaddleNet.Detection.Preprocessing;
using PaddleNet.Imaging;

namespace PaddleNet.Detection.Tests;

public sealed class ConfigTests
{
    [Fact]
    public void PpYoloTiny_ReadsEveryField()
    {
        var config = DetectionConfig.Load(DetectionReferences.Config("ppyolo_tiny_trash"));
        Assert.Equal("YOLO", config.Architecture);
        Assert.Equal(3, config.MinSubgraphSize);
        Assert.Equal(0.5, config.DrawThreshold);
        Assert.Equal(80, config.Labels.Count);
        Assert.Equal("ylg", config.LabelOf(0));
        Assert.Equal("99", config.LabelOf(99));
        Assert.Equal(["Resize", "NormalizeImage", "Permute"], config.Preprocessor.Ops.Select(o => o.Type));
        var resize = Assert.IsType<ResizeOp>(config.Preprocessor.Ops[0]);
        Assert.Equal((320, 320, false, Interpolation.Cubic), (resize.TargetHeight, resize.TargetWidth, resize.KeepRatio, resize.Interpolation));
        var norm = Assert.IsType<NormalizeImageOp>(config.Preprocessor.Ops[1]);
        Assert.True(norm.IsScale);
        Assert.Equal([0.229, 0.224, 0.225], norm.Std);
    }

    [Fact]
    public void Ssd_ReadsIsScaleFalseAndLinear()
    {
        var config = DetectionConfig.Load(Path.GetDirectoryName(DetectionReferences.Config("ssd_mobilenet_v1_random"))!);
        Assert.Equal(("SSD", 60, 20), (config.Architecture, config.MinSubgraphSize, config.Labels.Count));
        Assert.False(config.Preprocessor.Ops.OfType<NormalizeImageOp>().Single().IsScale);
        Assert.Equal(Interpolation.Linear, config.Preprocessor.Ops.OfType<ResizeOp>().Single().Interpolation);
    }

    [Theory]
    [InlineData("arch: YOLO\nPreprocess:\n- type: LetterBoxResize\n  target_size: [320, 320]\n", "unknown preprocess op 'LetterBoxResize'")]
    [InlineData("arch: YOLO\nPreprocess:\n- type: TopDownEvalAffine\n  trainsize: [192, 256]\n", "'TopDownEvalAffine'")]
    [InlineData("arch: HRNet\nPreprocess:\n- type: Permute\n", "unsupported arch 'HRNet'")]
    [InlineData("Preprocess:\n- type: Permute\n", "missing 'arch'")]
    [InlineData("arch: YOLO\n", "missing 'Preprocess'")]
    [InlineData("arch: YOLO\nPreprocess:\n- type: Resize\n  target_size: [320, 0]\n", "'target_size'")]
    [InlineData("arch: YOLO\nPreprocess:\n- type: Resize\n  target_size: 320\n  interp: 9\n", "'interp' 9")]
    [InlineData("arch: [YOLO\n", "invalid YAML")]
    public void BadConfig_ThrowsNamingTheProblem(string yaml, string expected)
    {
        var e = Assert.Throws<DetectionConfigException>(() => DetectionConfig.Parse(yaml, "/m/infer_cfg.yml"));
        Assert.Contains(expected, e.Message);
        Assert.StartsWith("/m/infer_cfg.yml: ", e.Message);
        Assert.IsAssignableFrom<PaddleNetException>(e);
    }

    [Fact]
    public void MissingFile_Throws() =>
        Assert.Contains("file not found", Assert.Throws<DetectionConfigException>(() => DetectionConfig.Load("/nonexistent/infer_cfg.yml")).Message);

    [Theory]
    [InlineData(480, 640, 1.0)]    // short side 480 → 480 fits; long 640 ≤ 800
    [InlineData(240, 320, 2.0)]
    [InlineData(300, 1000, 0.8)]   // short side would give 1600 > 800: fit the long side
    public void KeepRatio_ScaleAsGenerateScale(int h, int w, double expected)
    {
        var op = new ResizeOp(480, 800, keepRatio: true, Interpolation.Linear);
        Assert.Equal((expected, expected), op.ScaleFor(h, w));
    }

    [Fact]
    public void KeepRatioAndPadStride_FeedShapesAsPaddleDetection()
    {
        var config = DetectionConfig.Parse(
            "arch: RCNN\nPreprocess:\n- type: Resize\n  target_size: [100, 130]\n  keep_ratio: true\n  interp: 1\n" +
            "- type: NormalizeImage\n  is_scale: true\n  mean: [0.5, 0.5, 0.5]\n  std: [0.5, 0.5, 0.5]\n- type: Permute\n- type: PadStride\n  stride: 32\n",
            "/m/infer_cfg.yml");
        var a = config.Preprocessor.Run(Image.FromPixels(new byte[50 * 70 * 3], 70, 50, PixelFormat.Bgr));
        // scale = 100/50 = 2, but round(2·70) = 140 > 130: scale = 130/70; size = round(70·s) × round(50·s) = 130 × 93
        Assert.Equal((93f, 130f), a.ImShape);
        Assert.Equal(((float)(130.0 / 70), (float)(130.0 / 70)), a.ScaleFactor);
        Assert.Equal((96, 160), (a.Height, a.Width));
        var b = config.Preprocessor.Run(Image.FromPixels(new byte[20 * 20], 20, 20, PixelFormat.Gray));
        var feeds = DetectionBatch.Create([a, b]);
        // b: 20 × 20 gray → ×5 → 100 × 100 → PadStride 128 × 128; the batch takes the largest H (128) and W (160).
        Assert.Equal([2, 3, 128, 160], feeds["image"].Shape.ToArray());
        Assert.Equal([93f, 130f, 100f, 100f], feeds["im_shape"].AsSpan<float>().ToArray());
        var image = feeds["image"].AsSpan<float>();
        Assert.Equal(-1f, image[0]);                       // (0/255 − 0.5) / 0.5
        Assert.Equal(0f, image[95 * 160]);                 // PadStride rows of a
        Assert.Equal(0f, image[(3 * 128 + 0) * 160 + 130]); // batch padding right of b
    }
}
