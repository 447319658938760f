using System.Text.Json;
using PaddleNet.Imaging;
using PaddleNet.Tests.Support;
using ImagingImage = PaddleNet.Imaging.Image;

namespace PaddleNet.Tests.Parity;

/// <summary>
/// Paddle Lite <c>.nb</c> files run (shared/models/lite/README.md):
/// 1. against Paddle Lite's own x86 outputs (the opt2.13_*_x86* reference folders);
/// 2. against twins: each ARM file against its x86 sibling's Lite reference (the same optimised program
///    for another target), ch_PP-OCRv4_mobile_cls.nb against its Paddle source, int8 files against Paddle fp32;
/// 3. semantically, where no reference exists: text direction, text detection and face detection on real images.
/// Int8 activations of the slim (v2.10) files are simulated in float (calib quantise-dequantise; see CalibKernel).
/// </summary>
public sealed class LiteParityTests
{
    private static PaddleModel LoadNb(string path)
    {
        var m = PaddleModel.Load(path);
        return m;
    }

    private static string Lite(params string[] parts) => SharedData.Path(["models", "lite", .. parts]);

    public static TheoryData<string> LiteManifests()
    {
        var data = new TheoryData<string>();
        foreach (var m in SharedData.ManifestFiles(Path.Combine("models", "lite"))) data.Add(SharedData.Relative(m));
        return data;
    }

    [Fact]
    public void LiteManifests_AreTheFiveX86Folders()
    {
        var all = SharedData.ManifestFiles(Path.Combine("models", "lite")).Select(SharedData.Relative).ToArray();
        Assert.Equal(5, all.Length);
        foreach (var m in all) Assert.Contains("_x86", m, StringComparison.Ordinal);
    }

    /// <summary>NMS set tolerances from the manifests' <c>nms_boxes</c> notes: score abs 2e-4 (SSD) or 1e-4 (PP-YOLO).</summary>
    private static double NmsScoreAbs(string manifestRel) => manifestRel.Contains("ssd_mobilenet", StringComparison.Ordinal) ? 2e-4 : 1e-4;

    [Theory]
    [MemberData(nameof(LiteManifests))]
    public void LiteReference_Run_MatchesPaddleLite(string manifestRel)
    {
        var manifest = SharedData.Path(manifestRel);
        var dir = Path.GetDirectoryName(Path.GetDirectoryName(manifest))!;
        RunAgainst(Path.Combine(dir, "model.nb"), manifest, manifestRel);
    }

    /// <summary>
    /// An ARM file is the same optimised network as its x86 sibling (opt with --valid_targets=arm; the
    /// differences are kernel places and whether hard_swish is fused into depthwise convs), so it must
    /// reproduce the x86 Lite reference within the same tolerance.
    /// </summary>
    [Theory]
    [InlineData("opt2.13_ch_ppocr_mobile_v2.0_cls_arm", "opt2.13_ch_ppocr_mobile_v2.0_cls_x86")]
    [InlineData("opt2.13_ch_ppocr_mobile_v2.0_cls_arm_int8", "opt2.13_ch_ppocr_mobile_v2.0_cls_x86_int8")]
    [InlineData("opt2.13_ssd_mobilenet_v1_random_arm", "opt2.13_ssd_mobilenet_v1_random_x86")]
    [InlineData("opt2.13_ppyolo_tiny_trash_arm_int8", "opt2.13_ppyolo_tiny_trash_x86_int8")]
    public void ArmFile_MatchesX86SiblingLiteReference(string armDir, string x86Dir)
    {
        var manifestRel = Path.Combine("models", "lite", x86Dir, "reference", "manifest.json");
        RunAgainst(Lite(armDir, "model.nb"), SharedData.Path(manifestRel), $"{armDir} vs {manifestRel}");
    }

    private static void RunAgainst(string nbPath, string manifest, string label)
    {
        var model = LoadNb(nbPath);
        using var session = new InferenceSession(model);
        bool nms = model.OperatorCounts.Keys.Any(k => k.StartsWith("multiclass_nms", StringComparison.Ordinal));
        var cases = ReferenceCase.Load(manifest);
        Assert.NotEmpty(cases);
        foreach (var c in cases)
        {
            var outputs = session.Run(c.Inputs.ToDictionary(kv => kv.Key, kv => NpyFile.Read(kv.Value)));
            Assert.Equal(c.Outputs.Count, outputs.Count);
            for (int k = 0; k < outputs.Count; k++)
            {
                var expected = NpyFile.Read(c.Outputs[k]);
                var what = $"{label} case {c.Name} output {k}";
                if (nms) BoxSetAssert.Equivalent(expected, outputs[k], k, NmsScoreAbs(label), 0, what);
                else
                {
                    TensorAssert.Close(expected, outputs[k], c.Abs, c.Rel, what);
                    AssertSameArgMax(expected, outputs[k], what);
                }
            }
        }
    }

    /// <summary>
    /// ch_PP-OCRv4_mobile_cls.nb is opt 2.13 (arm, fp32) of cls/ch_ppocr_mobile_v2.0_cls_reexport: against
    /// that model's Paddle outputs with the repo's fp32 tolerance (Lite x86 itself differs from Paddle by ≤ 6.9e-7
    /// on the same network: BN folding and fused activations only reorder float arithmetic).
    /// </summary>
    [Fact]
    public void PpOcrV4ClsNb_MatchesPaddleTwin()
    {
        var nb = Lite("ch_PP-OCRv4_mobile_cls_lite2.13", "ch_PP-OCRv4_mobile_cls.nb");
        var manifest = SharedData.Path("models", "cls", "ch_ppocr_mobile_v2.0_cls_reexport", "reference", "manifest.json");
        var model = LoadNb(nb);
        using var session = new InferenceSession(model);
        foreach (var c in ReferenceCase.Load(manifest))
        {
            var outputs = session.Run(c.Inputs.ToDictionary(kv => kv.Key, kv => NpyFile.Read(kv.Value)));
            var expected = NpyFile.Read(c.Outputs[0]);
            var what = $"PP-OCRv4 cls .nb vs Paddle twin, case {c.Name}";
            TensorAssert.Close(expected, outputs[0], Tolerances.DefaultAbs, Tolerances.DefaultRel, what);
            AssertSameArgMax(expected, outputs[0], what);
        }
    }

    /// <summary>
    /// Weight-only int8 files against the fp32 Paddle model they were converted from. The difference is the
    /// weight quantisation error, which Paddle Lite's own x86 run measured per case
    /// (<c>max_abs_diff_vs_paddle_inference</c> in the Lite manifest: up to 1.1e-2 for the text direction
    /// classifier, 1.6e-2 for ShuffleNetV2). PaddleNet runs the same dequantised weights, so it must stay within
    /// that measured error (+1e-4 for float reordering), and top-1 must be identical.
    /// </summary>
    [Theory]
    [InlineData("opt2.13_ch_ppocr_mobile_v2.0_cls_x86_int8")]
    [InlineData("opt2.13_ShuffleNetV2_imagenet_x86_int8")]
    [InlineData("opt2.13_ch_ppocr_mobile_v2.0_cls_arm_int8")]
    public void Int8File_MatchesPaddleFp32_WithinLitesQuantisationError(string dir)
    {
        var liteManifest = Lite(dir.Replace("_arm_", "_x86_", StringComparison.Ordinal), "reference", "manifest.json");
        using var doc = JsonDocument.Parse(File.ReadAllBytes(liteManifest));
        var root = doc.RootElement;
        var paddleRef = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(liteManifest)!, root.GetProperty("inputs_from").GetString()!));
        var model = LoadNb(Lite(dir, "model.nb"));
        using var session = new InferenceSession(model);
        foreach (var c in root.GetProperty("cases").EnumerateArray())
        {
            string name = c.GetProperty("name").GetString()!;
            double measured = c.GetProperty("max_abs_diff_vs_paddle_inference")[0].GetDouble();
            var inputs = c.GetProperty("inputs").EnumerateObject().ToDictionary(p => p.Name, p => NpyFile.Read(Path.GetFullPath(Path.Combine(Path.GetDirectoryName(liteManifest)!, p.Value.GetString()!))));
            var output = session.Run(inputs)[0];
            var expected = NpyFile.Read(Path.Combine(paddleRef, $"{name}.out.0.npy"));
            var what = $"{dir} vs Paddle fp32, case {name} (Lite's own error {measured:G3})";
            TensorAssert.Close(expected, output, measured + 1e-4, 0, what);
            AssertSameArgMax(expected, output, what);
        }
    }

    // ------------------------------------------------------------------ semantic checks

    public static TheoryData<string> TextDirectionClassifiers() =>
    [
        "opt2.13_ch_ppocr_mobile_v2.0_cls_x86/model.nb",
        "opt2.13_ch_ppocr_mobile_v2.0_cls_x86_int8/model.nb",
        "opt2.13_ch_ppocr_mobile_v2.0_cls_arm/model.nb",
        "opt2.13_ch_ppocr_mobile_v2.0_cls_arm_int8/model.nb",
        "ch_PP-OCRv4_mobile_cls_lite2.13/ch_PP-OCRv4_mobile_cls.nb",
        "ppocr_v2.0_slim_lite2.10/ch_ppocr_mobile_v2.0_cls_slim_opt.nb",
    ];

    /// <summary>Every word crop in images/ocr_words: label 0 upright, 1 when rotated 180° (PaddleOCR cls preprocessing).</summary>
    [Theory]
    [MemberData(nameof(TextDirectionClassifiers))]
    public void TextDirectionClassifier_UprightIs0_Rotated180Is1(string rel)
    {
        var model = LoadNb(Lite(rel.Split('/')));
        using var session = new InferenceSession(model);
        string input = model.Inputs[0].Name;
        var words = Directory.EnumerateFiles(SharedData.Path("models", "images", "ocr_words"), "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".jpg", StringComparison.Ordinal) || f.EndsWith(".png", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(10, words.Length);
        var failures = new List<string>();
        foreach (var file in words)
        {
            var img = ImagingImage.Decode(file);
            foreach (bool rotate in new[] { false, true })
            {
                var x = ClsInput(rotate ? Rotate180(img) : img);
                var p = session.Run(new Dictionary<string, Tensor> { [input] = x })[0].AsSpan<float>();
                int label = p[1] > p[0] ? 1 : 0;
                if (label != (rotate ? 1 : 0)) failures.Add($"{Path.GetFileName(file)}{(rotate ? " rot180" : "")}: [{p[0]:F4}, {p[1]:F4}]");
            }
        }
        Assert.True(failures.Count == 0, $"{rel}: {failures.Count}/20 wrong: {string.Join("; ", failures)}");
    }

    /// <summary>PaddleOCR predict_cls resize_norm_img, image shape 3×48×192: BGR, height 48, width ceil(48·w/h) ≤ 192, (x/255 − 0.5)/0.5, zero padding on the right.</summary>
    internal static Tensor ClsInput(ImagingImage bgr)
    {
        const int H = 48, W = 192;
        int rw = (int)Math.Min(W, Math.Ceiling(H * (bgr.Width / (double)bgr.Height)));
        var r = ImagingImage.Resize(bgr, rw, H, Interpolation.Linear);
        var data = new float[3 * H * W];
        var px = r.Pixels;
        for (int c = 0; c < 3; c++)
        {
            for (int y = 0; y < H; y++)
            {
                for (int xx = 0; xx < rw; xx++) data[(c * H + y) * W + xx] = (px[(y * rw + xx) * 3 + c] / 255f - 0.5f) / 0.5f;
            }
        }
        return Tensor.FromSpan<float>(data, [1, 3, H, W]);
    }

    internal static ImagingImage Rotate180(ImagingImage img)
    {
        int ch = img.Channels, n = img.Width * img.Height;
        var src = img.Pixels;
        var dst = new byte[src.Length];
        for (int i = 0; i < n; i++) src.Slice(i * ch, ch).CopyTo(dst.AsSpan((n - 1 - i) * ch, ch));
        return ImagingImage.FromPixels(dst, img.Width, img.Height, img.Format);
    }

    /// <summary>
    /// The slim (int8) DB detector's probability map on ocr_scene_11 (the PP-OCRv3 reference input, same DB
    /// preprocessing) covers the same text as the fp32 PP-OCRv3 detector's Paddle output: IoU ≥ 0.6 at 0.3.
    /// </summary>
    [Fact]
    public void SlimTextDetector_ProbabilityMap_CoversTheText()
    {
        var refDir = SharedData.Path("models", "det", "ch_PP-OCRv3_det", "reference");
        var x = NpyFile.Read(Path.Combine(refDir, "ocr_scene_11.in.x.npy"));
        var fp32 = NpyFile.Read(Path.Combine(refDir, "ocr_scene_11.out.0.npy"));
        var model = LoadNb(Lite("ppocr_v2.0_slim_lite2.10", "ch_ppocr_mobile_v2.0_det_slim_opt.nb"));
        using var session = new InferenceSession(model);
        var map = session.Run(new Dictionary<string, Tensor> { ["x"] = x })[0];
        Assert.Equal(fp32.Shape.ToArray(), map.Shape.ToArray());
        var a = map.AsSpan<float>();
        var b = fp32.AsSpan<float>();
        long inter = 0, union = 0, ours = 0, theirs = 0;
        for (int i = 0; i < a.Length; i++)
        {
            bool p = a[i] > 0.3f, q = b[i] > 0.3f;
            if (p && q) inter++;
            if (p || q) union++;
            if (p) ours++;
            if (q) theirs++;
        }
        double iou = (double)inter / union;
        Assert.True(theirs > 1000, $"the fp32 map has only {theirs} text pixels");
        Assert.True(iou >= 0.6, $"IoU {iou:F3} (slim {ours} px, fp32 {theirs} px, both {inter})");
    }

    /// <summary>
    /// The face detectors find the face of images/scenes/face2.jpg (64×64, one face filling most of it), with the
    /// Paddle-Lite-Demo preprocessing of both (face_tracking_demo and the PaddleHub pyramidbox_lite demo): BGR planes,
    /// (x − [104, 117, 123]) · 0.007843, at the image's own size. Output rows [label, score, x1, y1, x2, y2] in [0, 1];
    /// the demos keep scores &gt; 0.5. Expected: a face box of score &gt; 0.5 centred in the picture's middle half,
    /// 0.08–0.5 of its area (the face is about 21×27 px of 64×64), agreeing with the other detector's box (IoU ≥ 0.7).
    /// </summary>
    [Theory]
    [InlineData("face_ssd_lite0.7_twofile")]
    [InlineData("paddlehub_face_lite_old/pyramidbox_lite_for_cpu.model.nb")]
    public void FaceDetector_FindsTheFace(string rel)
    {
        var model = LoadNb(Lite(rel.Split('/')));
        using var session = new InferenceSession(model);
        var img = ImagingImage.Decode(SharedData.Path("models", "images", "scenes", "face2.jpg"));
        int h = img.Height, w = img.Width;
        var data = new float[3 * h * w];
        float[] mean = [104f, 117f, 123f];
        var px = img.Pixels;
        for (int c = 0; c < 3; c++)
        {
            for (int i = 0; i < h * w; i++) data[c * h * w + i] = (px[i * 3 + c] - mean[c]) * 0.007843f;
        }
        var outputs = session.Run(new Dictionary<string, Tensor> { [model.Inputs[0].Name] = Tensor.FromSpan<float>(data, [1, 3, h, w]) });
        var dets = outputs.Single(o => o.Shape.Length == 2 && o.Shape[1] == 6 && o.DataType == DataType.Float32).AsSpan<float>().ToArray();
        var rows = Enumerable.Range(0, dets.Length / 6).Select(r => dets.AsSpan(r * 6, 6).ToArray()).ToArray();
        var best = rows.OrderByDescending(r => r[1]).FirstOrDefault();
        var summary = string.Join("; ", rows.OrderByDescending(r => r[1]).Take(5).Select(r => $"[{string.Join(", ", r.Select(v => v.ToString("F3")))}]"));
        Assert.True(best is not null && best[1] > 0.5f, $"{rel}: no detection above 0.5: {summary}");
        float cx = (best![2] + best[4]) / 2, cy = (best[3] + best[5]) / 2, area = (best[4] - best[2]) * (best[5] - best[3]);
        Assert.True(cx is > 0.25f and < 0.75f && cy is > 0.25f and < 0.75f && area is >= 0.08f and <= 0.5f, $"{rel}: best box is not the face: {summary}");
        // the other detector (two independent networks) finds the same face
        float[] other = rel.StartsWith("face_ssd", StringComparison.Ordinal) ? [0.334f, 0.193f, 0.652f, 0.597f] : [0.322f, 0.191f, 0.651f, 0.613f];
        float iw = Math.Min(best[4], other[2]) - Math.Max(best[2], other[0]), ih = Math.Min(best[5], other[3]) - Math.Max(best[3], other[1]);
        float inter = Math.Max(0, iw) * Math.Max(0, ih);
        float iou = inter / (area + (other[2] - other[0]) * (other[3] - other[1]) - inter);
        Assert.True(iou >= 0.7f, $"{rel}: best box IoU {iou:F2} with the other face detector's box: {summary}");
    }

    private static void AssertSameArgMax(Tensor expected, Tensor actual, string what)
    {
        if (expected.Shape.Length != 2 || expected.DataType != DataType.Float32) return;
        int rows = expected.Shape[0], cols = expected.Shape[1];
        var e = expected.AsSpan<float>();
        var a = actual.AsSpan<float>();
        for (int r = 0; r < rows; r++)
        {
            int ie = 0, ia = 0;
            for (int j = 1; j < cols; j++)
            {
                if (e[r * cols + j] > e[r * cols + ie]) ie = j;
                if (a[r * cols + j] > a[r * cols + ia]) ia = j;
            }
            Assert.True(ie == ia, $"{what}: row {r} arg-max {ia}, expected {ie}");
        }
    }
}
