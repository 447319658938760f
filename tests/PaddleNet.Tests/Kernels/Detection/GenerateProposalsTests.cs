using PaddleNet.Tests.Support;
using static PaddleNet.Tests.Kernels.Detection.DetectionHarness;

namespace PaddleNet.Tests.Kernels.Detection;

/// <summary>
/// generate_proposals (v1: ImInfo h, w, scale) and generate_proposals_v2 (ImShape h, w; pixel_offset) against
/// test_generate_proposals_op.py / test_generate_proposals_v2_op.py's numpy generate_proposals_in_python
/// (box_coder, clip_tiled_boxes, filter_boxes, nms), evaluated in double. The oracle's centre test is strict (&lt;)
/// where Paddle's C++ FilterBoxes uses &lt;=; the port follows the C++ (they differ only for a centre exactly on the
/// border, which random data never hits).
/// </summary>
public sealed class GenerateProposalsTests
{
    private sealed record Case(int N, int A, int H, int W, int Pre, int Post, double Nms, double MinSize, double Eta, bool V2, bool PixelOffset);

    private static (float[] Rois, float[] Probs, int[] Counts) Oracle(Case c, float[] scores, float[] deltas, float[] im, float[] anchors, float[] vars)
    {
        int m = c.A * c.H * c.W, cols = c.V2 ? 2 : 3;
        double off = c.PixelOffset ? 1 : 0;
        var rois = new List<float>();
        var probs = new List<float>();
        var counts = new int[c.N];
        for (int i = 0; i < c.N; i++)
        {
            var s = new double[m];
            for (int y = 0; y < c.H; y++)
                for (int x = 0; x < c.W; x++)
                    for (int k = 0; k < c.A; k++) s[(y * c.W + x) * c.A + k] = scores[((i * c.A + k) * c.H + y) * c.W + x];
            var order = Enumerable.Range(0, m).OrderByDescending(k => s[k]).ToArray(); // LINQ's sort is stable (mergesort)
            if (!(c.Pre <= 0 || c.Pre >= m)) order = order[..c.Pre];
            double imH = im[i * cols], imW = im[i * cols + 1], scale = c.V2 ? 1 : im[i * cols + 2];
            var boxes = new List<double[]>();
            var sc = new List<double>();
            foreach (int k in order)
            {
                int y = k / c.A / c.W, x = k / c.A % c.W, an = k % c.A;
                double D(int j) => deltas[((i * 4 * c.A + an * 4 + j) * c.H + y) * c.W + x];
                double aw = anchors[k * 4 + 2] - anchors[k * 4] + off, ah = anchors[k * 4 + 3] - anchors[k * 4 + 1] + off;
                double acx = anchors[k * 4] + 0.5 * aw, acy = anchors[k * 4 + 1] + 0.5 * ah;
                double cx = vars[k * 4] * D(0) * aw + acx, cy = vars[k * 4 + 1] * D(1) * ah + acy;
                double bw = Math.Exp(Math.Min(vars[k * 4 + 2] * D(2), Math.Log(1000 / 16.0))) * aw;
                double bh = Math.Exp(Math.Min(vars[k * 4 + 3] * D(3), Math.Log(1000 / 16.0))) * ah;
                double[] b = [cx - bw / 2, cy - bh / 2, cx + bw / 2 - off, cy + bh / 2 - off];
                b[0] = Math.Max(Math.Min(b[0], imW - off), 0); b[2] = Math.Max(Math.Min(b[2], imW - off), 0);
                b[1] = Math.Max(Math.Min(b[1], imH - off), 0); b[3] = Math.Max(Math.Min(b[3], imH - off), 0);
                double min = Math.Max(c.MinSize, 1.0);
                double ws = b[2] - b[0] + off, hs = b[3] - b[1] + off;
                bool keep;
                if (c.PixelOffset)
                {
                    double xc = b[0] + ws / 2, yc = b[1] + hs / 2;
                    if (!c.V2) { ws = (b[2] - b[0]) / scale + 1; hs = (b[3] - b[1]) / scale + 1; }
                    keep = ws >= min && hs >= min && xc <= imW && yc <= imH;
                }
                else keep = ws >= min && hs >= min;
                if (!keep) continue;
                boxes.Add(b);
                sc.Add(s[k]);
            }
            if (boxes.Count == 0)
            {
                boxes.Add([0, 0, 0, 0]);
                sc.Add(0);
            }
            else if (c.Nms > 0)
            {
                var sorted = Enumerable.Range(0, boxes.Count).OrderByDescending(j => sc[j]).ToArray();
                var selected = new List<int>();
                double adaptive = c.Nms;
                foreach (int j in sorted)
                {
                    bool keep = selected.All(q => Iou(boxes[j], boxes[q], off) <= adaptive);
                    if (keep) selected.Add(j);
                    if (keep && c.Eta < 1 && adaptive > 0.5) adaptive *= c.Eta;
                }
                if (c.Post > 0 && c.Post < selected.Count) selected = selected[..c.Post];
                boxes = selected.Select(j => boxes[j]).ToList();
                sc = selected.Select(j => sc[j]).ToList();
            }
            counts[i] = boxes.Count;
            foreach (var b in boxes) rois.AddRange(b.Select(v => (float)v));
            probs.AddRange(sc.Select(v => (float)v));
        }
        return (rois.ToArray(), probs.ToArray(), counts);
    }

    private static double Iou(double[] a, double[] b, double off)
    {
        double areaA = (a[3] - a[1] + off) * (a[2] - a[0] + off), areaB = (b[3] - b[1] + off) * (b[2] - b[0] + off);
        double iw = Math.Max(Math.Min(a[2], b[2]) - Math.Max(a[0], b[0]) + off, 0), ih = Math.Max(Math.Min(a[3], b[3]) - Math.Max(a[1], b[1]) + off, 0);
        double inter = iw * ih;
        return inter / (areaA + areaB - inter);
    }

    public static TheoryData<int> Cases() => new(Enumerable.Range(0, AllCases.Length));

    private static readonly Case[] AllCases =
    [
        new(1, 4, 16, 16, 12000, 5000, 0.7, 3, 1, false, true),   // TestGenerateProposalsOp
        new(2, 4, 16, 16, 12000, 5000, 0.7, 3, 1, false, true),   // two images: RpnRoisNum
        new(1, 4, 16, 16, 12000, 5000, 0.7, 1000, 1, false, true), // NoBoxLeft: one zero box
        new(2, 4, 8, 9, 100, 30, 0.6, 2, 0.9, false, true),        // pre_nms_topN cut, post cut, adaptive eta
        new(2, 4, 16, 16, 2000, 1000, 0.5, 0.1, 1, true, true),    // v2 ImShape
        new(1, 4, 8, 8, 2000, 1000, 0.5, 0.1, 1, true, false),     // v2 pixel_offset = false
        new(1, 4, 6, 6, 50, 10, 0, 1, 1, false, true),             // nms_thresh 0: filtered boxes in score order, no cut
    ];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Proposals_MatchNumpyOracle(int caseIndex)
    {
        var c = AllCases[caseIndex];
        var rng = new Random(7 + caseIndex);
        double[] sizes = [16, 32], ratios = [0.5, 1];
        var (anchors, vars) = AnchorGeneratorTests.Oracle(c.H, c.W, sizes, ratios, [1, 1, 1, 1], [16, 16], 0.5);
        var scores = Enumerable.Range(0, c.N * c.A * c.H * c.W).Select(_ => (float)rng.NextDouble()).ToArray();
        var deltas = Enumerable.Range(0, c.N * 4 * c.A * c.H * c.W).Select(_ => (float)rng.NextDouble()).ToArray();
        int cols = c.V2 ? 2 : 3;
        var im = new float[c.N * cols];
        for (int i = 0; i < c.N; i++)
        {
            im[i * cols] = 64 + 16 * i;
            im[i * cols + 1] = 64;
            if (!c.V2) im[i * cols + 2] = 8;
        }
        var attrs = new Dictionary<string, object>
        {
            ["pre_nms_topN"] = c.Pre, ["post_nms_topN"] = c.Post, ["nms_thresh"] = c.Nms, ["min_size"] = c.MinSize, ["eta"] = c.Eta,
        };
        if (c.V2) attrs["pixel_offset"] = c.PixelOffset;
        var r = Run(c.V2 ? "generate_proposals_v2" : "generate_proposals", attrs, new()
        {
            ["Scores"] = F(scores, c.N, c.A, c.H, c.W), ["BboxDeltas"] = F(deltas, c.N, 4 * c.A, c.H, c.W),
            [c.V2 ? "ImShape" : "ImInfo"] = F(im, c.N, cols), ["Anchors"] = F(anchors, c.H, c.W, c.A, 4), ["Variances"] = F(vars, c.H, c.W, c.A, 4),
        }, ["RpnRois", "RpnRoiProbs", "RpnRoisNum"]);
        var (rois, probs, counts) = Oracle(c, scores, deltas, im, anchors, vars);
        Assert.Equal(counts, r["RpnRoisNum"].AsSpan<int>().ToArray());
        Assert.True(counts.Sum() > 1 || c.MinSize >= 1000, "the case should keep several proposals");
        TensorAssert.Close(F(rois, rois.Length / 4, 4), r["RpnRois"], OracleTolerances.Abs, OracleTolerances.Rel, "RpnRois");
        Assert.Equal(probs, r["RpnRoiProbs"].AsSpan<float>().ToArray());
        Assert.Equal([probs.Length, 1], r["RpnRoiProbs"].Shape.ToArray());
    }

    [Fact]
    public void MismatchedDeltas_TypedError()
    {
        var e = Assert.Throws<ShapeMismatchException>(() => Run("generate_proposals", new(), new()
        {
            ["Scores"] = F(new float[4], 1, 1, 2, 2), ["BboxDeltas"] = F(new float[8], 1, 2, 2, 2), ["ImInfo"] = F([4, 4, 1], 1, 3),
            ["Anchors"] = F(new float[16], 2, 2, 1, 4), ["Variances"] = F(new float[16], 2, 2, 1, 4),
        }, ["RpnRois", "RpnRoiProbs"]));
        Assert.Contains("BboxDeltas", e.Message);
    }
}
