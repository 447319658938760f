using PaddleNet.Tests.Kernels.Shape;
using PaddleNet.Tests.Support;

namespace PaddleNet.Tests.Kernels.Resize;

/// <summary>grid_sampler against test_grid_sampler_op.py's numpy GridSampler (unnormalizeAndClip + four-corner blend).</summary>
public sealed class GridSamplerTests
{
    private static double Unnormalize(double g, int max, bool align, string padding)
    {
        double v = align ? 0.5 * ((g + 1) * max) : 0.5 * ((g + 1) * (max + 1)) - 0.5;
        if (padding == "border") v = Math.Min(Math.Max(v, 0), max);
        else if (padding == "reflection")
        {
            double range = align ? 2 * max : (max + 1) * 2;
            double abs = align ? Math.Abs(v) : Math.Abs(v + 0.5);
            double extra = abs - Math.Floor(abs / range) * range;
            v = Math.Min(extra, range - extra);
            if (!align) v = Math.Min(Math.Max(v - 0.5, 0), max);
        }
        return v;
    }

    private static double Value(float[] x, int n, int c, int ch, int h, int w, long ix, long iy) =>
        iy < 0 || iy > h - 1 || ix < 0 || ix > w - 1 ? 0 : x[((n * c + ch) * h + iy) * w + ix];

    [Theory]
    [InlineData(true, "zeros", "bilinear")]
    [InlineData(false, "zeros", "bilinear")]
    [InlineData(false, "border", "bilinear")]
    [InlineData(false, "reflection", "bilinear")]
    [InlineData(true, "reflection", "bilinear")]
    [InlineData(false, "reflection", "nearest")]
    [InlineData(true, "zeros", "nearest")]
    public void Forward_MatchesNumpyOracle(bool align, string padding, string mode)
    {
        var rng = new Random(11);
        int n = 2, c = 3, h = 5, w = 6, ho = 8, wo = 9;
        var x = OpHarness.Floats(rng, n, c, h, w);
        var gridData = Enumerable.Range(0, n * ho * wo * 2).Select(_ => (float)(rng.NextDouble() * 2.6 - 1.3)).ToArray();
        var grid = Tensor.FromSpan<float>(gridData, [n, ho, wo, 2]);
        var y = new OpHarness("grid_sampler").Input("X", x).Input("Grid", grid).Output("Output")
            .Attr("align_corners", align).Attr("padding_mode", padding).Attr("mode", mode).Run1("Output");
        var xs = x.AsSpan<float>().ToArray();
        var expected = new float[n * c * ho * wo];
        for (int b = 0; b < n; b++)
        {
            for (int p = 0; p < ho * wo; p++)
            {
                double gx = Unnormalize(gridData[(b * ho * wo + p) * 2], w - 1, align, padding);
                double gy = Unnormalize(gridData[(b * ho * wo + p) * 2 + 1], h - 1, align, padding);
                for (int ch = 0; ch < c; ch++)
                {
                    double v;
                    if (mode == "nearest")
                    {
                        v = Value(xs, b, c, ch, h, w, (long)Math.Round(gx), (long)Math.Round(gy)); // np.round; no exact halves in this data
                    }
                    else
                    {
                        long x0 = (long)Math.Floor(gx), y0 = (long)Math.Floor(gy), x1 = x0 + 1, y1 = y0 + 1;
                        v = (x1 - gx) * (y1 - gy) * Value(xs, b, c, ch, h, w, x0, y0) + (x1 - gx) * (gy - y0) * Value(xs, b, c, ch, h, w, x0, y1)
                            + (gx - x0) * (y1 - gy) * Value(xs, b, c, ch, h, w, x1, y0) + (gx - x0) * (gy - y0) * Value(xs, b, c, ch, h, w, x1, y1);
                    }
                    expected[(b * c + ch) * ho * wo + p] = (float)v;
                }
            }
        }
        TensorAssert.Close(Tensor.FromSpan<float>(expected, [n, c, ho, wo]), y, OracleTolerances.Abs, OracleTolerances.Rel, $"grid_sampler {mode}/{padding}/{align}");
    }

    [Fact]
    public void Nearest_ExactHalf_RoundsAwayFromZero_AsEigen()
    {
        // Paddle's CPU kernel rounds with Eigen's round() (half away from zero); x = 2.5 picks column 3.
        var x = Tensor.FromSpan<float>([0, 1, 2, 3, 4, 5], [1, 1, 1, 6]);
        // align_corners=false, W=6: g=0 -> ((0+1)*6-1)/2 = 2.5
        var grid = Tensor.FromSpan<float>([0f, 0f], [1, 1, 1, 2]);
        var y = new OpHarness("grid_sampler").Input("X", x).Input("Grid", grid).Output("Output").Attr("align_corners", false).Attr("mode", "nearest").Run1("Output");
        Assert.Equal(3f, y.AsSpan<float>()[0]);
    }

    [Fact]
    public void AffineChannel_ScalesAndShiftsPerChannel()
    {
        var rng = new Random(2);
        var x = OpHarness.Floats(rng, 2, 3, 4, 5);
        var scale = Tensor.FromSpan<float>([0.5f, -2f, 3f], [3]);
        var bias = Tensor.FromSpan<float>([1f, 0f, -1f], [3]);
        var y = new OpHarness("affine_channel").Input("X", x).Input("Scale", scale).Input("Bias", bias).Output("Out").Run1();
        var xs = x.AsSpan<float>();
        var ys = y.AsSpan<float>();
        for (int i = 0; i < xs.Length; i++)
        {
            int ch = i / 20 % 3;
            Assert.Equal(xs[i] * scale.AsSpan<float>()[ch] + bias.AsSpan<float>()[ch], ys[i]);
        }
        var nhwc = new OpHarness("affine_channel").Input("X", OpHarness.Floats(rng, 2, 4, 3)).Input("Scale", scale).Input("Bias", bias).Output("Out").Attr("data_layout", "NHWC").Run1();
        Assert.Equal(new[] { 2, 4, 3 }, nhwc.Shape.ToArray());
    }
}
