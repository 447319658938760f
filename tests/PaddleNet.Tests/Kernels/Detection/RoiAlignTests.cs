using PaddleNet.Tests.Support;
using static PaddleNet.Tests.Kernels.Detection.DetectionHarness;

namespace PaddleNet.Tests.Kernels.Detection;

/// <summary>
/// roi_align against test_roi_align_op.py's numpy calc_roi_align / pre_calc (evaluated in double). The oracle loops
/// "for ph in range(pooled_width)"; the port loops ph over pooled_height so that non-square outputs are checked too.
/// </summary>
public sealed class RoiAlignTests
{
    private static float[] Oracle(float[] x, int c, int h, int w, float[] rois, int[] batchOf, int ph, int pw, double scale, int sampling, bool aligned)
    {
        int r = batchOf.Length;
        var o = new float[r * c * ph * pw];
        double off = aligned ? 0.5 : 0;
        for (int i = 0; i < r; i++)
        {
            double xmin = rois[i * 4] * scale - off, ymin = rois[i * 4 + 1] * scale - off;
            double rw = rois[i * 4 + 2] * scale - off - xmin, rh = rois[i * 4 + 3] * scale - off - ymin;
            if (!aligned) { rw = Math.Max(rw, 1); rh = Math.Max(rh, 1); }
            double binH = rh / ph, binW = rw / pw;
            int gh = sampling > 0 ? sampling : (int)Math.Ceiling(rh / ph), gw = sampling > 0 ? sampling : (int)Math.Ceiling(rw / pw);
            int count = Math.Max(gh * gw, 1);
            for (int ch = 0; ch < c; ch++)
            {
                double V(int yy, int xx) => x[((batchOf[i] * c + ch) * h + yy) * w + xx];
                for (int py = 0; py < ph; py++)
                {
                    for (int px = 0; px < pw; px++)
                    {
                        double sum = 0;
                        for (int iy = 0; iy < gh; iy++)
                        {
                            double y = ymin + py * binH + (iy + 0.5) * binH / gh;
                            for (int ix = 0; ix < gw; ix++)
                            {
                                double xx = xmin + px * binW + (ix + 0.5) * binW / gw;
                                double yy = y;
                                if (yy < -1 || yy > h || xx < -1 || xx > w) continue;
                                if (yy <= 0) yy = 0;
                                if (xx <= 0) xx = 0;
                                int yl = (int)yy, xl = (int)xx, yh, xh;
                                if (yl >= h - 1) { yh = yl = h - 1; yy = yl; } else yh = yl + 1;
                                if (xl >= w - 1) { xh = xl = w - 1; xx = xl; } else xh = xl + 1;
                                double ly = yy - yl, lx = xx - xl, hy = 1 - ly, hx = 1 - lx;
                                sum += hy * hx * V(yl, xl) + hy * lx * V(yl, xh) + ly * hx * V(yh, xl) + ly * lx * V(yh, xh);
                            }
                        }
                        o[((i * c + ch) * ph + py) * pw + px] = (float)(sum / count);
                    }
                }
            }
        }
        return o;
    }

    [Theory]
    [InlineData(2, 2, -1, false, 0.5)]   // TestROIAlignOp
    [InlineData(2, 2, -1, true, 0.5)]    // TestROIAlignOpWithAligned
    [InlineData(7, 7, 2, false, 0.25)]   // the FPN R-CNN's form
    [InlineData(3, 5, 0, false, 1.0)]    // non-square, adaptive sampling
    [InlineData(2, 3, 3, true, 0.5)]
    public void Out_MatchesNumpyOracle(int ph, int pw, int sampling, bool aligned, double scale)
    {
        var rng = new Random(5 + ph * 10 + pw);
        int n = 3, c = 3, h = 8, w = 6;
        var x = Enumerable.Range(0, n * c * h * w).Select(_ => (float)rng.NextDouble()).ToArray();
        // make_rois: image b has b+1 RoIs with integer corners; two extra RoIs reach past the map
        var rois = new List<float>();
        var batchOf = new List<int>();
        for (int b = 0; b < n; b++)
        {
            for (int i = 0; i <= b; i++)
            {
                int x1 = rng.Next(0, (int)(w / scale) - 1), y1 = rng.Next(0, (int)(h / scale) - 1);
                int x2 = rng.Next(x1 + 1, (int)(w / scale) + 1), y2 = rng.Next(y1 + 1, (int)(h / scale) + 1);
                rois.AddRange([x1, y1, x2, y2]);
                batchOf.Add(b);
            }
        }
        rois.AddRange([-3 / (float)scale, -5 / (float)scale, (w + 3) / (float)scale, (h + 4) / (float)scale]);
        batchOf.Add(n - 1);
        var counts = new[] { 1, 2, 4 };
        var r = Run("roi_align", new() { ["pooled_height"] = ph, ["pooled_width"] = pw, ["spatial_scale"] = scale, ["sampling_ratio"] = sampling, ["aligned"] = aligned },
            new() { ["X"] = F(x, n, c, h, w), ["ROIs"] = F(rois.ToArray(), batchOf.Count, 4), ["RoisNum"] = I(counts, n) }, ["Out"]);
        var expected = Oracle(x, c, h, w, rois.ToArray(), batchOf.ToArray(), ph, pw, scale, sampling, aligned);
        TensorAssert.Close(F(expected, batchOf.Count, c, ph, pw), r["Out"], OracleTolerances.Abs, OracleTolerances.Rel, $"roi_align {ph}x{pw} s{sampling} aligned={aligned}");
    }

    [Fact]
    public void Int64RoisNum_AndNoRoisNumForOneImage_Agree()
    {
        var rng = new Random(3);
        var x = Enumerable.Range(0, 2 * 5 * 5).Select(_ => (float)rng.NextDouble()).ToArray();
        var rois = F([0, 0, 3, 3, 1, 1, 4, 2], 2, 4);
        var a = Run("roi_align", new() { ["pooled_height"] = 2, ["pooled_width"] = 2 }, new() { ["X"] = F(x, 1, 2, 5, 5), ["ROIs"] = rois }, ["Out"])["Out"];
        var b = Run("roi_align", new() { ["pooled_height"] = 2, ["pooled_width"] = 2 },
            new() { ["X"] = F(x, 1, 2, 5, 5), ["ROIs"] = rois, ["RoisNum"] = Tensor.FromSpan<long>([2L], [1]) }, ["Out"])["Out"];
        Assert.Equal(a.AsSpan<float>().ToArray(), b.AsSpan<float>().ToArray());
        var expected = Oracle(x, 2, 5, 5, [0, 0, 3, 3, 1, 1, 4, 2], [0, 0], 2, 2, 1, -1, false);
        TensorAssert.Close(F(expected, 2, 2, 2, 2), a, OracleTolerances.Abs, OracleTolerances.Rel, "roi_align one image");
    }

    [Fact]
    public void BatchOfTwo_WithoutCounts_TypedError()
    {
        var e = Assert.Throws<ShapeMismatchException>(() => Run("roi_align", new(), new() { ["X"] = F(new float[8], 2, 1, 2, 2), ["ROIs"] = F([0, 0, 1, 1], 1, 4) }, ["Out"]));
        Assert.Contains("RoisNum", e.Message);
        var e2 = Assert.Throws<ShapeMismatchException>(() => Run("roi_align", new(),
            new() { ["X"] = F(new float[8], 2, 1, 2, 2), ["ROIs"] = F([0, 0, 1, 1], 1, 4), ["RoisNum"] = I([1, 1], 2) }, ["Out"]));
        Assert.Contains("summing to 1", e2.Message);
        Assert.Throws<UnsupportedOperatorException>(() => Run("roi_align", new() { ["pooled_height"] = 0 }, new() { ["X"] = F(new float[4], 1, 1, 2, 2), ["ROIs"] = F([0, 0, 1, 1], 1, 4) }, ["Out"]));
    }
}
