using PaddleNet.Tests.Kernels.Shape;
using PaddleNet.Tests.Support;

namespace PaddleNet.Tests.Kernels.Resize;

/// <summary>linear_interp_v2 and trilinear_interp_v2 against test_{linear,trilinear}_interp_v2_op.py's numpy forwards.</summary>
public sealed class LinearNdInterpTests
{
    /// <summary>The numpy oracle's per-dim source index and lambda (align_corners / align_mode / ratio rules).</summary>
    private static (int Lo, int Hi, double L1) Src(int o, int inSize, int outSize, bool align, int mode, double? scale)
    {
        double ratio = outSize <= 1 ? 0 : align ? (inSize - 1.0) / (outSize - 1.0) : scale is double s ? (float)(1.0 / s) : (float)inSize / outSize;
        ratio = (float)ratio;
        int lo;
        double l1;
        if (mode == 0 && !align)
        {
            double idx = ratio * (o + 0.5) - 0.5;
            lo = Math.Max((int)idx, 0);
            l1 = Math.Max(idx, 0) - lo;
        }
        else
        {
            lo = (int)(ratio * o);
            l1 = ratio * o - lo;
        }
        int hi = lo < inSize - 1 ? lo + 1 : lo;
        return (Math.Min(lo, inSize - 1), Math.Min(hi, inSize - 1), l1);
    }

    [Theory]
    [InlineData(true, 1, 0)]
    [InlineData(false, 0, 0)]
    [InlineData(false, 1, 0)]
    [InlineData(false, 0, 1.7)]
    public void Trilinear_MatchesNumpyForward(bool align, int mode, double scale)
    {
        var rng = new Random(3);
        int[] ins = [3, 4, 5];
        var x = OpHarness.Floats(rng, 2, 3, ins[0], ins[1], ins[2]);
        var h = new OpHarness("trilinear_interp_v2").Input("X", x).Output("Out").Attr("align_corners", align).Attr("align_mode", (long)mode).Attr("data_layout", "NCDHW");
        int[] outs = scale > 0 ? ins.Select(v => (int)(v * scale)).ToArray() : [5, 3, 8];
        if (scale > 0) h.Attr("scale", new[] { scale, scale, scale });
        else h.Attr("out_d", 5L).Attr("out_h", 3L).Attr("out_w", 8L);
        var y = h.Run1();
        Assert.Equal(new[] { 2, 3, outs[0], outs[1], outs[2] }, y.Shape.ToArray());
        var xv = x.AsSpan<float>().ToArray();
        var expected = new float[6 * outs[0] * outs[1] * outs[2]];
        double? sc = scale > 0 ? scale : null;
        for (int p = 0; p < 6; p++)
            for (int a = 0; a < outs[0]; a++)
                for (int b = 0; b < outs[1]; b++)
                    for (int c = 0; c < outs[2]; c++)
                    {
                        var (d0, d1, ld) = Src(a, ins[0], outs[0], align, mode, sc);
                        var (h0, h1, lh) = Src(b, ins[1], outs[1], align, mode, sc);
                        var (w0, w1, lw) = Src(c, ins[2], outs[2], align, mode, sc);
                        double V(int dd, int hh, int ww) => xv[p * 60 + (dd * 4 + hh) * 5 + ww];
                        double v = (1 - ld) * ((1 - lh) * ((1 - lw) * V(d0, h0, w0) + lw * V(d0, h0, w1)) + lh * ((1 - lw) * V(d0, h1, w0) + lw * V(d0, h1, w1)))
                            + ld * ((1 - lh) * ((1 - lw) * V(d1, h0, w0) + lw * V(d1, h0, w1)) + lh * ((1 - lw) * V(d1, h1, w0) + lw * V(d1, h1, w1)));
                        expected[((p * outs[0] + a) * outs[1] + b) * outs[2] + c] = (float)v;
                    }
        TensorAssert.Close(Tensor.FromSpan<float>(expected, y.Shape), y, OracleTolerances.Abs, OracleTolerances.Rel, "trilinear");
    }

    [Theory]
    [InlineData(true, 1)]
    [InlineData(false, 0)]
    public void Linear_MatchesNumpyForward_OutSizeTensor(bool align, int mode)
    {
        var x = OpHarness.Floats(new Random(4), 2, 3, 7);
        var y = new OpHarness("linear_interp_v2").Input("X", x).Input("OutSize", Tensor.FromSpan<int>([12], [1])).Output("Out")
            .Attr("align_corners", align).Attr("align_mode", (long)mode).Attr("data_layout", "NCW").Run1();
        Assert.Equal(new[] { 2, 3, 12 }, y.Shape.ToArray());
        var xv = x.AsSpan<float>().ToArray();
        var expected = new float[6 * 12];
        for (int p = 0; p < 6; p++)
            for (int c = 0; c < 12; c++)
            {
                var (w0, w1, lw) = Src(c, 7, 12, align, mode, null);
                expected[p * 12 + c] = (float)((1 - lw) * xv[p * 7 + w0] + lw * xv[p * 7 + w1]);
            }
        TensorAssert.Close(Tensor.FromSpan<float>(expected, y.Shape), y, OracleTolerances.Abs, OracleTolerances.Rel, "linear");
    }
}
