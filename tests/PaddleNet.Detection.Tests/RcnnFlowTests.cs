using PaddleNet.Imaging;

namespace PaddleNet.Detection.Tests;

/// <summary>
/// The R-CNN flow of <c>detect</c>. No R-CNN with real weights is in shared, so the flow is proven on the FPN R-CNN
/// program of shared/programs (PaddleDetection 0.x: inputs image, im_info, im_shape; one LoD box output) with
/// synthetic weights: structure and shapes, not numbers. The mask path (Mask R-CNN's third output) is checked on
/// hand-made outputs.
/// </summary>
public sealed class RcnnFlowTests
{
    private const string Yaml = """
        mode: fluid
        draw_threshold: 0.0
        metric: COCO
        arch: RCNN
        min_subgraph_size: 40
        Preprocess:
        - type: Resize
          interp: 1
          keep_ratio: true
          target_size: [192, 256]
        - type: NormalizeImage
          is_scale: true
          mean: [0.485, 0.456, 0.406]
          std: [0.229, 0.224, 0.225]
        - type: Permute
        - type: PadStride
          stride: 32
        label_list: [background, a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p, q, r, s, t, u]
        """;

    private static Image Photo(int width, int height, int seed)
    {
        var rng = new Random(seed);
        var px = new byte[width * height * 3];
        rng.NextBytes(px);
        return Image.FromPixels(px, width, height, PixelFormat.Bgr);
    }

    private static ObjectDetector Detector()
    {
        var config = DetectionConfig.Parse(Yaml, Path.Combine(Path.GetTempPath(), "rcnn", "infer_cfg.yml"));
        var model = PaddleModel.Load(SharedData.Path("programs", "det_ams_rcnn_sketch2wireframe.pdmodel"));
        return ObjectDetector.Create(config, model, new SessionOptions { IntraOpThreads = 2, SyntheticWeights = new SyntheticWeightOptions { Seed = 1 } });
    }

    [Fact]
    public void LegacyRcnn_DetectsInOriginalPixels_OnSyntheticWeights()
    {
        using var detector = Detector();
        Assert.False(detector.HasMasks);
        var photo = Photo(300, 200, 1); // resized ×256/300 to 256 × 171, padded to 256 × 192 → im_info (171, 256, 0.853), im_shape (200, 300, 1)
        var result = detector.Detect(photo);
        Assert.Equal((300, 200), (result.ImageWidth, result.ImageHeight));
        Assert.InRange(result.Objects.Count, 1, 100); // keep_top_k 100
        foreach (var o in result.Objects)
        {
            Assert.InRange(o.ClassId, 1, 21); // background_label 0 never comes out
            Assert.Equal(((string[])["background", "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "p", "q", "r", "s", "t", "u"])[o.ClassId], o.Label);
            Assert.InRange(o.Score, 0.05f, 1f); // score_threshold 0.05
            // box_clip bounds: the original image, not the resized one
            Assert.InRange(o.Box.X1, 0f, 299f);
            Assert.InRange(o.Box.X2, 0f, 299f);
            Assert.InRange(o.Box.Y1, 0f, 199f);
            Assert.InRange(o.Box.Y2, 0f, 199f);
            Assert.True(o.Mask.IsEmpty);
        }
        Assert.Contains(result.Objects, o => o.Box.Y2 > 172 || o.Box.X2 > 257); // some box reaches past the resized size
        var drawn = DetectionVisualizer.Draw(photo, result);
        Assert.Equal((300, 200), (drawn.Width, drawn.Height));
        var e = Assert.Throws<PaddleNetException>(() => detector.DetectBatch([photo, Photo(120, 90, 2)]));
        Assert.Contains("one image at a time", e.Message);
    }

    [Fact]
    public void MaskOutput_CroppedToTheImage_AndDrawnAsAnOverlay()
    {
        var config = DetectionConfig.Parse(Yaml, Path.Combine(Path.GetTempPath(), "rcnn", "infer_cfg.yml"));
        var photo = Photo(40, 30, 3);
        // boxes and their label tags stay right of x = 20, clear of the masked pixels checked below
        var boxes = Tensor.FromSpan<float>([3, 0.9f, 20, 20, 30, 28, 5, 0.8f, 30, 25, 35, 28], [2, 6]);
        var counts = Tensor.FromSpan<int>([2], [1]);
        int mh = 32, mw = 42; // padded to a larger image of the batch
        var maskData = new int[2 * mh * mw];
        maskData[5 * mw + 5] = 1;                 // object 0: pixel (x 5, y 5)
        maskData[mh * mw + 27 * mw + 8] = 1;      // object 1: pixel (x 8, y 27)
        maskData[mh * mw + 31 * mw + 41] = 1;     // outside the 40 × 30 image: cropped away
        var result = DetectionOutput.Split(boxes, counts, Tensor.FromSpan<int>(maskData, [2, mh, mw]), [photo], config, 0.5)[0];
        Assert.Equal(2, result.Objects.Count);
        Assert.Equal(40 * 30, result.Objects[0].Mask.Length);
        Assert.Equal(1, result.Objects[0].Mask.Span[5 * 40 + 5]);
        Assert.Equal(1, result.Objects[0].Mask.ToArray().Sum(b => b));
        Assert.Equal(1, result.Objects[1].Mask.Span[27 * 40 + 8]);
        Assert.Equal(1, result.Objects[1].Mask.ToArray().Sum(b => b));
        var drawn = DetectionVisualizer.Draw(photo, result);
        // a masked pixel is 0.3·pixel + 0.7·(class colour lightened 40% towards white)
        foreach (var (x, y, cls) in new[] { (5, 5, 3), (8, 27, 5) })
        {
            var c = DetectionVisualizer.ClassColor(cls);
            float[] rgb = [c.R * 0.6f + 0.4f * 255, c.G * 0.6f + 0.4f * 255, c.B * 0.6f + 0.4f * 255];
            for (int k = 0; k < 3; k++)
            {
                int at = (y * 40 + x) * 3 + k; // BGR
                Assert.Equal((byte)(photo.Pixels[at] * (1 - 0.7f) + 0.7f * rgb[2 - k]), drawn.Pixels[at]);
            }
        }
        Assert.Equal(photo.Pixels[(2 * 40 + 2) * 3], drawn.Pixels[(2 * 40 + 2) * 3]); // an unmasked pixel away from the boxes
        var bad = Assert.Throws<ShapeMismatchException>(() => DetectionOutput.Split(boxes, counts, Tensor.FromSpan<int>(new int[7], [1, 1, 7]), [photo], config, 0.5));
        Assert.Contains("masks", bad.Message);
    }
}
