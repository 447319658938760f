using PaddleNet.Kernels.Detection;
using static PaddleNet.Tests.Kernels.Detection.DetectionHarness;

namespace PaddleNet.Tests.Kernels.Detection;

/// <summary>multiclass_nms3 / multiclass_nms on hand-made inputs: keep_top_k across classes, background, empty results, the LoD form.</summary>
public sealed class MulticlassNmsTests
{
    // three disjoint unit boxes: no suppression, so only thresholds and top-k decide
    private static readonly float[] Boxes = [0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5];

    // class 0: b0 .9, b1 .2, b2 .6; class 1: b0 .3, b1 .8, b2 .7
    private static readonly float[] Scores = [0.9f, 0.2f, 0.6f, 0.3f, 0.8f, 0.7f];

    private static Dictionary<string, object> Attrs(float scoreThreshold, int keepTopK, int background = -1) => new()
    {
        ["score_threshold"] = scoreThreshold,
        ["nms_top_k"] = -1,
        ["keep_top_k"] = keepTopK,
        ["nms_threshold"] = 0.5f,
        ["nms_eta"] = 1.0f,
        ["normalized"] = true,
        ["background_label"] = background,
    };

    private static Dictionary<string, Tensor> RunV3(Dictionary<string, object> attrs, Tensor boxes, Tensor scores, Tensor? roisNum = null) =>
        Run("multiclass_nms3", attrs, new() { ["BBoxes"] = boxes, ["Scores"] = scores, ["RoisNum"] = roisNum }, ["Out", "Index", "NmsRoisNum"]);

    [Fact]
    public void Execute_KeepTopKAcrossClasses_BestScoresGroupedByClass()
    {
        // candidates (> .25): c0 b0 .9, c0 b2 .6, c1 b1 .8, c1 b2 .7, c1 b0 .3 → top 3 = .9, .8, .7
        var r = RunV3(Attrs(0.25f, 3), F(Boxes, 1, 3, 4), F(Scores, 1, 2, 3));
        Assert.Equal([3, 6], r["Out"].Shape.ToArray());
        float[] expected = [0, 0.9f, 0, 0, 1, 1, 1, 0.8f, 2, 2, 3, 3, 1, 0.7f, 4, 4, 5, 5];
        Assert.Equal(expected, r["Out"].AsSpan<float>().ToArray());
        Assert.Equal([0, 1, 2], r["Index"].AsSpan<int>().ToArray());
        Assert.Equal([3, 1], r["Index"].Shape.ToArray());
        Assert.Equal([3], r["NmsRoisNum"].AsSpan<int>().ToArray());
    }

    [Fact]
    public void Execute_BackgroundLabel_ClassSkipped()
    {
        var r = RunV3(Attrs(0.25f, 3, background: 0), F(Boxes, 1, 3, 4), F(Scores, 1, 2, 3));
        float[] expected = [1, 0.8f, 2, 2, 3, 3, 1, 0.7f, 4, 4, 5, 5, 1, 0.3f, 0, 0, 1, 1];
        Assert.Equal(expected, r["Out"].AsSpan<float>().ToArray());
        Assert.Equal([1, 2, 0], r["Index"].AsSpan<int>().ToArray());
    }

    [Fact]
    public void Execute_TwoImages_IndexOffsetByImageTimesM()
    {
        var boxes = F([.. Boxes, .. Boxes], 2, 3, 4);
        float[] s2 = [0.1f, 0.1f, 0.95f, 0.1f, 0.1f, 0.1f];
        var r = RunV3(Attrs(0.5f, -1), boxes, F([.. Scores, .. s2], 2, 2, 3));
        // image 0: c0 b0 .9, b2 .6; c1 b1 .8, b2 .7 — image 1: c0 b2 .95 → index 1·3 + 2
        Assert.Equal([0, 2, 1, 2, 5], r["Index"].AsSpan<int>().ToArray());
        Assert.Equal([4, 1], r["NmsRoisNum"].AsSpan<int>().ToArray());
        Assert.Equal(0.95f, r["Out"].AsSpan<float>()[4 * 6 + 1]);
    }

    [Fact]
    public void Execute_NothingAboveThreshold_V3EmptyRows()
    {
        var r = RunV3(Attrs(0.95f, 3), F(Boxes, 1, 3, 4), F(Scores, 1, 2, 3));
        Assert.Equal([0, 6], r["Out"].Shape.ToArray());
        Assert.Equal([0, 1], r["Index"].Shape.ToArray());
        Assert.Equal([0], r["NmsRoisNum"].AsSpan<int>().ToArray());
    }

    [Fact]
    public void Execute_NothingAboveThreshold_V1SingleMinusOne()
    {
        var r = Run("multiclass_nms", Attrs(0.95f, 3), new() { ["BBoxes"] = F(Boxes, 1, 3, 4), ["Scores"] = F(Scores, 1, 2, 3) }, ["Out"]);
        Assert.Equal([1, 1], r["Out"].Shape.ToArray());
        Assert.Equal(-1f, r["Out"].AsSpan<float>()[0]);
    }

    [Fact]
    public void Execute_V1_SameRowsAsV3()
    {
        var v1 = Run("multiclass_nms", Attrs(0.25f, 3), new() { ["BBoxes"] = F(Boxes, 1, 3, 4), ["Scores"] = F(Scores, 1, 2, 3) }, ["Out"]);
        var v3 = RunV3(Attrs(0.25f, 3), F(Boxes, 1, 3, 4), F(Scores, 1, 2, 3));
        Assert.Equal(v3["Out"].AsSpan<float>().ToArray(), v1["Out"].AsSpan<float>().ToArray());
    }

    [Fact]
    public void Execute_Suppression_LowerOverlappingBoxDropped()
    {
        // b1 overlaps b0 with IoU 90/110 > 0.5 in class 0
        float[] boxes = [0, 0, 10, 10, 1, 0, 11, 10];
        var r = RunV3(Attrs(0.1f, -1), F(boxes, 1, 2, 4), F([0.8f, 0.9f], 1, 1, 2));
        Assert.Equal([1], r["Index"].AsSpan<int>().ToArray());
        Assert.Equal([0, 0.9f, 1, 0, 11, 10], r["Out"].AsSpan<float>().ToArray());
    }

    [Fact]
    public void Execute_LodFormWithRoisNum_PerImageRowsAndClassBoxes()
    {
        // 3 rows, 2 classes; box of (row r, class c) = [10r + c, 0, 10r + c + 1, 1]; images = rows {0} and {1, 2}
        var boxes = new float[3 * 2 * 4];
        for (int r = 0; r < 3; r++)
        {
            for (int c = 0; c < 2; c++)
            {
                float x = 10 * r + c;
                boxes.AsSpan((r * 2 + c) * 4, 4).CopyTo(boxes.AsSpan((r * 2 + c) * 4));
                boxes[(r * 2 + c) * 4] = x; boxes[(r * 2 + c) * 4 + 1] = 0; boxes[(r * 2 + c) * 4 + 2] = x + 1; boxes[(r * 2 + c) * 4 + 3] = 1;
            }
        }
        float[] scores = [0.1f, 0.9f, 0.8f, 0.3f, 0.05f, 0.6f];
        var r3 = RunV3(Attrs(0.2f, -1), F(boxes, 3, 2, 4), F(scores, 3, 2), I([1, 2], 2));
        float[] expected = [1, 0.9f, 1, 0, 2, 1, 0, 0.8f, 10, 0, 11, 1, 1, 0.6f, 21, 0, 22, 1, 1, 0.3f, 11, 0, 12, 1];
        Assert.Equal(expected, r3["Out"].AsSpan<float>().ToArray());
        Assert.Equal([0, 1, 2, 1], r3["Index"].AsSpan<int>().ToArray());
        Assert.Equal([1, 3], r3["NmsRoisNum"].AsSpan<int>().ToArray());
    }
}

/// <summary>multiclass_nms3 on random crowded scenes: the (class-parallel) kernel against a naive LINQ transcription of phi's algorithm.</summary>
public sealed class MulticlassNmsDifferentialTests
{
    private static (float[] Boxes, float[] Scores) Scene(Random rng, int n, int c, int m)
    {
        var boxes = new float[n * m * 4];
        for (int i = 0; i < n * m; i++)
        {
            float x = (float)rng.NextDouble() * 50, y = (float)rng.NextDouble() * 50;
            boxes[i * 4] = x; boxes[i * 4 + 1] = y;
            boxes[i * 4 + 2] = x + 2 + (float)rng.NextDouble() * 20; boxes[i * 4 + 3] = y + 2 + (float)rng.NextDouble() * 20;
        }
        var scores = new float[n * c * m];
        // coarse scores (multiples of 1/64) make plenty of ties
        for (int i = 0; i < scores.Length; i++) scores[i] = rng.Next(64) / 64f;
        return (boxes, scores);
    }

    private static List<float[]> Naive(float[] boxes, float[] scores, int n, int c, int m, float thr, int nmsTopK, int keepTopK, float nmsThr, float eta, bool normalized, int background)
    {
        var rows = new List<float[]>();
        for (int i = 0; i < n; i++)
        {
            var perClass = new List<(int Label, int Idx)>[c];
            for (int cl = 0; cl < c; cl++)
            {
                perClass[cl] = [];
                if (cl == background) continue;
                var cand = Enumerable.Range(0, m).Where(b => scores[(i * c + cl) * m + b] > thr).OrderByDescending(b => scores[(i * c + cl) * m + b]).ToList();
                if (nmsTopK > -1 && cand.Count > nmsTopK) cand = cand.Take(nmsTopK).ToList();
                float adaptive = nmsThr;
                foreach (int b in cand)
                {
                    bool keep = perClass[cl].All(k => NmsCore.IoU(boxes.AsSpan((i * m + b) * 4, 4), boxes.AsSpan((i * m + k.Idx) * 4, 4), normalized) <= adaptive);
                    if (keep) perClass[cl].Add((cl, b));
                    if (keep && eta < 1 && adaptive > 0.5f) adaptive *= eta;
                }
            }
            var all = perClass.SelectMany(p => p).ToList();
            if (keepTopK > -1 && all.Count > keepTopK)
            {
                var top = all.OrderByDescending(p => scores[(i * c + p.Label) * m + p.Idx]).Take(keepTopK).ToList();
                all = top.OrderBy(p => p.Label).ToList(); // stable: score order within a class
            }
            foreach (var (label, idx) in all)
            {
                rows.Add([label, scores[(i * c + label) * m + idx], .. boxes.AsSpan((i * m + idx) * 4, 4).ToArray(), i * m + idx]);
            }
        }
        return rows;
    }

    [Theory]
    [InlineData(1, 13, 700, 0.3f, 1000, 100, 0.45f, 1.0f, true, 13)]
    [InlineData(2, 5, 2000, 0.5f, 300, 50, 0.6f, 0.9f, true, -1)]
    [InlineData(1, 3, 9, 0.1f, -1, -1, 0.3f, 1.0f, false, 0)]
    [InlineData(3, 17, 33, 0.0f, 7, 17, 0.7f, 0.8f, false, 2)]
    public void Execute_RandomScenes_MatchesNaiveForAnyThreadCount(int n, int c, int m, float thr, int nmsTopK, int keepTopK, float nmsThr, float eta, bool normalized, int background)
    {
        var (boxes, scores) = Scene(new Random(42), n, c, m);
        var attrs = new Dictionary<string, object>
        {
            ["score_threshold"] = thr, ["nms_top_k"] = nmsTopK, ["keep_top_k"] = keepTopK, ["nms_threshold"] = nmsThr,
            ["nms_eta"] = eta, ["normalized"] = normalized, ["background_label"] = background,
        };
        var expected = Naive(boxes, scores, n, c, m, thr, nmsTopK, keepTopK, nmsThr, eta, normalized, background);
        Assert.NotEmpty(expected);
        foreach (int threads in new[] { 1, 3 })
        {
            var r = DetectionHarness.Run("multiclass_nms3", attrs,
                new() { ["BBoxes"] = DetectionHarness.F(boxes, n, m, 4), ["Scores"] = DetectionHarness.F(scores, n, c, m), ["RoisNum"] = null },
                ["Out", "Index", "NmsRoisNum"], threads);
            var o = r["Out"].AsSpan<float>().ToArray();
            var index = r["Index"].AsSpan<int>().ToArray();
            Assert.Equal(expected.Count, index.Length);
            for (int k = 0; k < expected.Count; k++)
            {
                Assert.Equal(expected[k][..6], o[(k * 6)..(k * 6 + 6)]);
                Assert.Equal((int)expected[k][6], index[k]);
            }
            Assert.Equal(expected.Count, r["NmsRoisNum"].AsSpan<int>().ToArray().Sum());
        }
    }
}
